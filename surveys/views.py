"""The pages people answer surveys on, and the member review pages.

Who may use each view:

- ``survey_list``, ``review``, ``review_question``: members only (``member_required``: logged out
  goes to log in; commissioners and accounts without a member record get 403). Review pages
  only for members chosen as reviewers (``access.get_survey_to_review``; others get 404).
- ``start``, ``section``, ``check``, ``done`` with a survey number: members who may answer
  member surveys (``access.get_survey_for_member``); everyone else is refused (403 or 404).
- The same four with a public key (``public_*`` URLs): anyone with the link.

Answers in progress: a named survey keeps them in a draft response (saved to finish later);
anonymous and public surveys keep them in the session only, until sent, then remove them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from common.group import group_context
from common.ratelimit import allow
from members.access import member_required
from members.models import Member

from . import access, services
from .forms import ReviewCommentForm, SectionForm, field_name
from .models import Question, ReviewComment, Survey
from .rules import Draft, answer_in_words, is_answered
from .selectors import Structure, load_structure, surveys_to_answer, surveys_to_review

ANSWERED_COOKIE_SALT = "surveys.answered"
ANSWERED_COOKIE_AGE = 365 * 24 * 60 * 60
# Public answers sent from one address in an hour before we ask people to wait.
PUBLIC_SUBMIT_LIMIT = 20
PUBLIC_SUBMIT_WINDOW = 60 * 60


@dataclass
class Respondent:
    """Who is answering which survey, and where their answers so far are kept."""

    request: object
    survey: Survey
    member: Member | None

    @property
    def public(self) -> bool:
        return self.survey.is_public

    @property
    def saves_drafts(self) -> bool:
        return self.survey.audience == Survey.Audience.MEMBERS

    def url(self, name: str, *args) -> str:
        if self.public:
            return reverse(f"surveys:public_{name}", args=[self.survey.public_key, *args])
        return reverse(f"surveys:{name}", args=[self.survey.pk, *args])

    @property
    def session_key(self) -> str:
        return f"survey-answers-{self.survey.pk}"

    def draft(self) -> Draft:
        if self.saves_drafts:
            return services.draft_for(self.survey, self.member)
        return dict(self.request.session.get(self.session_key, {}))

    def keep(self, draft: Draft) -> None:
        if self.saves_drafts:
            services.save_draft(survey=self.survey, member=self.member, draft=draft)
        else:
            self.request.session[self.session_key] = draft

    def forget(self) -> None:
        self.request.session.pop(self.session_key, None)

    @property
    def cookie_name(self) -> str:
        return f"survey-{self.survey.pk}-answered"

    def has_answered(self) -> bool:
        if self.public:
            value = self.request.get_signed_cookie(self.cookie_name, default=None, salt=ANSWERED_COOKIE_SALT)
            return value == "yes"
        return services.has_answered(self.survey, self.member)


def _respondent(request, pk: int | None, key) -> Respondent:
    if key is not None:
        return Respondent(request, access.get_public_survey(key), None)
    # Member surveys: logged in as a member (member_required ran in the URL's view wrapper).
    return Respondent(request, access.get_survey_for_member(request.user, pk), request.member)


def _members_only(view):
    """Member URLs go through member_required; public URLs (with a key) are open to anyone."""
    gated = member_required(view)

    def wrapper(request, pk: int | None = None, key=None, **kwargs):
        if key is not None:
            return view(request, pk=None, key=key, **kwargs)
        return gated(request, pk=pk, key=None, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _closed_or_answered(respondent: Respondent):
    """The page to show instead of questions, if the survey is closed or already answered."""
    if not respondent.survey.is_open():
        return render(respondent.request, "surveys/closed.html", {"survey": respondent.survey}, status=200)
    if respondent.has_answered():
        return render(respondent.request, "surveys/already_answered.html", {"respondent": respondent})
    return None


# --- Member list --------------------------------------------------------------------------------


@require_GET
@member_required
def survey_list(request):
    """Open surveys the member has not answered yet, and drafts they were asked to review."""
    return render(
        request,
        "surveys/survey_list.html",
        {
            "to_answer": list(surveys_to_answer(request.member)[:50]),
            "to_review": list(surveys_to_review(request.member)[:50]),
        },
    )


# --- Answering ----------------------------------------------------------------------------------


@never_cache
@require_GET
@_members_only
def start(request, pk=None, key=None):
    """The start page: what the survey is for, who sees the answers, whether they are anonymous,
    how long it takes, and that questions can be skipped unless marked required."""
    respondent = _respondent(request, pk, key)
    stop = _closed_or_answered(respondent)
    if stop:
        return stop
    structure = load_structure(respondent.survey)
    draft = respondent.draft()
    return render(
        request,
        "surveys/start.html",
        {
            "respondent": respondent,
            "survey": respondent.survey,
            "has_draft": bool(draft),
            "first_url": respondent.url("section", 1),
            "has_questions": bool(structure.questions),
        },
    )


def _merge(draft: Draft, form: SectionForm) -> Draft:
    on_this_page = {question.pk for question in form.questions}
    merged = {key: value for key, value in draft.items() if int(key) not in on_this_page}
    merged.update(form.entries())
    return merged


@never_cache
@require_http_methods(["GET", "POST"])
@_members_only
def section(request, number: int, pk=None, key=None):
    """One section of questions, with how far through the survey this is."""
    respondent = _respondent(request, pk, key)
    stop = _closed_or_answered(respondent)
    if stop:
        return stop
    structure = load_structure(respondent.survey)
    draft = respondent.draft()
    visible = structure.visible(draft)
    if not visible:
        return redirect(respondent.url("start"))
    if number < 1 or number > len(visible):
        # A page number from a tampered link, or a section hidden since: the nearest real page.
        return redirect(respondent.url("section", min(max(number, 1), len(visible))))
    current = visible[number - 1]
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        form = SectionForm(request.POST, section=current, draft=draft)
        if form.is_valid():
            draft = _merge(draft, form)
            try:
                respondent.keep(draft)
            except services.SurveyError as problem:
                messages.error(request, str(problem))
                return redirect(respondent.url("start"))
            if respondent.saves_drafts and "save_for_later" in request.POST:
                messages.success(request, "Your answers are saved. Come back to finish them at any time.")
                return redirect("surveys:list")
            visible = structure.visible(draft)
            position = next((i for i, s in enumerate(visible) if s.pk == current.pk), len(visible) - 1)
            if changing or position + 1 >= len(visible):
                return redirect(respondent.url("check"))
            return redirect(respondent.url("section", position + 2))
    else:
        form = SectionForm(section=current, draft=draft)
    back = (
        respondent.url("check")
        if changing
        else (respondent.url("section", number - 1) if number > 1 else respondent.url("start"))
    )
    return render(
        request,
        "surveys/section.html",
        {
            "respondent": respondent,
            "survey": respondent.survey,
            "section": current,
            "form": form,
            "number": number,
            "count": len(visible),
            "changing": changing,
            "back_url": back,
            "action": request.get_full_path(),
        },
    )


@dataclass
class Row:
    question: Question
    answer: str
    missing_required: bool
    change_url: str


def _summary(respondent: Respondent, structure: Structure, draft: Draft) -> list[tuple[object, list[Row]]]:
    """Each section shown, with each question and the answer given, in words."""
    sections = []
    for index, section in enumerate(structure.visible(draft), 1):
        rows = []
        for question in section.questions.all():
            entry = draft.get(str(question.pk), {})
            rows.append(
                Row(
                    question=question,
                    answer=_answer_in_words(question, entry, structure),
                    missing_required=question.required and not is_answered(entry),
                    change_url=respondent.url("section", index) + f"?change=1#{_first_box(question)}",
                )
            )
        sections.append((section, rows))
    return sections


def _first_box(question: Question) -> str:
    """The id of the question's first box or option, as the form pack draws it."""
    suffix = "_0" if question.has_choices else ""
    return f"id_{field_name(question)}{suffix}"


