from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import broker_status, database_status, last_scheduler_heartbeat


@require_GET
def home(request):
    """The public front page: what the group is, how to join, when it meets. Anyone may view it."""
    return render(request, "involvement/home.html")


@never_cache
@require_GET
def healthz(request):
    """Database and broker status as JSON: 200 when both answer, 503 when either does not."""
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **checks,
        "scheduler_last_seen": last_scheduler_heartbeat(),
    }
    return JsonResponse(body, status=200 if healthy else 503)
