"""The group feed, threads, compose, reports, mutes, alert choices and "Ask the team".

Who may use each view:

- ``feed``, ``thread``, ``compose``, ``edit``, ``report``, ``mute``, ``alerts``: coordinators and
  active members only (``access.feed_required``): logged out goes to log in; the public never
  gets in, and commissioners, people still joining, taking a break or who have left get 403.
  Posting (compose, reply) also needs the current respect agreement (coordinators excepted).
  Each post is found through ``access.get_thread_for_member`` / ``get_post_for_member``: a post
  waiting for a moderator is seen only by its writer and coordinators.
- ``team``, ``ask``, ``conversation``: a member's own conversations with the coordinators
  (``access.team_required``); coordinators use the shared inbox in ``staff_views``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.group import group_context
from common.pagination import paginate
from members.access import member_for
from members.roles import is_commissioner, is_coordinator

from . import access, services
from .alerts import alerts_for
from .forms import AlertsForm, AskTheTeamForm, MessageForm, PostForm, ReplyForm, ReportForm
from .models import Conversation, Mute, Post, Topic

REPLIES_PER_PAGE = 30


def _to_thread(post: Post):
    return redirect("discussions:thread", post.thread_id or post.pk)


def _feed_posts(topic: Topic | None):
    posts = (
        Post.objects.filter(thread__isnull=True, status=Post.Status.PUBLISHED)
        .select_related("author", "topic")
        .order_by("-pinned", "-published_at", "-pk")
    )
    return posts.filter(topic=topic) if topic else posts


@require_GET
@access.feed_required
def feed(request):
    """The group feed: pinned posts first, then newest first, optionally one topic."""
    topics = list(Topic.objects.all())
    topic = next((t for t in topics if t.slug == request.GET.get("topic")), None)
    page, pagination = paginate(request, _feed_posts(topic))
    waiting = list(
        Post.objects.filter(access.IN_OPEN_THREAD, author=request.user, status=Post.Status.HELD)
        .select_related("thread")
        .order_by("-pk")[:5]
    )
    return render(
        request,
        "discussions/feed.html",
        {"page": page, "pagination": pagination, "topics": topics, "topic": topic, "waiting": waiting},
    )


def _reply_page(request, thread: Post, form: ReplyForm):
    replies = (
        access.visible_posts(request.user).filter(thread=thread).select_related("author").order_by("created_at", "pk")
    )
    page, pagination = paginate(request, replies, per_page=REPLIES_PER_PAGE)
    context = {
        "thread": thread,
        "page": page,
        "pagination": pagination,
        "form": form,
        "may_post": services.may_post(request.user, request.member),
        "muted": Mute.objects.filter(user=request.user, thread=thread).exists(),
        "is_writer": thread.author_id == request.user.pk,
        "crisis_signposts": group_context()["crisis_signposts"],
    }
    return render(request, "discussions/thread.html", context)


@require_http_methods(["GET", "POST"])
@access.feed_required
def thread(request, pk: int):
    """A post and its replies, with the reply box. A reply that waits for a moderator (or holds
    safeguarding words) comes back here with the reason shown to its writer."""
    post = access.get_thread_for_member(request.user, pk)
    if request.method == "GET":
        return _reply_page(request, post, ReplyForm())
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _reply_page(request, post, form)
    try:
        reply = services.reply_to(
            thread=post,
            user=request.user,
            member=request.member,
            body=form.cleaned_data["body"],
            token=form.cleaned_data["token"],
        )
    except services.DiscussionError as error:
        form.add_error(None, str(error))
        return _reply_page(request, post, form)
    if reply.held_for_safeguarding:
        return redirect("discussions:held", reply.pk)
    if reply.is_held:
        messages.success(request, "Thank you. Your reply is waiting for a moderator. You can still change it.")
    else:
        messages.success(request, "Your reply has been added.")
    # Replies are oldest first, so a new one is on the last page.
    shown = access.visible_posts(request.user).filter(thread=post).count()
    last_page = max(1, -(-shown // REPLIES_PER_PAGE))
    query = f"?page={last_page}" if last_page > 1 else ""
    return redirect(f"{_thread_url(post)}{query}#reply-{reply.pk}")


def _thread_url(post: Post) -> str:
    return reverse("discussions:thread", args=[post.pk])


@require_http_methods(["GET", "POST"])
@access.feed_required
def compose(request):
    """Start a post. Members need the current respect agreement, which the page links to."""
    staff = is_coordinator(request.user)
    if not services.may_post(request.user, request.member):
        return render(request, "discussions/respect_needed.html", status=403)
    form = PostForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.start_post(
                user=request.user,
                member=request.member,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                content_note=data["content_note"],
                pinned=data.get("pinned", False),
                token=data["token"],
            )
        except services.DiscussionError as error:
            form.add_error(None, str(error))
        else:
            if post.held_for_safeguarding:
                return redirect("discussions:held", post.pk)
            if post.is_held:
                messages.success(request, "Thank you. Your post is waiting for a moderator. You can still change it.")
            else:
                messages.success(request, "Your post is in the group feed.")
            return _to_thread(post)
    return render(request, "discussions/compose.html", {"form": form, "staff": staff})


@require_http_methods(["GET", "POST"])
@access.feed_required
def edit(request, pk: int):
    """The writer changes their post or reply while it waits for a moderator."""
    post = access.get_own_held_post(request.user, pk)
    if post.is_reply:
        form = ReplyForm(request.POST or None, initial={"body": post.body})
    else:
        initial = {"title": post.title, "body": post.body, "content_note": post.content_note, "topic": post.topic}
        form = PostForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.edit_held_post(
                post=post,
                user=request.user,
                member=request.member,
                title=data.get("title", ""),
                body=data["body"],
                content_note=data.get("content_note", ""),
                topic=data.get("topic"),
            )
        except services.DiscussionError:
            # A moderator dealt with it while the writer was changing it (if they hid it, their
            # note is waiting in "Ask the team").
            messages.error(request, "A moderator has already looked at your post, so it can no longer be changed.")
            return redirect("discussions:feed")
        if post.held_for_safeguarding:
            return redirect("discussions:held", post.pk)
        if post.is_published:
            messages.success(request, "Your changes are saved and your post is now in the group feed.")
        else:
            messages.success(request, "Your changes are saved. Your post is still waiting for a moderator.")
        return _to_thread(post)
    return render(request, "discussions/edit.html", {"form": form, "post": post})


@require_GET
@access.feed_required
def held(request, pk: int):
    """What a writer sees when their words were held for safeguarding: help now, and what happens next."""
    post = access.get_post_for_member(request.user, pk)
    if post.author_id != request.user.pk or not post.held_for_safeguarding:
        return _to_thread(post)  # a moderator has dealt with it since: the post's page says how
    return render(
        request,
        "discussions/held.html",
        {"post": post, "crisis_signposts": group_context()["crisis_signposts"]},
    )


@require_http_methods(["GET", "POST"])
@access.feed_required
def report(request, pk: int):
    """Tell the moderators about a post or reply, with a reason."""
    post = access.get_post_for_member(request.user, pk)
    if not post.is_published:
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_post(
            post=post, user=request.user, reason=form.cleaned_data["reason"], details=form.cleaned_data["details"]
        )
        messages.success(request, "Thank you for telling us. A moderator will look at it soon.")
        return _to_thread(post)
    return render(request, "discussions/report.html", {"form": form, "post": post})


@require_POST
@access.feed_required
def mute(request, pk: int):
    """Mute or unmute a thread: no emails about it."""
    thread = access.get_thread_for_member(request.user, pk)
    if request.POST.get("mute") == "no":
        services.unmute_thread(thread=thread, user=request.user)
        messages.success(request, "You will hear about this post again.")
    else:
        services.mute_thread(thread=thread, user=request.user)
        messages.success(request, "You will not get emails about this post any more.")
    return _to_thread(thread)


@require_http_methods(["GET", "POST"])
@access.feed_required
def alerts(request):
    """How often the member hears about new posts, replies and messages from the team."""
    current = alerts_for(request.user)
    form = AlertsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.save_alerts(user=request.user, **form.cleaned_data)
        messages.success(request, "Your email alert choices are saved.")
        return redirect("discussions:alerts")
    return render(request, "discussions/alerts.html", {"form": form, "member": request.member})


# --- Ask the team ------------------------------------------------------------------------------


def team_required(view):
    """A member's own conversations with the team: anyone with a member record who has not
    left (a member taking a break may still ask). Coordinators use the staff inbox; commissioners
    are refused, as they are from the feed, even if they were once members."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.member = member_for(request.user)
        if request.member is None or request.member.has_left or is_commissioner(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@team_required
def team(request):
    """The member's conversations with the team, newest first."""
    conversations = Conversation.objects.filter(member_user=request.user).select_related("last_answered_by")
    page, pagination = paginate(request, conversations)
    return render(request, "discussions/team.html", {"page": page, "pagination": pagination})


@require_http_methods(["GET", "POST"])
@team_required
def ask(request):
    """Start a private conversation with the coordinators."""
    form = AskTheTeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = services.ask_the_team(
                user=request.user, subject=data["subject"], body=data["body"], token=data["token"]
            )
        except services.DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your message has gone to the team. We will answer as soon as we can.")
            return redirect("discussions:conversation", conversation.pk)
    return render(request, "discussions/ask.html", {"form": form})


def conversation_page(request, conversation: Conversation, form: MessageForm, template: str):
    """A conversation and its reply box (the member's page and the staff page share this)."""
    replies = conversation.messages.select_related("author")
    page, pagination = paginate(request, replies, per_page=REPLIES_PER_PAGE)
    return render(
        request,
        template,
        {"conversation": conversation, "page": page, "pagination": pagination, "form": form},
    )


def answer_conversation(request, conversation: Conversation, *, template: str, sent: str, back_to: str):
    """Shows a conversation, or adds what was written in its box and goes back to ``back_to``.
    The member's page and the staff inbox both use this; the service decides who it is from."""
    if request.method == "GET":
        return conversation_page(request, conversation, MessageForm(), template)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.write_message(
                conversation=conversation,
                user=request.user,
                body=form.cleaned_data["body"],
                token=form.cleaned_data["token"],
            )
        except services.DiscussionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, sent)
            return redirect(back_to, conversation.pk)
    return conversation_page(request, conversation, form, template)


@require_http_methods(["GET", "POST"])
@team_required
def conversation(request, pk: int):
    """One of the member's conversations with the team, with a box to write more."""
    found = access.get_conversation_for_member(request.user, pk)
    if found.member_user_id != request.user.pk:
        raise PermissionDenied  # a coordinator who is also a member answers from the staff inbox
    return answer_conversation(
        request,
        found,
        template="discussions/conversation.html",
        sent="Your message has gone to the team.",
        back_to="discussions:conversation",
    )
