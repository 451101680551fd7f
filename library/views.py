"""The library's pages for the public and for members.

Who may use each view:

- ``library_home`` (browse and search), ``resource_detail``, ``version_detail``, ``resource_pdf``
  and ``give_feedback``: anyone, logged in or not. Only published resources are found; anything
  else is 404. Nothing on them names a reviewer. Coordinators may also open ``version_detail``
  for a resource that is no longer public (``access.get_resource_with_history_for_user``).
- ``download_file``: anyone for a published file of a published resource; files of drafts only
  for coordinators and the resource's invited reviewers (``access.get_file_for_user``), 404 for
  everyone else.
- ``suggest``: members and coordinators (logged out goes to log in; commissioners and accounts
  with neither role get 403).
- ``reviews``, ``my_feedback``, ``review`` and ``credit``: members only (``member_required``),
  each on the logged-in member's own invitations (``access.get_invitation_for_member``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.origin import same_site_post
from common.pagination import paginate
from common.pdf import render_pdf
from common.ratelimit import allow
from common.sanitise import markdown_to_html
from common.uploads import AUDIO, JPEG, PDF, PNG, STORED_TYPES
from members.access import member_for, member_required
from members.roles import is_coordinator

from . import access, reach, services
from .forms import CreditForm, ReaderFeedbackForm, ReviewForm, SearchForm, SuggestionForm
from .models import Credit, ReviewFeedback, ReviewInvitation, Topic
from .search import Filters, family_of, search_resources
from .services import LibraryError

# Reader feedback from one browser-and-network: this many in an hour.
FEEDBACK_LIMIT = 5
FEEDBACK_WINDOW_SECONDS = 3600
# Types a browser may show in the page: they cannot run script. Everything else is a download.
INLINE_TYPES = {PDF, JPEG, PNG, *AUDIO}


# --- The public library ---------------------------------------------------------------------


def review_interval_words() -> str:
    """How often resources are checked, in words for readers ("every 2 years", "every 18 months")."""
    months = services.review_interval_months()
    if months % 12:
        return f"every {months} months"
    years = months // 12
    return "every year" if years == 1 else f"every {years} years"


@require_GET
def library_home(request):
    """Browse and search published resources. Anyone."""
    topics = list(Topic.objects.all())
    form = SearchForm(request.GET or None, topics=topics)
    filters = Filters(**form.cleaned_or_empty()) if request.GET else Filters()
    page, pagination = paginate(request, search_resources(filters))
    context = {"form": form, "filters": filters, "page": page, "pagination": pagination, "topics": topics}
    return render(request, "library/library_home.html", {**context, "review_interval": review_interval_words()})


def credit_line(version, named_credits) -> str:
    """Who co-produced a version, as readers see it on the page and in the PDF: how many members,
    and the chosen names of those who agreed to be named ("…, including Grace and Amina F.")."""
    if not version.credit_count:
        return "Staff of the service"
    count = version.credit_count
    line = f"{count} member{'' if count == 1 else 's'} of the group"
    names = [credit.credited_as for credit in named_credits]
    if not names:
        return line
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"{line}, including {listed}"


def _resource_context(resource, version) -> dict:
    files = [item for item in resource.files.all() if item.published_at is not None]
    named_credits = list(version.named_credits.order_by("credited_as", "pk"))
    return {
        "resource": resource,
        "version": version,
        "files": files,
        "sources": list(resource.sources.all()),
        "links": list(resource.links.all()),
        "topics": list(resource.topics.all()),
        "credit_line": credit_line(version, named_credits),
        "family": list(family_of(resource)),
        "earlier_versions": list(
            resource.versions.exclude(pk=version.pk).only("pk", "number", "published_at", "resource_id")
        ),
    }


def _show_resource(request, resource, *, form=None, status=200):
    context = _resource_context(resource, resource.current_version)
    context["form"] = form or ReaderFeedbackForm()
    context["feedback_given"] = request.GET.get("feedback") == "thanks"
    return render(request, "library/resource_detail.html", context, status=status)


@require_GET
def resource_detail(request, pk: int):
    """A published resource: its words, files, sources, credits and review dates. Anyone."""
    resource = access.get_public_resource(pk)
    reach.record_view(request, resource)
    return _show_resource(request, resource)


@csrf_exempt
@same_site_post
@require_POST
def give_feedback(request, pk: int):
    """Was this useful? from a reader. Anyone; nothing about them is kept; rate-limited.

    Django's CSRF token would set a cookie on every reader's visit to a resource page, so this
    form is protected by the browser's word on where it was sent from instead
    (`common.origin.same_site_post`): a post from another site is refused."""
    resource = access.get_public_resource(pk)
    form = ReaderFeedbackForm(request.POST)
    if not form.is_valid():
        return _show_resource(request, resource, form=form)
    if not allow(request, scope="library-feedback", limit=FEEDBACK_LIMIT, per_seconds=FEEDBACK_WINDOW_SECONDS):
        form.add_error(None, "You have sent a lot of feedback in the last hour. Please try again later.")
        return _show_resource(request, resource, form=form, status=429)
    services.give_reader_feedback(
        resource=resource, useful=form.cleaned_data["useful"], missing=form.cleaned_data["missing"]
    )
    return redirect(f"{reverse('library:resource', args=[resource.pk])}?feedback=thanks#feedback")


@require_GET
def version_detail(request, pk: int, number: int):
    """An earlier published version of a resource, kept as it was. Anyone, for a public
    resource; coordinators also for an archived one (every version kept can be viewed)."""
    resource = access.get_resource_with_history_for_user(request.user, pk)
    version = get_object_or_404(resource.versions, number=number)
    if resource.is_public and version.pk == resource.current_version_id:
        return redirect("library:resource", resource.pk)
    context = _resource_context(resource, version)
    response = render(request, "library/version_detail.html", context)
    if not resource.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def resource_pdf(request, pk: int):
    """The resource's words as an A4 PDF (tagged, PDF/UA-1) with its review dates, for clinics
    that hand out paper. Anyone."""
    resource = access.get_public_resource(pk)
    version = resource.current_version
    if not version.body_html:
        raise Http404("This resource has no words to print.")
    reach.record_download(request, resource)
    context = {**_resource_context(resource, version), "printed_on": timezone.localdate()}
    pdf = render_pdf("pdf/library/resource.html", context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"resource-{resource.pk}-v{version.number}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download_file(request, pk: int):
    """A resource's file. Published files for anyone; drafts' files only for coordinators and
    invited reviewers. Only types that cannot run script are shown in the browser (PDF, photos,
    audio); the rest, and anything unexpected, download. Never HTML or SVG inline."""
    item = access.get_file_for_user(request.user, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    content_type = item.content_type if item.content_type in STORED_TYPES else "application/octet-stream"
    inline = content_type in INLINE_TYPES
    response = FileResponse(handle, as_attachment=not inline, filename=item.name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if item.published_at is None or not item.resource.is_public:
        response["Cache-Control"] = "private, no-store"
    else:
        reach.record_download(request, item.resource)
    return response


# --- Suggestions -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def suggest(request):
    """Suggest a resource the group should write or review. Members and coordinators."""
    if member_for(request.user) is None and not is_coordinator(request.user):
        raise PermissionDenied
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.suggest_resource(by=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. The coordinators will look at your suggestion.")
        return redirect("library:home")
    return render(request, "library/suggest.html", {"form": form})


# --- Member reviews ----------------------------------------------------------------------------


@require_GET
@member_required
def reviews(request):
    """Drafts waiting for the member's review, and the rounds they took part in. Members only."""
    now = timezone.now()
    invitations = access.invitations_for_member(request.user).annotate(points=Count("feedback"))
    waiting = invitations.filter(round__closed_at__isnull=True, round__deadline__gt=now).order_by(
        "round__deadline", "pk"
    )
    past = invitations.exclude(pk__in=waiting.values("pk")).filter(Q(points__gt=0) | Q(responded_at__isnull=False))
    page, pagination = paginate(request, past.order_by("-round__deadline", "-pk"))
    return render(
        request,
        "library/reviews.html",
        {"waiting": list(waiting), "page": page, "pagination": pagination},
    )