def _answer_in_words(question: Question, entry: dict, structure: Structure) -> str:
    if not is_answered(entry):
        return ""
    if question.has_choices:
        labels = []
        for choice_id in entry.get("choices", []):
            choice = structure.choices.get(int(choice_id))
            if choice is not None:
                labels.append(answer_in_words(choice=choice, text=entry.get("other", "")))
        return "\n".join(labels)
    if question.kind == Question.Kind.NUMBER:
        return str(entry.get("number", ""))
    return str(entry.get("text", ""))


@never_cache
@require_http_methods(["GET", "POST"])
@_members_only
def check(request, pk=None, key=None):
    """Check your answers (with the crisis signposts), change any of them, then send."""
    respondent = _respondent(request, pk, key)
    stop = _closed_or_answered(respondent)
    if stop:
        return stop
    structure = load_structure(respondent.survey)
    draft = respondent.draft()
    sections = _summary(respondent, structure, draft)
    missing = [row for _, rows in sections for row in rows if row.missing_required]
    problem = ""
    status = 200
    if request.method == "POST" and missing:
        # Listed once each in the error summary, with a link to the question.
        status = 400
    elif request.method == "POST":
        if respondent.public and not allow(
            request, scope="surveys-public-submit", limit=PUBLIC_SUBMIT_LIMIT, per_seconds=PUBLIC_SUBMIT_WINDOW
        ):
            problem = (
                "A lot of answers have been sent from your internet connection. Please wait an hour and try again."
            )
            status = 429
        else:
            try:
                services.submit_response(structure=structure, draft=draft, member=respondent.member)
            except services.AlreadyAnswered:
                respondent.forget()
                return redirect(respondent.url("start"))
            except services.SurveyError as error:
                problem = str(error)
                status = 400
            else:
                respondent.forget()
                response = HttpResponseRedirect(respondent.url("done"))
                if respondent.public:
                    response.set_signed_cookie(
                        respondent.cookie_name,
                        "yes",
                        salt=ANSWERED_COOKIE_SALT,
                        max_age=ANSWERED_COOKIE_AGE,
                        httponly=True,
                        samesite="Lax",
                        secure=request.is_secure(),
                    )
                return response
    return render(
        request,
        "surveys/check.html",
        {
            "respondent": respondent,
            "survey": respondent.survey,
            "sections": sections,
            "missing": missing,
            "problem": problem,
            "back_url": respondent.url("section", len(sections)) if sections else respondent.url("start"),
            "crisis_signposts": group_context()["crisis_signposts"],
        },
        status=status,
    )


