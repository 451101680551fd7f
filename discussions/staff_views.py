"""Staff pages for the group feed, under /staff/discussions/: the moderation queue, one post's
moderation page, and the shared "Ask the team" inbox.

Coordinators only: every view is wrapped in `members.access.coordinator_required`, which sends
anyone logged out to log in and refuses members and commissioners (403). The same actions are
in the admin (``discussions.admin``); both call ``discussions.services``, which records each action.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.pagination import paginate
from members.access import coordinator_required

from . import access, services
from .forms import ApproveForm, ContactWriterForm, HideForm
from .models import Conversation, Post
from .views import answer_conversation


def queue_posts():
    """What needs a moderator: posts waiting, and posts with open reports; safeguarding first."""
    return (
        Post.objects.filter(Q(status=Post.Status.HELD) | Q(open_reports__gt=0, status=Post.Status.PUBLISHED))
        .select_related("author", "thread")
        .order_by("-held_because", "created_at", "pk")
    )


@require_GET
@coordinator_required
def moderation_queue(request):
    """Held and reported posts, oldest first, safeguarding holds at the top."""
    page, pagination = paginate(request, queue_posts())
    return render(request, "discussions/staff/queue.html", {"page": page, "pagination": pagination})


def _moderate_page(request, post: Post, *, forms: dict | None = None):
    forms = forms or {}
    context = {
        "post": post,
        "reports": list(post.reports.filter(resolved_at__isnull=True).select_related("reporter")),
        "history": list(post.moderation.select_related("by")[:20]),
        "approve_form": forms.get("approve") or ApproveForm(),
        "hide_form": forms.get("hide") or HideForm(),
        "contact_form": forms.get("contact") or ContactWriterForm(),
    }
    return render(request, "discussions/staff/moderate.html", context)


@require_http_methods(["GET", "POST"])
@coordinator_required
def moderate(request, pk: int):
    """One post: what it says, why it is here, reports on it, what was done, and the actions."""
    post = get_object_or_404(Post.objects.select_related("author", "thread", "topic"), pk=pk)
    if request.method == "GET":
        return _moderate_page(request, post)
    action = request.POST.get("action")
    form_classes = {"approve": ApproveForm, "hide": HideForm, "contact": ContactWriterForm}
    if action in ("pin", "unpin"):
        try:
            services.set_pinned(post=post, by=request.user, pinned=action == "pin")
        except services.DiscussionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Pinned to the top of the feed." if action == "pin" else "Unpinned.")
        return redirect("discussions_staff:moderate", post.pk)
    if action not in form_classes:
        messages.error(request, "Choose an action.")
        return redirect("discussions_staff:moderate", post.pk)
    form = form_classes[action](request.POST)
    if not form.is_valid():
        return _moderate_page(request, post, forms={action: form})
    try:
        if action == "approve":
            was_held = post.is_held
            services.approve_post(post=post, by=request.user, note=form.cleaned_data["note"])
            done = "The post is in the feed." if was_held else "The post stays in the feed and its reports are closed."
        elif action == "hide":
            services.hide_post(post=post, by=request.user, note=form.cleaned_data["note"])
            done = "The post is hidden and the writer has your note."
        else:
            services.contact_writer(post=post, by=request.user, body=form.cleaned_data["body"])
            done = "Your message has gone to the writer."
    except services.DiscussionError as error:
        form.add_error(None, str(error))
        return _moderate_page(request, post, forms={action: form})
    messages.success(request, done)
    return redirect("discussions_staff:moderate", post.pk)


@require_GET
@coordinator_required
def inbox(request):
    """The shared inbox: every conversation, those waiting for an answer first, with who answered last."""
    waiting = request.GET.get("show") != "all"
    conversations = Conversation.objects.select_related("member_user", "last_answered_by").order_by(
        "-waiting_for_team", "-last_message_at", "-pk"
    )
    if waiting:
        conversations = conversations.filter(waiting_for_team=True)
    page, pagination = paginate(request, conversations)
    return render(request, "discussions/staff/inbox.html", {"page": page, "pagination": pagination, "waiting": waiting})


@require_http_methods(["GET", "POST"])
@coordinator_required
def conversation(request, pk: int):
    """One conversation in the shared inbox, with a box to answer for the team."""
    return answer_conversation(
        request,
        access.get_conversation_for_member(request.user, pk),
        template="discussions/staff/conversation.html",
        sent="Your answer has gone to the member.",
        back_to="discussions_staff:conversation",
    )
