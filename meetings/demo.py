"""Demo meetings for `make run`: two years of bi-monthly group meetings with registrations,
attendance, minutes and actions, and meetings of several kinds coming up.

Safe to run any number of times: meetings are found by title and start time, venues by name,
registrations by meeting and member, actions by meeting and description. Dates follow the
calendar (the second Tuesday of every other month; the other kinds fall in next month), so
running the command again changes nothing, and running it months later adds the meetings that
have come round since. Registrations are made for whichever demo members exist.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from common.formatting import LONDON
from members.models import Member, User
from members.roles import COORDINATORS

from .models import Action, Meeting, MeetingSeries, Registration, Venue
from .services import _refresh_counts, needs_from_profile, register_for_meeting

DEMO_LINK = "https://meet.example.org/riverside-group"

GROUP_MEETING = {
    "purpose": (
        "Our regular get-together. We hear what the service has been working on, share what has "
        "and has not helped, and decide together what to look at next."
    ),
    "what_to_expect": (
        "About twelve people around a table, or joining on screen. Tea, coffee and something to eat. "
        "Babies and children are welcome, and you can step out whenever you need to.\n\n"
        "You do not have to talk about your own experience unless you want to."
    ),
    "what_to_bring": "Nothing you need to bring. Keep your travel tickets or receipts if you are claiming expenses.",
    "agenda": (
        "Welcome and introductions\nWhat has changed since last time\nThe topic for this meeting\nAny other business"
    ),
}

MINUTES = (
    "Twelve members came, eight in the room and four online. Chloe welcomed everyone and went "
    "through what the service has changed since the last meeting.\n\n"
    "We talked about {topic}. Members said the most helpful thing was being asked early, before "
    "plans are fixed, and being told afterwards what difference it made.\n\n"
    "Next meeting: the second Tuesday in two months' time."
)

TOPICS = [
    "the new welcome letter",
    "waiting times for a first appointment",
    "the birth reflections service",
    "how partners are included",
    "the feedback survey",
    "the mother and baby unit visiting rules",
    "the leaflet on medication in pregnancy",
    "peer support on the ward",
    "the website",
    "the discharge letter",
    "getting to appointments with a new baby",
    "the annual report to commissioners",
]

# Who owns each action: the coordinator (a member of staff), or the group as a whole.
# Members are never named as owners (see Action.owner).
COORDINATOR, THE_GROUP = "coordinator", None
ACTIONS = [
    ("Send the draft {topic} to members for comments", COORDINATOR),
    ("Tell the team what members said about {topic}", COORDINATOR),
    ("Bring the updated version back to the next meeting", THE_GROUP),
]


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _second_tuesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    first_tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + dt.timedelta(days=7)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def group_meeting_days(today: dt.date) -> tuple[list[dt.date], list[dt.date]]:
    """The bi-monthly group meetings (second Tuesday of odd months): the last two years, and the next two."""
    past, upcoming = [], []
    for offset in range(-25, 6):
        year, month = _add_months(today.year, today.month, offset)
        if month % 2 == 0:
            continue
        day = _second_tuesday(year, month)
        if day < today and (today - day).days <= 731:
            past.append(day)
        elif day >= today and len(upcoming) < 2:
            upcoming.append(day)
    return past, upcoming


def _venues() -> tuple[Venue, Venue]:
    centre, _ = Venue.objects.get_or_create(
        name="Riverside Family Centre",
        defaults={
            "address": "12 Mill Lane\nRiverside",
            "postcode": "RT1 4CD",
            "step_free": True,
            "parking": "Free parking behind the centre, including two wide bays for people with prams.",
            "baby_changing": True,
            "children_welcome": True,
            "access_notes": (
                "The meeting room is on the ground floor, next to the café. There is a quiet room "
                "for feeding or taking a break, and a lift to the toilets upstairs."
            ),
            "directions_url": "https://www.openstreetmap.org/search?query=Riverside%20Family%20Centre",
        },
    )
    house, _ = Venue.objects.get_or_create(
        name="Riverside House, Training Room 2",
        defaults={
            "address": "Riverside House\n1 River Street\nRiverside",
            "postcode": "RT1 2AB",
            "step_free": True,
            "parking": "Pay and display in the hospital car park. We refund the cost.",
            "baby_changing": True,
            "children_welcome": True,
            "access_notes": (
                "Go to the main reception and ask for the involvement team. Training Room 2 is on the first floor; "
                "there is a lift."
            ),
        },
    )
    return centre, house


def _meeting(*, title: str, starts_at: dt.datetime, hours: float = 2, **fields) -> Meeting:
    fields.setdefault("debrief_lead_name", "Chloe Adeyemi")
    fields.setdefault("debrief_lead_contact", "0300 123 4567")
    meeting, _ = Meeting.objects.get_or_create(
        title=title,
        starts_at=starts_at,
        defaults={"ends_at": starts_at + dt.timedelta(hours=hours), **fields},
    )
    return meeting


def _members() -> list[Member]:
    return list(
        Member.objects.filter(erased_at__isnull=True)
        .exclude(status=Member.Status.LEFT)
        .select_related("user")
        .order_by("user__email")
    )


def _coordinator() -> User | None:
    """The demo coordinator, who owns most actions (None if there is none: the group owns them)."""
    return User.objects.filter(is_staff=True, groups__name=COORDINATORS).order_by("pk").first()


def _past_group_meeting(
    day: dt.date,
    index: int,
    venue: Venue,
    series: MeetingSeries,
    members: list[Member],
    coordinator: User | None,
) -> None:
    topic = TOPICS[index % len(TOPICS)]
    meeting = _meeting(
        title=f"Group meeting: {day:%B %Y}",
        starts_at=_local(day, 10),
        kind=Meeting.Kind.GROUP_MEETING,
        mode=Meeting.Mode.HYBRID,
        venue=venue,
        online_link=DEMO_LINK,
        capacity=20,
        series=series,
        **GROUP_MEETING,
    )
    # Attendance: most come, a few send apologies, the odd person does not make it.
    for number, member in enumerate(members):
        turn = (number + index) % 7
        status = (
            Registration.Status.APOLOGIES
            if turn == 5
            else Registration.Status.NO_SHOW
            if turn == 6
            else Registration.Status.ATTENDED
        )
        Registration.objects.get_or_create(
            meeting=meeting,
            member=member,
            defaults={
                "status": status,
                "created_at": meeting.starts_at - dt.timedelta(days=14),
                "status_changed_at": meeting.ends_at,
                **needs_from_profile(member),
            },
        )
    _refresh_counts(meeting)
    updates = {"attendance_taken_at": meeting.attendance_taken_at or meeting.ends_at + dt.timedelta(hours=2)}
    if meeting.minutes_status == Meeting.MinutesStatus.NONE:
        updates["minutes"] = MINUTES.format(topic=topic)
        # The latest meeting's minutes are still a draft, waiting for the group to agree them.
        if index == 0:
            updates["minutes_status"] = Meeting.MinutesStatus.DRAFT
        else:
            updates["minutes_status"] = Meeting.MinutesStatus.PUBLISHED
            updates["minutes_published_at"] = meeting.ends_at + dt.timedelta(days=10)
    Meeting.objects.filter(pk=meeting.pk).update(**updates)
    for order, (description, owner) in enumerate(ACTIONS):
        Action.objects.get_or_create(
            meeting=meeting,
            description=description.format(topic=topic),
            defaults={
                "owner": coordinator if owner == COORDINATOR else None,
                "order": order,
                "status": Action.Status.DONE
                if index > 1
                else Action.Status.IN_PROGRESS
                if order == 0
                else Action.Status.OPEN,
                "due_on": (meeting.starts_at + dt.timedelta(days=56)).date(),
            },
        )


def _sign_up(meeting: Meeting, members: list[Member]) -> None:
    """Registers each member once (through the service, so the counts and waiting list are right)."""
    if meeting.starts_at <= timezone.now():
        return
    for member in members:
        if not Registration.objects.filter(meeting=meeting, member=member).exists():
            register_for_meeting(member=member, meeting=meeting)


@transaction.atomic
def seed_meetings(today: dt.date | None = None) -> None:
    """Creates the demo venues and meetings, and registers the demo members that exist."""
    today = today or timezone.localdate()
    centre, house = _venues()
    series, _ = MeetingSeries.objects.get_or_create(
        title="Bi-monthly group meetings",
        defaults={
            "rule": (
                "Every other month (January, March, May, July, September, November), second Tuesday, 10am to midday"
            )
        },
    )
    members = _members()
    # The demo log-in member first, so they always have a place and a place in a queue to look at.
    members.sort(key=lambda member: member.user.email != "member@demo.example")

    past, upcoming = group_meeting_days(today)
    coordinator = _coordinator()
    for index, day in enumerate(sorted(past, reverse=True)):
        _past_group_meeting(day, index, centre, series, members, coordinator)

    for number, day in enumerate(upcoming):
        meeting = _meeting(
            title=f"Group meeting: {day:%B %Y}",
            starts_at=_local(day, 10),
            kind=Meeting.Kind.GROUP_MEETING,
            mode=Meeting.Mode.HYBRID,
            venue=centre,
            online_link=DEMO_LINK,
            online_joining_notes="The link opens a few minutes early, so you can check your sound and camera.",
            capacity=20,
            series=series,
            **GROUP_MEETING,
        )
        if number == 0:
            _sign_up(meeting, members[: max(len(members) - 2, 1)])

    year, month = _add_months(today.year, today.month, 1)
    focus = _meeting(
        title="Shaping the new welcome leaflet",
        starts_at=_local(_nth_weekday(year, month, 2, 2), 19),
        hours=1.5,
        kind=Meeting.Kind.FOCUS_GROUP,
        mode=Meeting.Mode.ONLINE,
        online_link="https://meet.example.org/riverside-leaflet",
        online_joining_notes="Cameras are optional. You can type in the chat instead of speaking.",
        capacity=8,
        purpose=(
            "The service is rewriting the letter and leaflet families get before their first appointment. We want to "
            "hear what you wish you had been told."
        ),
        what_to_expect=(
            "A relaxed evening conversation with up to eight people and two facilitators. We will share the draft on "
            "screen."
        ),
        agenda="What you remember about your first appointment\nThe draft leaflet, page by page\nWhat is missing",
    )
    _sign_up(focus, members[1:4])

    panel = _meeting(
        title="Interview panel: peer support worker",
        starts_at=_local(_nth_weekday(year, month, 3, 2), 9, 30),
        hours=4,
        kind=Meeting.Kind.INTERVIEW_PANEL,
        mode=Meeting.Mode.IN_PERSON,
        venue=house,
        capacity=2,
        purpose="Two members join the staff panel to interview candidates for a new peer support worker role.",
        what_to_expect=(
            "We will meet half an hour before the first interview to go through the questions. "
            "Each interview lasts 45 minutes. Lunch is provided.\n\n"
            "You need to have completed the interview panel training."
        ),
        what_to_bring="Nothing. We will give you the questions and scoring sheets on the day.",
        agenda="Briefing\nFour interviews\nScoring and decision",
    )
    # Full, with people waiting: two places taken, the demo member and others in the queue.
    _sign_up(panel, members[1:3] + members[:1] + members[3:5])

    training = _meeting(
        title="Telling your story safely",
        starts_at=_local(_nth_weekday(year, month, 3, 3), 10),
        hours=3,
        kind=Meeting.Kind.TRAINING,
        mode=Meeting.Mode.IN_PERSON,
        venue=centre,
        capacity=12,
        purpose=(
            "A morning's training on sharing your own experience in a way that feels safe for you, for members who "
            "would like to speak at staff training or events."
        ),
        what_to_expect=(
            "Small group exercises, nothing you have to share. Creche places are available: tell us when you sign up."
        ),
        agenda="Why stories matter\nChoosing what to share\nLooking after yourself before and after\nPractice in pairs",
    )
    _sign_up(training, members[:1] + members[4:6])

    sensitive = _meeting(
        title="Listening session: difficult birth experiences",
        starts_at=_local(_nth_weekday(year, month, 0, 2), 13),
        kind=Meeting.Kind.FOCUS_GROUP,
        mode=Meeting.Mode.HYBRID,
        venue=centre,
        online_link="https://meet.example.org/riverside-listening",
        capacity=10,
        is_sensitive=True,
        content_note=(
            "This session is about difficult and traumatic birth experiences, including emergency "
            "care and the days after. Some people may talk about loss. You do not have to share "
            "anything you do not want to."
        ),
        debrief_lead_name="Dr Morgan Ellis, clinical psychologist",
        debrief_lead_contact="0300 123 4568 (Monday to Friday, 9am to 5pm)",
        purpose=(
            "The maternity and perinatal teams want to understand what would have made a difficult birth less "
            "frightening, and what helped afterwards."
        ),
        what_to_expect=(
            "A small, gentle group with a psychologist present. There is a separate quiet room if you need a break."
        ),
        agenda=(
            "Welcome and ground rules\nWhat helped and what did not\nWhat you would change\nClosing and looking after "
            "yourself"
        ),
    )
    _sign_up(sensitive, members[2:5])

    _meeting(
        title="Commissioners' review of the perinatal service",
        starts_at=_local(_nth_weekday(year, month, 1, 3), 14),
        kind=Meeting.Kind.COMMISSIONING,
        mode=Meeting.Mode.ONLINE,
        online_link="https://meet.example.org/riverside-commissioning",
        capacity=4,
        purpose=(
            "Commissioners are reviewing the service this year. Members can tell them directly what matters to "
            "families."
        ),
        what_to_expect=(
            "An hour-long online meeting with two commissioners and the service manager. We will help you prepare."
        ),
        agenda="Introductions\nWhat members want commissioners to know\nQuestions",
    )

    _this_week(today, members)


def _this_week(today: dt.date, members: list[Member]) -> None:
    """Two short online sessions around today, so the scheduler has real work as soon as
    `make run` starts: a 7-day reminder is due for one coming up in three days, and the debrief
    message is due for one held yesterday evening. The places were taken two weeks ago."""
    signed_up = members[: min(len(members), 4)]
    upcoming = _meeting(
        title="Online coffee morning",
        starts_at=_local(today + dt.timedelta(days=3), 10),
        hours=1,
        kind=Meeting.Kind.OTHER,
        mode=Meeting.Mode.ONLINE,
        online_link="https://meet.example.org/riverside-coffee",
        online_joining_notes="Drop in for as long as you like. Babies on laps are very welcome.",
        capacity=12,
        purpose="An informal hour to catch up with other members between group meetings.",
        what_to_expect="No agenda and nothing to prepare. Cameras are optional.",
    )
    _sign_up(upcoming, signed_up)
    # Places taken a fortnight ago are owed the 7-day reminder (see due.due_reminders).
    upcoming.registrations.filter(status=Registration.Status.REGISTERED).update(
        created_at=upcoming.starts_at - dt.timedelta(days=14),
        status_changed_at=upcoming.starts_at - dt.timedelta(days=14),
    )

    held = _meeting(
        title="Evening check-in",
        starts_at=_local(today - dt.timedelta(days=1), 19),
        hours=1,
        kind=Meeting.Kind.OTHER,
        mode=Meeting.Mode.ONLINE,
        online_link="https://meet.example.org/riverside-evening",
        capacity=12,
        purpose="A short online check-in for members who cannot come in the daytime.",
        what_to_expect="A relaxed hour with a facilitator. You can listen without speaking.",
    )
    for member in signed_up:
        Registration.objects.get_or_create(
            meeting=held,
            member=member,
            defaults={
                "status": Registration.Status.REGISTERED,
                "created_at": held.starts_at - dt.timedelta(days=14),
                "status_changed_at": held.starts_at - dt.timedelta(days=14),
                **needs_from_profile(member),
            },
        )
    _refresh_counts(held)