@require_GET
@_members_only
def done(request, pk=None, key=None):
    """Thank you: the answers were sent (anyone who has not sent any goes to the start)."""
    respondent = _respondent(request, pk, key)
    if not respondent.has_answered():
        return redirect(respondent.url("start"))
    return render(request, "surveys/done.html", {"respondent": respondent, "survey": respondent.survey})


# --- Member review (co-design) ------------------------------------------------------------------


@require_GET
@member_required
def review(request, pk: int):
    """The draft survey, question by question, with the reviewer's own comments so far."""
    survey = access.get_survey_to_review(request.user, pk)
    structure = load_structure(survey)
    mine: dict[int, list[ReviewComment]] = {}
    for comment in ReviewComment.objects.filter(question__section__survey=survey, member=request.member):
        mine.setdefault(comment.question_id, []).append(comment)
    sections = [
        (section, [(question, mine.get(question.pk, [])) for question in section.questions.all()])
        for section in structure.sections
    ]
    return render(request, "surveys/review.html", {"survey": survey, "sections": sections, "structure": structure})


@require_http_methods(["GET", "POST"])
@member_required
def review_question(request, pk: int, question_pk: int):
    """Comment on one draft question: leading, unclear, upsetting, an answer missing, or words."""
    survey = access.get_survey_to_review(request.user, pk)
    question = get_object_or_404(
        Question.objects.select_related("section").prefetch_related("choices"), pk=question_pk, section__survey=survey
    )
    if request.method == "POST":
        form = ReviewCommentForm(request.POST)
        if form.is_valid():
            services.add_review_comment(
                question=question,
                member=request.member,
                concerns=form.cleaned_data["concerns"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, "Thank you. Your comment has been saved for the team.")
            return redirect(reverse("surveys:review", args=[survey.pk]) + f"#question-{question.pk}")
    else:
        form = ReviewCommentForm()
    return render(request, "surveys/review_question.html", {"survey": survey, "question": question, "form": form})
