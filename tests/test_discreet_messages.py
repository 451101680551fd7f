"""Subject lines and text messages say nothing about mental health.

They show on lock screens, in notification previews and in shared inboxes: being in the group
must not be given away to whoever glances at a phone. So every kind of message the outbox knows
is made as its app makes it (``tests/message_fixtures.py``: realistic objects, activities with
painful titles, a group whose full name says what it is about), built as it would be sent on
every channel it goes on, and its subject line (email) or its words (text message) are checked
against a list of words about mental health. Message bodies may say more: they are read by the
person they are for, after opening them.

A new kind of message fails here until it has a maker in ``tests/message_fixtures.py``.
"""

from __future__ import annotations

import pytest

from outbox import kinds
from outbox.models import Channel, Message

from .message_fixtures import MAKERS, reachable_member, realistic_group

pytestmark = pytest.mark.django_db

# Word beginnings, matched anywhere in the lower-cased text ("depress" finds "depression").
WORDS_ABOUT_MENTAL_HEALTH = (
    "mental",
    "psychiatr",
    "psycho",
    "depress",
    "anxiety",
    "anxious",
    "trauma",
    "suicid",
    "crisis",
    "perinatal",
    "postnatal",
    "postpartum",
    "self-harm",
    "self harm",
    "therap",
    "counsel",
    "loss",
    "bereave",
    "grief",
    "miscarriage",
    "stillbirth",
    "tokophobia",
    "illness",
    "diagnos",
    "medication",
    "wellbeing",
    "well-being",
    "bipolar",
    "ptsd",
    "distress",
)


def project_kinds() -> list[str]:
    """Every kind the apps register (tests' own kinds, "<app>_tests.<what>", left out)."""
    return sorted(kind.name for kind in kinds.registered() if not kind.name.split(".")[0].endswith("_tests"))


def words_about_mental_health(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in WORDS_ABOUT_MENTAL_HEALTH if word in lowered]


def what_shows(message: Message) -> str:
    """What a lock screen shows: an email's subject line, a text message's words."""
    try:
        content = kinds.get(message.kind).build(message)
    except kinds.NoLongerNeeded as reason:
        pytest.fail(f"The maker for {message.kind} made a message its builder would not send: {reason}")
    shown = content.text if message.channel == Channel.SMS else content.subject
    assert shown.strip(), (
        f"{message.kind} ({message.channel}) has no {'text' if message.channel == 'sms' else 'subject'}"
    )
    return shown


@pytest.mark.parametrize("kind", project_kinds())
def test_no_subject_or_text_message_says_anything_about_mental_health(kind):
    assert kind in MAKERS, f"Add a maker for {kind!r} to tests/message_fixtures.py, so its words are checked here."
    realistic_group()
    MAKERS[kind](reachable_member())

    made = list(Message.objects.filter(kind=kind).select_related("recipient"))
    assert made, f"The maker for {kind} made no message"
    shown = {f"{message.channel} #{message.pk}": what_shows(message) for message in made}
    found = {where: words_about_mental_health(text) for where, text in shown.items()}
    assert not any(found.values()), (kind, {where: (shown[where], words) for where, words in found.items() if words})


def test_texts_are_checked_too():
    # The member chose texts, so every kind that goes by text was made on both channels above.
    realistic_group()
    member = reachable_member()
    for kind in ("expenses.claim_approved", "meetings.cancelled"):
        if kind in project_kinds():
            MAKERS[kind](member)
    channels = set(Message.objects.values_list("channel", flat=True))
    assert channels == {Channel.EMAIL, Channel.SMS}


def test_the_check_finds_words_about_mental_health():
    assert words_about_mental_health("Your Perinatal group meeting – Riverside") == ["perinatal"]
    assert words_about_mental_health("Postnatal depression peer support") == ["depress", "postnatal"]
    assert words_about_mental_health("Your expense claim is approved – Riverside group") == []
