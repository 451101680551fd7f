"""A member's own pages: joining, their profile, consents, breaks, leaving and their data.

Every page under /my/ is for the logged-in member only and goes through `member_required`,
which finds the member record from the session: there are no ids in these addresses, so a
member can only ever see and change their own records. Writes that matter (consent, breaks,
leaving, erasure, onboarding progress) go through `members.services`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .access import member_required
from .consent import current_consents, current_texts
from .dashboard import entries_for
from .forms import (
    EQUALITY_QUESTIONS,
    AboutForm,
    AccessForm,
    ConsentDecisionForm,
    ConsentReviewForm,
    ContactForm,
    EqualityForm,
    LeaveForm,
    NameForm,
    PaymentForm,
)
from .models import Channel, ConsentText, Member
from .privacy import member_export, member_export_json
from .services import (
    complete_onboarding_step,
    leave_group,
    pause_membership,
    record_consent,
    record_consents,
    resume_membership,
    save_equality_answers,
)
from .state import member_state

STEPS = Member.ONBOARDING_STEPS
CONSENT_PURPOSES = [purpose.value for purpose in ConsentText.CONSENT_PURPOSES]
KEEP_DETAILS = ConsentText.Purpose.KEEP_DETAILS.value
RESPECT = ConsentText.Purpose.RESPECT_AGREEMENT.value


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    optional: bool = False


STEP_INFO = {
    "contact": Step("contact", "How we contact you"),
    "consent": Step("consent", "Your consent"),
    "respect": Step("respect", "Our respect agreement"),
    "access": Step("access", "Help to take part", optional=True),
    "about": Step("about", "About you", optional=True),
    "equality": Step("equality", "Equality monitoring", optional=True),
}

# The profile's "Change" links: the onboarding forms, plus name and payments.
PROFILE_SECTIONS = {
    "name": "Your name and pronouns",
    "contact": "How we contact you",
    "access": "Help to take part",
    "about": "About you",
    "equality": "Equality monitoring",
    "payments": "Payments",
}


def _posted(request):
    """The submitted data on a POST (even if empty, so an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


# --- Public pages -----------------------------------------------------------------------------


@require_GET
def join(request):
    """What the group is, what joining involves and how data is used. Anyone may view it."""
    texts = current_texts()
    consent_texts = [texts[p] for p in CONSENT_PURPOSES if p in texts]
    return render(
        request,
        "members/join.html",
        {
            "consent_texts": consent_texts,
            "respect_text": texts.get(RESPECT),
            "steps": list(STEP_INFO.values()),
            "is_member": member_state(request) is not None,
        },
    )


@require_GET
def data_erased(request):
    """Shown after a member erased their data and was logged out. Holds nothing about anyone."""
    return render(request, "members/data_erased.html")


# --- Dashboard and onboarding -----------------------------------------------------------------


def _step_url(step: str) -> str:
    return reverse("members:onboarding_step", args=[step])


def _next_onboarding_url(member: Member) -> str:
    step = member.next_onboarding_step
    return _step_url(step) if step else reverse("members:onboarding_done")


def _step_context(step: str, **extra) -> dict:
    index = STEPS.index(step)
    return {
        "step": STEP_INFO[step],
        "step_number": index + 1,
        "step_count": len(STEPS),
        "editing": False,
        **extra,
    }


def _previous_step_url(step: str) -> str:
    index = STEPS.index(step)
    if index == 0:
        return reverse("members:dashboard")
    previous = STEPS[index - 1]
    if previous == "consent":
        return reverse("members:onboarding_consent", args=[CONSENT_PURPOSES[-1]])
    return _step_url(previous)


@require_GET
@member_required
def dashboard(request):
    """The "Your involvement" page: carry on joining, and links to everything the member controls."""
    member = request.member
    done = member.onboarding_step
    tasks = [
        {
            "step": STEP_INFO[name],
            "url": _step_url(name) if index <= done else "",
            "status": "done" if index < done else ("next" if index == done else "later"),
            "number": index + 1,
        }
        for index, name in enumerate(STEPS)
    ]
    return render(
        request,
        "members/dashboard.html",
        {
            "member": member,
            "tasks": tasks,
            "next_url": _next_onboarding_url(member),
            "entries": entries_for(member) if member.onboarding_done else [],
        },
    )


def _guard_step(member: Member, step: str):
    """Steps are done in order: a later step than the next one sends the member to the next one.
    After joining, the steps are changed from the profile (or the consents page)."""
    if member.onboarding_done:
        if step in {"consent", "respect"}:
            return redirect("members:consents")
        return redirect("members:profile_change", section=step)
    if STEPS.index(step) > member.onboarding_step:
        return redirect(_next_onboarding_url(member))
    return None


@require_http_methods(["GET", "POST"])
@member_required
def onboarding_step(request, step: str):
    """One onboarding step. Each is saved as it is completed, so leaving half-way loses nothing."""
    if step not in STEP_INFO:
        raise Http404
    member = request.member
    if response := _guard_step(member, step):
        return response
    if step == "consent":
        return _consent_entry(member)
    if step == "respect":
        return _respect_step(request, member)
    return _form_step(request, member, step, editing=False)


def _form_for(step: str, member: Member, data=None):
    if step == "equality":
        instance = member.equality_answers
        return EqualityForm(data, instance=instance)
    forms = {"contact": ContactForm, "access": AccessForm, "about": AboutForm, "payments": PaymentForm}
    return forms[step](data, instance=member)


def _save_form(step: str, form, member: Member) -> None:
    if step == "equality":
        save_equality_answers(member=member, answers=form.answers())
    else:
        form.save()


def _form_step(request, member: Member, step: str, *, editing: bool):
    skipping = request.method == "POST" and "skip" in request.POST and not editing and STEP_INFO[step].optional
    form = _form_for(step, member, request.POST if request.method == "POST" and not skipping else None)
    if skipping:
        complete_onboarding_step(member=member, step=step)
        return redirect(_next_onboarding_url(member))
    if request.method == "POST" and form.is_valid():
        _save_form(step, form, member)
        if editing:
            messages.success(request, "Your changes are saved.")
            return redirect("members:profile")
        complete_onboarding_step(member=member, step=step)
        return redirect(_next_onboarding_url(member))
    if editing:
        context = {
            "step": STEP_INFO.get(step),
            "editing": True,
            "back_url": reverse("members:profile"),
        }
    else:
        context = _step_context(step, back_url=_previous_step_url(step))
    context.update(form=form, member=member)
    return render(request, f"members/onboarding/{step}.html", context)


def _consent_entry(member: Member):
    """Where the consent step carries on: the first purpose not yet decided on its current text,
    the explanation if the member said no to keeping their details, or the next step."""
    consents = {c.purpose: c for c in current_consents(member)}
    for purpose in CONSENT_PURPOSES:
        consent = consents[purpose]
        if consent.text and (consent.record is None or consent.record.text_id != consent.text.pk):
            return redirect("members:onboarding_consent", purpose=purpose)
    keep = consents[KEEP_DETAILS]
    if keep.text and not keep.given:
        return redirect("members:keep_details_declined")
    complete_onboarding_step(member=member, step="consent")
    return redirect(_next_onboarding_url(member))


@require_http_methods(["GET", "POST"])
@member_required
def onboarding_consent(request, purpose: str):
    """Step 2, one purpose at a time: the text's summary, its full wording, and yes or no."""
    if purpose not in CONSENT_PURPOSES:
        raise Http404
    member = request.member
    if response := _guard_step(member, "consent"):
        return response
    consent = next(c for c in current_consents(member) if c.purpose == purpose)
    index = CONSENT_PURPOSES.index(purpose)
    if consent.text is None:  # nothing published for this purpose: nothing to ask
        return _consent_entry(member)
    initial = {}
    if consent.record and consent.record.text_id == consent.text.pk:
        initial["given"] = "yes" if consent.record.given else "no"
    form = ConsentDecisionForm(_posted(request), text=consent.text, initial=initial)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["given"]
        record_consent(member=member, purpose=purpose, given=given, text=consent.text)
        if purpose == KEEP_DETAILS and not given:
            return redirect("members:keep_details_declined")
        if index + 1 < len(CONSENT_PURPOSES):
            return redirect("members:onboarding_consent", purpose=CONSENT_PURPOSES[index + 1])
        return _consent_entry(member)
    back_url = (
        _step_url(STEPS[STEPS.index("consent") - 1])
        if index == 0
        else reverse("members:onboarding_consent", args=[CONSENT_PURPOSES[index - 1]])
    )
    return render(
        request,
        "members/onboarding/consent.html",
        _step_context(
            "consent",
            form=form,
            text=consent.text,
            question_number=index + 1,
            question_count=len(CONSENT_PURPOSES),
            back_url=back_url,
        ),
    )


def _respect_step(request, member: Member):
    """Step 3: the group's ground rules, as their own versioned text; "I agree" records it."""
    text = current_texts().get(RESPECT)
    if request.method == "POST":
        if text is not None:
            record_consent(member=member, purpose=RESPECT, given=True, text=text)
        complete_onboarding_step(member=member, step="respect")
        return redirect(_next_onboarding_url(member))
    return render(
        request,
        "members/onboarding/respect.html",
        _step_context("respect", text=text, back_url=_previous_step_url("respect")),
    )


@require_GET
@member_required
def onboarding_done(request):
    member = request.member
    if not member.onboarding_done:
        return redirect(_next_onboarding_url(member))
    return render(request, "members/onboarding/done.html", {"member": member})


# --- Profile ----------------------------------------------------------------------------------


@require_GET
@member_required
def profile(request):
    """Everything the member has told us, each with a "Change" link back to its form."""
    member = request.member
    equality = member.equality_answers
    equality_rows = [
        (label, getattr(equality, f"get_{name}_display")() if equality and getattr(equality, name) else "")
        for name, (label, _) in EQUALITY_QUESTIONS.items()
    ]
    topic_labels = dict(Member.Topic.choices)
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "equality_rows": equality_rows,
            "topics": [topic_labels.get(topic, topic) for topic in member.topics],
            "channels": [label for value, label in Channel.choices if member.accepts_channel(value)],
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def profile_change(request, section: str):
    """A profile section's form (the onboarding step's own form); saving returns to the profile."""
    if section not in PROFILE_SECTIONS:
        raise Http404
    member = request.member
    if section == "name":
        initial = {"name": member.user.name, "pronouns": member.pronouns}
        form = NameForm(_posted(request), initial=initial)
        if request.method == "POST" and form.is_valid():
            form.save(member)
            messages.success(request, "Your changes are saved.")
            return redirect("members:profile")
        return render(
            request,
            "members/profile_name.html",
            {"form": form, "editing": True, "back_url": reverse("members:profile")},
        )
    if section == "payments":
        # One page for the payment choice, with the group's tax and benefits note beside it: the
        # expenses app's (it owns the rules and keeps open claims in line). Old links land there.
        return redirect(f"{reverse('expenses:preference')}?next={reverse('members:profile')}")
    return _form_step(request, member, section, editing=True)


# --- Consent ----------------------------------------------------------------------------------


HISTORY_LIMIT = 100


@require_GET
@member_required
def consents(request):
    """Each purpose with the member's choice, the version decided on and when; and the history."""
    member = request.member
    current = current_consents(member)
    history = list(member.consents.select_related("text", "recorded_by")[: HISTORY_LIMIT + 1])
    return render(
        request,
        "members/consents.html",
        {
            "consents": [c for c in current if c.purpose != RESPECT],
            "respect": next((c for c in current if c.purpose == RESPECT), None),
            "history": history[:HISTORY_LIMIT],
            "history_truncated": len(history) > HISTORY_LIMIT,
        },
    )


@require_POST
@member_required
def consent_change(request, purpose: str):
    """Gives or withdraws one consent; takes effect at once (every sender asks `can_contact`)."""
    if purpose not in [*CONSENT_PURPOSES, RESPECT]:
        raise Http404
    member = request.member
    decision = request.POST.get("given")
    if decision not in {"yes", "no"} or (purpose == RESPECT and decision == "no"):
        messages.error(request, "Something went wrong with that choice. Please try again.")
        return redirect("members:consents")
    text = current_texts().get(purpose)
    if text is None:
        raise Http404
    given = decision == "yes"
    record_consent(member=member, purpose=purpose, given=given, text=text)
    if purpose == KEEP_DETAILS and not given:
        return redirect("members:keep_details_declined")
    title = text.title[:1].lower() + text.title[1:]
    if given:
        messages.success(request, f"Thank you. You have agreed to {title}.")
    else:
        messages.success(request, f"You have withdrawn your consent to {title}. This has taken effect straight away.")
    return redirect("members:consents")


@require_GET
@member_required
def keep_details_declined(request):
    """What saying no to "keeping my details" means, and the member's choices from here."""
    member = request.member
    keep = next(c for c in current_consents(member) if c.purpose == KEEP_DETAILS)
    if keep.given:
        return redirect("members:dashboard")
    change_url = (
        reverse("members:consents")
        if member.onboarding_done
        else reverse("members:onboarding_consent", args=[KEEP_DETAILS])
    )
    return render(request, "members/keep_details_declined.html", {"member": member, "change_url": change_url})


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@require_http_methods(["GET", "POST"])
@member_required
def consent_review(request):
    """A newer version of a text the member decided on: show it, and ask again."""
    member = request.member
    to_review = [c for c in current_consents(member) if c.needs_review]
    next_url = _safe_next(request, reverse("members:dashboard"))
    if not to_review:
        return redirect(next_url)
    form = ConsentReviewForm(_posted(request), consents=to_review)
    if request.method == "POST" and form.is_valid():
        decisions = form.decisions()
        record_consents(member=member, decisions=decisions)
        if decisions.get(KEEP_DETAILS) is False:
            return redirect("members:keep_details_declined")
        messages.success(request, "Thank you. Your choices are saved.")
        return redirect(next_url)
    items = [{"consent": c, "field": form[c.purpose]} for c in to_review]
    return render(request, "members/consent_review.html", {"form": form, "items": items, "next_url": next_url})


# --- Breaks and leaving -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required
def take_a_break(request):
    """Pause membership (no invitations, reminders or surveys) or come back."""
    member = request.member
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "pause" and member.status in {Member.Status.INTERESTED, Member.Status.ACTIVE}:
            pause_membership(member=member)
            messages.success(request, "You are taking a break. We will not send you anything until you come back.")
        elif action == "resume" and member.status in {Member.Status.PAUSED, Member.Status.LEFT}:
            welcome = "You have rejoined the group." if member.has_left else "Your break has ended."
            resume_membership(member=member)
            messages.success(request, f"Welcome back. {welcome}")
        return redirect("members:dashboard")
    return render(request, "members/break.html", {"member": member})


@require_http_methods(["GET", "POST"])
@member_required
def leave(request):
    """Leave the group: keep the account (to come back) or go on to erase everything."""
    member = request.member
    form = LeaveForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["choice"] == LeaveForm.ERASE:
            return redirect("members:erase")
        if not member.has_left:
            leave_group(member=member, erase=False)
        messages.success(request, "You have left the group. We will not contact you. You can come back at any time.")
        return redirect("members:dashboard")
    return render(request, "members/leave.html", {"form": form, "member": member})


@require_http_methods(["GET", "POST"])
@member_required
def erase(request):
    """The last check before erasure, then erasure, logging out and a calm goodbye."""
    member = request.member
    if request.method == "POST":
        leave_group(member=member, erase=True)
        logout(request)
        return redirect("members:data_erased")
    return render(request, "members/erase.html", {"member": member})


# --- A member's data --------------------------------------------------------------------------


@never_cache
@require_GET
@member_required
def my_data(request):
    """Everything held about the member, section by section, as a page."""
    sections = []
    for section in member_export(request.member):
        item = {"section": section, "is_list": isinstance(section.data, list)}
        if item["is_list"]:
            # One column for every key any row has, so sections added by other apps show too.
            columns: list[str] = []
            for row in section.data:
                columns.extend(key for key in row if key not in columns)
            item["columns"] = columns
            item["rows"] = [[(key, row.get(key)) for key in columns] for row in section.data]
        sections.append(item)
    return render(request, "members/data.html", {"sections": sections})


@never_cache
@require_GET
@member_required
def my_data_json(request):
    """Everything held about the member, as a JSON file to keep."""
    data = member_export_json(request.member)
    body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"my-involvement-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
