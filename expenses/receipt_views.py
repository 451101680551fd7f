"""Receipt downloads: for the claimant and finance staff only, always as an attachment."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from common.uploads import STORED_TYPES

from .access import get_receipt_for_user


@require_GET
@login_required
def download_receipt(request, item_pk: int):
    """The receipt file of an expense item. Who: the member who claimed it, finance approvers and
    coordinators; everyone else gets 404. Never shown inline, so a file can never run as a page."""
    item = get_receipt_for_user(request.user, item_pk)
    try:
        handle = item.receipt.open("rb")
    except FileNotFoundError:
        raise Http404("The receipt file is missing.") from None
    content_type = (
        item.receipt_content_type if item.receipt_content_type in STORED_TYPES else "application/octet-stream"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=item.receipt_name or f"receipt-{item.pk}", content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