@require_GET
@member_required
def my_feedback(request):
    """What happened to each point the member made: staff's response and reason. Members only."""
    invitations = (
        access.invitations_for_member(request.user)
        .filter(feedback__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("feedback", queryset=ReviewFeedback.objects.order_by("created_at", "pk")))
        .order_by("-round__deadline", "-pk")
    )
    page, pagination = paginate(request, invitations)
    return render(request, "library/my_feedback.html", {"page": page, "pagination": pagination})


def _review_context(request, invitation: ReviewInvitation, *, form=None, credit_form=None) -> dict:
    round_ = invitation.round
    resource = round_.resource
    answered = dict(invitation.answers.values_list("number", "rating"))
    credit = Credit.objects.filter(resource=resource, member=invitation.member).first()

    return {
        "invitation": invitation,
        "round": round_,
        "resource": resource,
        # The draft sits under the page's "The draft" heading, so its headings start one lower.
        "body_html": markdown_to_html(resource.body, first_heading=3),
        "files": list(resource.files.all()),
        "form": form or ReviewForm(questions=round_.questions, answered=answered),
        "answered": answered,
        "points": list(invitation.feedback.order_by("created_at", "pk")),
        "credit": credit,
        "credit_form": credit_form or (CreditForm(credit=credit) if credit else None),
        "is_open": round_.is_open,
    }


@require_http_methods(["GET", "POST"])
@member_required
def review(request, pk: int):
    """A draft to review: the questions, ratings, overall feedback and comments on a part.
    Members only, and only their own invitation."""
    invitation = access.get_invitation_for_member(request.user, pk)
    round_ = invitation.round
    if request.method == "POST":
        form = ReviewForm(request.POST, questions=round_.questions)
        if form.is_valid():
            try:
                services.submit_feedback(
                    invitation=invitation,
                    ratings=form.ratings(),
                    overall=form.cleaned_data["overall"],
                    quote=form.cleaned_data["quote"],
                    comment=form.cleaned_data["comment"],
                )
            except LibraryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Thank you. Your feedback has been sent to the coordinators.")
                return redirect("library:review", invitation.pk)
        return render(request, "library/review.html", _review_context(request, invitation, form=form))
    return render(request, "library/review.html", _review_context(request, invitation))


@require_POST
@member_required
def credit(request, pk: int):
    """Whether the member agrees to be named in the credits of the resource they reviewed.
    Members only, and only on their own invitation."""
    invitation = access.get_invitation_for_member(request.user, pk)
    credit = Credit.objects.filter(resource=invitation.round.resource, member=invitation.member).first()
    if credit is None:
        raise Http404("Send your feedback first.")
    form = CreditForm(request.POST, credit=credit)
    if form.is_valid():
        credit = services.set_credit_preference(
            credit=credit, named=form.cleaned_data["named"], credited_as=form.cleaned_data["credited_as"]
        )
        messages.success(
            request,
            "We will name you when this is next published." if credit.named else "We will not name you.",
        )
        return redirect("library:review", invitation.pk)
    return render(request, "library/review.html", _review_context(request, invitation, credit_form=form))
