"""The feed's forms: compose, reply, edit a waiting post, report, alerts, and "Ask the team".

Each form that makes something carries a hidden token (a fresh one each time the empty form is
shown); the service makes at most one post or message per token, so a double click or a resent
form makes one. No browser-side length limits: pasted text is never cut off without a word; the
server says what is wrong and keeps everything typed.
"""

from __future__ import annotations

import uuid

from django import forms

from nhsuk_forms.limits import NoBrowserLimits, too_long

from .models import BODY_LIMIT, AlertSettings, Frequency, Post, Report, Topic


class _Form(NoBrowserLimits, forms.Form):
    pass


class TokenMixin(forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())

    def clean_token(self):
        # A form without a token (an old page, a hand-made request) still works, just without the guard.
        return self.cleaned_data.get("token") or uuid.uuid4()


def _body_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write your message.", "max_length": too_long("Your message")},
    )


BODY_HELP = (
    "Be kind, and do not share anyone's private details. You can add a link by pasting it. Pictures are not shown."
)


class PostForm(TokenMixin, _Form):
    kind = forms.ChoiceField(
        label="What kind of post is this?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of post this is.",
            "invalid_choice": "Choose what kind of post this is.",
        },
    )
    topic = forms.ModelChoiceField(
        label="Topic (optional)",
        queryset=Topic.objects.all(),
        required=False,
        empty_label="No topic",
        error_messages={"invalid_choice": "Choose a topic from the list."},
    )
    title = forms.CharField(
        label="Title",
        help_text="A few words that say what your post is about.",
        max_length=150,
        error_messages={"required": "Give your post a title.", "max_length": too_long("The title")},
    )
    body = _body_field("Your post", BODY_HELP)
    content_note = forms.CharField(
        label="Content note (optional)",
        help_text="If your post talks about something that may upset others, say what in a few words, "
        "for example \u201cbirth trauma\u201d. Your post will be folded away until someone chooses to read it.",
        max_length=200,
        required=False,
        error_messages={"max_length": too_long("The content note")},
    )

    def __init__(self, *args, staff: bool = False, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = Post.STAFF_KINDS if staff else Post.MEMBER_KINDS
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        if staff:
            self.fields["pinned"] = forms.BooleanField(label="Pin this post to the top of the feed", required=False)
        if editing:
            del self.fields["kind"]


class ReplyForm(TokenMixin, _Form):
    body = _body_field("Your reply", BODY_HELP)


class ReportForm(_Form):
    reason = forms.ChoiceField(
        label="Why are you reporting this post?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why you are reporting this post.",
            "invalid_choice": "Choose why you are reporting this post.",
        },
    )
    details = forms.CharField(
        label="Anything else you want to tell us (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": too_long("What you tell us")},
    )


class AlertsForm(forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = ["new_posts", "replies", "team"]
        widgets = dict.fromkeys(fields, forms.RadioSelect)
        labels = {
            "new_posts": "New posts in the group",
            "replies": "Replies to my posts",
            "team": "Messages from the team",
        }
        help_texts = {
            "new_posts": "When anyone posts something new in the group feed.",
            "replies": "When someone replies to a post you wrote.",
            "team": "When the team answers you in \u201cAsk the team\u201d.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.choices = Frequency.choices
            field.error_messages["required"] = "Choose how often you want to hear about this."
            field.error_messages["invalid_choice"] = "Choose how often you want to hear about this."


class AskTheTeamForm(TokenMixin, _Form):
    subject = forms.CharField(
        label="What is it about?",
        help_text="A few words, for example \u201cA question about expenses\u201d.",
        max_length=120,
        error_messages={"required": "Say in a few words what it is about.", "max_length": too_long("This")},
    )
    body = _body_field("Your message", "Only you and the coordinators can see this conversation.")


class MessageForm(TokenMixin, _Form):
    body = _body_field("Your message", "")


class HideForm(_Form):
    note = forms.CharField(
        label="Note to the writer",
        help_text="Say kindly why the post is hidden. They will see it in \u201cAsk the team\u201d.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write a note to the writer.", "max_length": too_long("The note")},
    )


class ContactWriterForm(_Form):
    body = _body_field("Message to the writer", "They will see it in \u201cAsk the team\u201d.")


class ApproveForm(_Form):
    note = forms.CharField(
        label="Note for other moderators (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": too_long("The note")},
    )
