"""Review rounds in the admin.

Adding a round: choose the draft, the questions (one a line; the usual three are filled in), the
deadline, and which members to invite by filters (lived-experience interest, the access need the
format is for, past participation). Saving opens the round through `services.start_review_round`,
which invites them through the outbox. The same filters on a round's page invite more members.

A round's page gathers every point reviewers made in one table, with a response and a reason per
point; saving answers them through `services.respond_to_feedback`, which tells each member once.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from common.admin_labels import AccessibleAdminMixin
from members.models import Member

from .. import services
from ..models import DEFAULT_QUESTIONS, Rating, Resource, ReviewFeedback, ReviewInvitation, ReviewRound
from ..reviewers import Participation, choose_reviewers, needs_for_format

MATCH_FORMAT = "match_format"
ANYONE = "anyone"


class ReviewRoundForm(forms.ModelForm):
    questions_text = forms.CharField(
        label="Questions for reviewers",
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="\n".join(DEFAULT_QUESTIONS),
        help_text="One question a line. Reviewers rate each one (yes, mostly, not really).",
    )
    member_topics = forms.MultipleChoiceField(
        label="Invite members interested in",
        choices=Member.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The lived-experience topics members chose on their profile. Leave empty for everyone.",
    )
    access = forms.ChoiceField(
        label="Access needs",
        choices=[
            (
                MATCH_FORMAT,
                "Match the format: Easy Read drafts to those who asked for Easy Read, "
                "large print to those who asked for large print",
            ),
            (ANYONE, "Anyone, whatever their access needs"),
        ],
        initial=MATCH_FORMAT,
        widget=forms.RadioSelect,
    )
    participation = forms.ChoiceField(
        label="Past participation",
        choices=Participation.CHOICES,
        initial=Participation.ANYONE,
        widget=forms.RadioSelect,
    )
    invite_now = forms.BooleanField(
        label="Invite the members who match",
        required=False,
        initial=True,
        help_text="On a round already open, this invites anyone matching who was not invited before.",
    )

    class Meta:
        model = ReviewRound
        fields = ["resource", "deadline", "introduction"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["questions_text"].initial = "\n".join(self.instance.questions)
            self.fields["questions_text"].disabled = True
            self.fields["questions_text"].help_text = "Questions cannot change once reviewers have them."
            self.fields["invite_now"].initial = False
            self.fields["resource"].disabled = True
        self.fields["resource"].queryset = Resource.objects.exclude(
            status__in=[Resource.Status.IDEA, Resource.Status.ARCHIVED]
        )

    def clean_questions_text(self):
        questions = [line.strip() for line in self.cleaned_data["questions_text"].splitlines() if line.strip()]
        if not questions:
            raise ValidationError("Ask at least one question.")
        if any(len(question) > 300 for question in questions):
            raise ValidationError("Keep each question under 300 characters.")
        return questions

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if self.instance.pk is None and deadline and deadline <= timezone.now():
            raise ValidationError("The deadline must be in the future.")
        return deadline

    def reviewers(self, resource: Resource):
        data = self.cleaned_data
        needs = needs_for_format(resource.format) if data.get("access") == MATCH_FORMAT else {}
        return choose_reviewers(
            member_topics=data.get("member_topics") or [],
            access_needs=list(needs),
            participation=data.get("participation"),
        )


class InvitationInline(admin.TabularInline):
    model = ReviewInvitation
    extra = 0
    can_delete = False
    fields = ["member", "invited_at", "responded_at", "ratings"]
    readonly_fields = fields
    verbose_name_plural = "invited members"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__user").prefetch_related("answers")

    @admin.display(description="ratings")
    def ratings(self, obj):
        return "; ".join(f"{answer.number}: {answer.get_rating_display()}" for answer in obj.answers.all()) or "–"


class FeedbackResponseForm(forms.ModelForm):
    class Meta:
        model = ReviewFeedback
        fields = ["response", "response_reason"]
        widgets = {"response_reason": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        cleaned = super().clean()
        response, reason = cleaned.get("response"), (cleaned.get("response_reason") or "").strip()
        if response and response != ReviewFeedback.Response.CHANGED and not reason:
            self.add_error("response_reason", "Say why: the member will read this.")
        if reason and not response:
            self.add_error("response", "Choose what happened to this point.")
        return cleaned


class FeedbackInline(AccessibleAdminMixin, admin.TabularInline):
    model = ReviewFeedback
    form = FeedbackResponseForm
    extra = 0
    can_delete = False
    fields = ["reviewer", "quote", "comment", "created_at", "response", "response_reason", "responded_at"]
    readonly_fields = ["reviewer", "quote", "comment", "created_at", "responded_at"]
    verbose_name_plural = "feedback: answer each point (the member is told)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("invitation__member__user")

    @admin.display(description="reviewer")
    def reviewer(self, obj):
        return str(obj.invitation.member)


@admin.register(ReviewRound)
class ReviewRoundAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    form = ReviewRoundForm
    list_display = ["resource", "deadline", "invited", "responded", "points", "unanswered", "is_open"]
    list_filter = ["closed_at"]
    search_fields = ["resource__title"]
    readonly_fields = ["ratings_summary", "closed_at"]
    inlines = [FeedbackInline, InvitationInline]
    actions = ["close_rounds"]

    def get_fieldsets(self, request, obj=None):
        round_fields = ["resource", "deadline", "introduction", "questions_text"]
        if obj is not None:
            round_fields += ["closed_at", "ratings_summary"]
        return [
            (None, {"fields": round_fields}),
            (
                "Who to invite" if obj is None else "Invite more members",
                {"fields": ["member_topics", "access", "participation", "invite_now"]},
            ),
        ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("resource")
            .annotate(
                invited_count=Count("invitations", distinct=True),
                responded_count=Count("invitations", filter=~Q(invitations__responded_at=None), distinct=True),
                point_count=Count("feedback", distinct=True),
                unanswered_count=Count("feedback", filter=Q(feedback__response=""), distinct=True),
            )
        )

    @admin.display(description="invited", ordering="invited_count")
    def invited(self, obj):
        return obj.invited_count

    @admin.display(description="sent feedback")
    def responded(self, obj):
        return obj.responded_count

    @admin.display(description="points")
    def points(self, obj):
        return obj.point_count

    @admin.display(description="not answered yet")
    def unanswered(self, obj):
        return obj.unanswered_count

    @admin.display(description="open", boolean=True)
    def is_open(self, obj):
        return obj.is_open

    @admin.display(description="ratings so far")
    def ratings_summary(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        counts: dict[int, dict[str, int]] = {}
        for number, rating, n in (
            obj.invitations.values_list("answers__number", "answers__rating")
            .annotate(n=Count("pk"))
            .exclude(answers__number=None)
        ):
            counts.setdefault(number, {})[rating] = n
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (question, *(counts.get(number, {}).get(value, 0) for value in Rating.values))
                for number, question in enumerate(obj.questions, start=1)
            ),
        )
        headings = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in Rating.labels))
        return format_html(
            '<table><thead><tr><th scope="col">Question</th>{}</tr></thead><tbody>{}</tbody></table>', headings, rows
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["deadline", "introduction"])
            if form.cleaned_data.get("invite_now"):
                try:
                    new = services.invite_members(round_=obj, members=form.reviewers(obj.resource))
                except services.LibraryError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(request, f"Invited {len(new)} more member{'s' if len(new) != 1 else ''}.")
            return
        try:
            round_ = services.start_review_round(
                resource=form.cleaned_data["resource"],
                questions=form.cleaned_data["questions_text"],
                deadline=form.cleaned_data["deadline"],
                members=form.reviewers(form.cleaned_data["resource"]) if form.cleaned_data.get("invite_now") else [],
                by=request.user,
                introduction=form.cleaned_data.get("introduction", ""),
            )
        except services.LibraryError as error:
            # The form checks what it can; anything else is said at the top of the page.
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk = round_.pk
        obj.refresh_from_db()
        invited = round_.invitations.count()
        self.message_user(request, f"Review round opened. {invited} member{'s' if invited != 1 else ''} invited.")

    def save_formset(self, request, form, formset, change):
        # The admin's change message reads these; the services below do the saving.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not ReviewFeedback:
            return
        for point_form in formset.forms:
            if not point_form.has_changed() or not point_form.cleaned_data.get("response"):
                continue
            formset.changed_objects.append((point_form.instance, point_form.changed_data))
            services.respond_to_feedback(
                feedback=point_form.instance,
                response=point_form.cleaned_data["response"],
                reason=point_form.cleaned_data.get("response_reason", ""),
                by=request.user,
            )

    @admin.action(description="Close these rounds now (no more feedback or reminders)")
    def close_rounds(self, request, queryset):
        for round_ in queryset:
            services.close_review_round(round_=round_)
        self.message_user(request, "Closed.")
