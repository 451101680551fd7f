"""A small, explicit world for the involvement report for a period, counted by hand.

The period is 1 April to 30 June 2025 (UK days); the report is made on 1 August 2025 at midday
(``NOW``). Everyone has a distinctive name and email address, so tests can check that none of
them reaches a commissioner's report.

Members (joined; status over time):

====  =====================  ===========================================================
A     Amira Quenby           joined Jan 2024, active since 20 Jan 2024
B     Beth Ottoline          joined 5 Apr 2025 (in the period), active since 10 Apr 2025
C     Cara Pennywhistle      joined Jun 2024, active; left 15 May 2025 (a leaver)
D     Dana Fairweather       joined 5 Jul 2025 (after the period): counted nowhere
E     Erin Maplethorpe       active since 2023; took a break on 10 Jun 2025
F     Fay Wintergreen        joined 20 May 2025, never finished joining (interested)
G     Gail Hollowbrook       active since Feb 2024; left 10 Jul 2025 (after the period)
H     Hana Brightwater       active since 5 Mar 2024; erased on 1 Aug 2025 (after the period)
I     Ivy Thistledown        active since Jan 2024; left 1 Jun 2025 9am; erased on 1 Aug 2025
J     Jo Larkspur            joined 1 Jul 2025 00:30 BST (30 June in UTC): not a joiner
K     Kit Marchbank          joined 1 Apr 2025 00:30 BST (31 March in UTC): a joiner
N1-11 Nell Quarrington 1-11  joined Sep 2024, active
====  =====================  ===========================================================

Active at the end of the period (midnight, 30 June/1 July): A, B, G (from G's history), H (her
history was erased; she had finished joining), N1-N11 = 15. E is taking a break, C and I
have left, F never finished joining, D, J had not joined as active members.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from expenses.models import Category
from expenses.tests.factories import ExpenseClaimFactory, ExpenseItemFactory
from involvement.models import ImpactItem, Project, ProjectMember, Quote, Rung, RungChange
from library.models import (
    Credit,
    Format,
    Resource,
    ResourceReach,
    ResourceVersion,
    ReviewFeedback,
    ReviewInvitation,
    ReviewRound,
)
from meetings.models import Meeting, Registration
from meetings.tests.factories import MeetingFactory, RegistrationFactory, london
from members.models import EqualityMonitoring, Member
from members.privacy import erase_member
from members.tests.factories import EqualityMonitoringFactory, MemberFactory, UserFactory, give_consents
from surveys.models import Answer, Question, Response, ReviewComment, Survey
from surveys.tests.factories import SectionFactory, SurveyFactory, question

START = dt.date(2025, 4, 1)
END = dt.date(2025, 6, 30)
NOW = london(2025, 8, 1, 12)

QUOTE_USED = "Being asked what we thought made me feel heard."
QUOTE_WITHDRAWN = "I nearly did not come back after the first meeting."
QUOTE_NEVER_ASKED = "The tea was always cold."
QUOTE_TOO_LATE = "Said after the period ended."
SECRET_ANSWER = "My consultant at Riverside was unkind to me"

AGE = EqualityMonitoring.AgeBand
REL = Member.Relationship
TOPIC = Member.Topic


def _day(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return london(year, month, day, hour)


def _member(
    key: str, name: str, *, joined: dt.datetime, since: dt.datetime | None = None, status=Member.Status.ACTIVE, **fields
):
    """A member whose status took effect at ``since`` (their first history row says so)."""
    user = UserFactory(email=f"{key}.period@example.org", name=name)
    finished = status != Member.Status.INTERESTED
    return MemberFactory(
        user=user,
        status=status,
        joined_at=joined,
        status_changed_at=since or joined,
        onboarding_step=len(Member.ONBOARDING_STEPS) if finished else 1,
        onboarding_completed_at=(since or joined) if finished else None,
        **fields,
    )


def _change_status(member: Member, status: str, at: dt.datetime) -> None:
    member.status = status
    member.status_changed_at = at
    member.save()  # a second history row, as the services' saves make


def make_members() -> dict[str, Member]:
    m = {}
    m["A"] = _member(
        "amira",
        "Amira Quenby",
        joined=_day(2024, 1, 10),
        since=_day(2024, 1, 20),
        relationship=REL.BIRTHING_PERSON,
        topics=[TOPIC.BIRTH_TRAUMA, TOPIC.ANXIETY],
        heard_about=Member.HeardAbout.CLINICIAN,
    )
    m["B"] = _member(
        "beth",
        "Beth Ottoline",
        joined=_day(2025, 4, 5, 10),
        since=_day(2025, 4, 10),
        relationship=REL.BIRTHING_PERSON,
        topics=[TOPIC.ANXIETY],
        heard_about=Member.HeardAbout.SOCIAL_MEDIA,
    )
    m["C"] = _member(
        "cara",
        "Cara Pennywhistle",
        joined=_day(2024, 6, 1),
        relationship=REL.PARTNER,
        topics=[TOPIC.PERINATAL_LOSS],
    )
    _change_status(m["C"], Member.Status.LEFT, _day(2025, 5, 15))
    m["D"] = _member(
        "dana",
        "Dana Fairweather",
        joined=_day(2025, 7, 5),
        since=_day(2025, 7, 6),
        heard_about=Member.HeardAbout.FRIEND,
    )
    m["E"] = _member("erin", "Erin Maplethorpe", joined=_day(2023, 3, 1))
    _change_status(m["E"], Member.Status.PAUSED, _day(2025, 6, 10))
    m["F"] = _member(
        "fay",
        "Fay Wintergreen",
        joined=_day(2025, 5, 20),
        status=Member.Status.INTERESTED,
        heard_about=Member.HeardAbout.PREFER_NOT,
    )
    m["G"] = _member(
        "gail",
        "Gail Hollowbrook",
        joined=_day(2024, 2, 1),
        relationship=REL.PARTNER,
        topics=[TOPIC.POSTNATAL_DEPRESSION],
    )
    _change_status(m["G"], Member.Status.LEFT, _day(2025, 7, 10))
    m["H"] = _member(
        "hana", "Hana Brightwater", joined=_day(2024, 3, 1), since=_day(2024, 3, 5), relationship=REL.BIRTHING_PERSON
    )
    m["I"] = _member("ivy", "Ivy Thistledown", joined=_day(2024, 1, 1))
    _change_status(m["I"], Member.Status.LEFT, london(2025, 6, 1, 9))
    m["J"] = _member("jo", "Jo Larkspur", joined=london(2025, 7, 1, 0, 30), status=Member.Status.INTERESTED)
    m["K"] = _member(
        "kit",
        "Kit Marchbank",
        joined=london(2025, 4, 1, 0, 30),
        status=Member.Status.INTERESTED,
        heard_about=Member.HeardAbout.FRIEND,
    )
    for n in range(1, 12):
        fields = {}
        if n <= 3:
            fields = {"relationship": REL.BIRTHING_PERSON, "topics": [TOPIC.ANXIETY]}
        elif n == 4:
            fields = {"relationship": REL.PARTNER, "topics_prefer_not": True}
        elif n <= 6:
            fields = {"relationship": REL.PARTNER}
        m[f"N{n}"] = _member(f"nell{n}", f"Nell Quarrington{n}", joined=_day(2024, 9, 1), **fields)

    # Equality answers (filed under each member's random key).
    for key in ("A", "B", "N1", "N2", "N3", "H"):
        EqualityMonitoringFactory(member=m[key], age_band=AGE.A30_34)
    for key in ("G", "N4"):
        EqualityMonitoringFactory(member=m[key], age_band=AGE.A25_29)
    EqualityMonitoringFactory(member=m["N5"], age_band=AGE.A35_39)
    EqualityMonitoringFactory(member=m["C"], age_band=AGE.A40_PLUS)  # left: not counted
    return m


def make_meetings(m: dict[str, Member]) -> dict[str, Meeting]:
    """Three meetings held in the period, one cancelled, two just outside it."""
    meetings = {}
    # M1: group meeting in person, 2 hours, 20 places, register taken:
    # A, B, E attended; C did not come; N1 sent apologies. Took part 3, places taken 4.
    m1 = MeetingFactory(
        title="April group meeting",
        starts_at=london(2025, 4, 8, 10),
        capacity=20,
        attendance_taken_at=london(2025, 4, 8, 13),
    )
    for key in ("A", "B", "E"):
        RegistrationFactory(meeting=m1, member=m[key], status=Registration.Status.ATTENDED)
    RegistrationFactory(meeting=m1, member=m["C"], status=Registration.Status.NO_SHOW)
    RegistrationFactory(meeting=m1, member=m["N1"], status=Registration.Status.APOLOGIES)
    meetings["M1"] = m1
    # M2: online focus group, 1.5 hours, no limit, no register: A, G, N2 registered (took part),
    # N3 waiting, N4 cancelled. Took part 3, places taken 3.
    m2 = MeetingFactory(
        title="Focus group on waiting times",
        kind=Meeting.Kind.FOCUS_GROUP,
        online=True,
        starts_at=london(2025, 5, 13, 18),
        ends_at=london(2025, 5, 13, 19, 30),
    )
    for key in ("A", "G", "N2"):
        RegistrationFactory(meeting=m2, member=m[key])
    RegistrationFactory(meeting=m2, member=m["N3"], status=Registration.Status.WAITING)
    RegistrationFactory(meeting=m2, member=m["N4"], status=Registration.Status.CANCELLED)
    meetings["M2"] = m2
    # M3: hybrid group meeting on the evening of the last day, 2 hours, 10 places: A and N5
    # attended. Took part 2, places taken 2.
    m3 = MeetingFactory(
        title="June group meeting",
        hybrid=True,
        starts_at=london(2025, 6, 30, 19),
        capacity=10,
        attendance_taken_at=london(2025, 6, 30, 22),
    )
    for key in ("A", "N5"):
        RegistrationFactory(meeting=m3, member=m[key], status=Registration.Status.ATTENDED)
    meetings["M3"] = m3
    # Not held in the period: cancelled, the evening before it began, and just after midnight
    # at its end (still 30 June in UTC).
    cancelled = MeetingFactory(title="Cancelled May meeting", starts_at=london(2025, 5, 1, 10), cancelled=True)
    RegistrationFactory(meeting=cancelled, member=m["A"])
    before = MeetingFactory(title="March meeting", starts_at=london(2025, 3, 31, 21), ends_at=london(2025, 3, 31, 23))
    RegistrationFactory(meeting=before, member=m["A"])
    after = MeetingFactory(title="Midnight meeting", online=True, starts_at=london(2025, 7, 1, 0, 30))
    RegistrationFactory(meeting=after, member=m["D"])
    meetings.update(cancelled=cancelled, before=before, after=after)
    return meetings


def make_money(m: dict[str, Member], meetings: dict[str, Meeting]) -> None:
    """Paid in the period: expenses 4.50 + 3.20 + 10.00 = 17.70, involvement payments 25.00,
    2 claims. Not counted: an approved (unpaid) claim, and one paid on 1 July."""
    m1, m2 = meetings["M1"], meetings["M2"]
    a = ExpenseClaimFactory(member=m["A"], meeting=m1, paid=True, paid_on=dt.date(2025, 4, 20))
    ExpenseItemFactory(claim=a, mileage=True, amount=Decimal("4.50"))
    ExpenseItemFactory(claim=a, category=Category.INVOLVEMENT_PAYMENT, amount=Decimal("25.00"))
    b = ExpenseClaimFactory(member=m["B"], meeting=m1, paid=True, paid_on=dt.date(2025, 6, 30))
    ExpenseItemFactory(claim=b, category=Category.PARKING, amount=Decimal("3.20"))
    ExpenseItemFactory(claim=b, category=Category.CHILDCARE, amount=Decimal("10.00"))
    e = ExpenseClaimFactory(member=m["E"], meeting=m1, approved=True)
    ExpenseItemFactory(claim=e, category=Category.PARKING, amount=Decimal("100.00"))
    g = ExpenseClaimFactory(member=m["G"], meeting=m2, paid=True, paid_on=dt.date(2025, 7, 1))
    ExpenseItemFactory(claim=g, category=Category.INVOLVEMENT_PAYMENT, amount=Decimal("25.00"))


def make_library(m: dict[str, Member]) -> dict:
    """R1 first published on 5 May 2025 (5 credits); R2 published in March and revised on
    1 June (revised: 1); R3 a draft reviewed in a round that closed on 10 May."""
    r1 = Resource.objects.create(
        title="Feeling low after having a baby",
        status=Resource.Status.PUBLISHED,
        format=Format.LEAFLET,
        first_published_at=_day(2025, 5, 5),
    )
    ResourceVersion.objects.create(
        resource=r1, number=1, title=r1.title, published_at=_day(2025, 5, 5), review_due_on=dt.date(2026, 5, 5)
    )
    # N10 is involved only through this credit; the others are involved anyway.
    for key in ("N10", "A", "B", "N2", "N5"):
        Credit.objects.create(resource=r1, member=m[key])
    r2 = Resource.objects.create(
        title="Our mother and baby unit",
        status=Resource.Status.PUBLISHED,
        format=Format.WEB_PAGE,
        first_published_at=_day(2025, 3, 1),
    )
    ResourceVersion.objects.create(
        resource=r2, number=1, title=r2.title, published_at=_day(2025, 3, 1), review_due_on=dt.date(2026, 3, 1)
    )
    ResourceVersion.objects.create(
        resource=r2, number=2, title=r2.title, published_at=_day(2025, 6, 1), review_due_on=dt.date(2026, 6, 1)
    )
    r3 = Resource.objects.create(title="After a difficult birth", status=Resource.Status.IN_REVIEW)
    # Round 1 closed at its deadline, 10 May: N6 and A sent reviews (3 points, 2 acted on);
    # N1 was invited and did not reply.
    round1 = ReviewRound.objects.create(resource=r3, deadline=_day(2025, 5, 10), created_at=_day(2025, 4, 26))
    n6 = ReviewInvitation.objects.create(round=round1, member=m["N6"], responded_at=_day(2025, 5, 2))
    amira = ReviewInvitation.objects.create(round=round1, member=m["A"], responded_at=_day(2025, 5, 3))
    ReviewInvitation.objects.create(round=round1, member=m["N1"])
    for invitation, response in (
        (n6, ReviewFeedback.Response.CHANGED),
        (n6, ReviewFeedback.Response.NOT_CHANGED),
        (amira, ReviewFeedback.Response.CHANGED_DIFFERENTLY),
    ):
        ReviewFeedback.objects.create(
            invitation=invitation, round=round1, comment="Softer words, please.", response=response
        )
    # Round 2 was closed early on 2 July (after the period): N7 replied then. Not counted.
    round2 = ReviewRound.objects.create(
        resource=r3, deadline=_day(2025, 8, 30), created_at=_day(2025, 6, 20), closed_at=_day(2025, 7, 2)
    )
    ReviewInvitation.objects.create(round=round2, member=m["N7"], responded_at=_day(2025, 7, 2))
    # Reach: R1 40 + 10 views and 5 + 1 downloads in the period; R2 only in March.
    ResourceReach.objects.create(resource=r1, month=dt.date(2025, 5, 1), views=40, downloads=5)
    ResourceReach.objects.create(resource=r1, month=dt.date(2025, 6, 1), views=10, downloads=1)
    ResourceReach.objects.create(resource=r2, month=dt.date(2025, 3, 1), views=100, downloads=9)
    return {"r1": r1, "r2": r2, "r3": r3}


def make_surveys(m: dict[str, Member]) -> dict:
    """S1 (anonymous, open April to June): 7 responses in the period (Good 5, OK 2), one on
    2 July and one never sent. S2 (named, June): N8's one response. S3 in member review (N9
    commented on 20 April). S4 closed in March: not run in the period."""
    s1 = SurveyFactory(
        title="Your experience of the service",
        opens_at=_day(2025, 4, 1, 9),
        closes_at=_day(2025, 6, 30, 17),
        status=Survey.Status.CLOSED,
    )
    section = SectionFactory(survey=s1, title="The service", order=1)
    overall = question(section, "Overall, how was the service?", Question.Kind.SINGLE_CHOICE, ["Good", "OK", "Poor"])
    helped = question(section, "What helped?", Question.Kind.MULTIPLE_CHOICE, ["Visits", "Calls"])
    words = question(section, "Anything else?", Question.Kind.LONG_TEXT)
    good, ok, poor = (overall.choices.get(label=label) for label in ("Good", "OK", "Poor"))
    picks = [good] * 5 + [ok] * 2
    for index, pick in enumerate(picks):
        response = Response.objects.create(survey=s1, submitted_on=dt.date(2025, 4, 10 + index))
        Answer.objects.create(response=response, question=overall, choice=pick)
        Answer.objects.create(response=response, question=helped, choice=helped.choices.first())
        Answer.objects.create(response=response, question=words, text=SECRET_ANSWER)
    late = Response.objects.create(survey=s1, submitted_on=dt.date(2025, 7, 2))
    Answer.objects.create(response=late, question=overall, choice=poor)
    Response.objects.create(survey=s1)  # a draft, never sent

    s2 = SurveyFactory(
        title="Group meeting times",
        named=True,
        status=Survey.Status.CLOSED,
        opens_at=_day(2025, 6, 1),
        closes_at=_day(2025, 6, 20),
    )
    times = question(
        SectionFactory(survey=s2, order=1), "Was the time right?", Question.Kind.SINGLE_CHOICE, ["Yes", "No"]
    )
    response = Response.objects.create(survey=s2, member=m["N8"], submitted_on=dt.date(2025, 6, 15))
    Answer.objects.create(response=response, question=times, choice=times.choices.get(label="Yes"))

    s3 = SurveyFactory(title="Draft: new parents' survey", review=True)
    draft_question = question(SectionFactory(survey=s3, order=1), "How did you find us?")
    ReviewComment.objects.create(
        question=draft_question, member=m["N9"], comment="Say who sees the answers.", created_at=_day(2025, 4, 20)
    )

    SurveyFactory(
        title="Last winter's survey", status=Survey.Status.CLOSED, opens_at=_day(2025, 1, 1), closes_at=_day(2025, 3, 1)
    )
    return {"s1": s1, "s2": s2, "s3": s3}


def make_projects(m: dict[str, Member]) -> dict:
    """P1 moved from rung 4 to 5 in the period (and to 6 after it), 5 members counted; P4 started
    in the period with no rung before it and reached its target of 3; P3 has no moves; P2 was
    completed before the period."""
    p1 = Project.objects.create(
        title="Birth trauma leaflet",
        started_on=dt.date(2025, 1, 10),
        rung_now=Rung.CO_DESIGN,
        rung_target=Rung.CO_PRODUCTION,
    )
    RungChange.objects.create(project=p1, rung_from=None, rung_to=Rung.CONSULTATION, changed_on=dt.date(2025, 1, 10))
    RungChange.objects.create(
        project=p1, rung_from=Rung.CONSULTATION, rung_to=Rung.ENGAGEMENT, changed_on=dt.date(2025, 5, 1)
    )
    RungChange.objects.create(
        project=p1, rung_from=Rung.ENGAGEMENT, rung_to=Rung.CO_DESIGN, changed_on=dt.date(2025, 7, 15)
    )
    ProjectMember.objects.create(
        project=p1, member=m["N11"], joined_on=dt.date(2025, 4, 2), named=True, credited_as="Nell Q"
    )
    for key in ("A", "B", "N1", "N2"):
        ProjectMember.objects.create(project=p1, member=m[key])
    ProjectMember.objects.create(project=p1, member=m["D"], joined_on=dt.date(2025, 7, 10))  # after: not counted

    p2 = Project.objects.create(
        title="Waiting room makeover", started_on=dt.date(2024, 1, 1), completed_on=dt.date(2025, 3, 1)
    )
    ProjectMember.objects.create(project=p2, member=m["N7"])

    p3 = Project.objects.create(
        title="Interview panels",
        kind=Project.Kind.ONGOING,
        started_on=dt.date(2025, 6, 1),
        rung_now=Rung.CONSULTATION,
        rung_target=Rung.CO_DESIGN,
    )
    ProjectMember.objects.create(project=p3, member=m["G"])

    p4 = Project.objects.create(
        title="Welcome pack",
        started_on=dt.date(2025, 4, 1),
        completed_on=dt.date(2025, 6, 30),
        rung_now=Rung.INFORMING,
        rung_target=Rung.INFORMING,
    )
    RungChange.objects.create(project=p4, rung_from=None, rung_to=Rung.INFORMING, changed_on=dt.date(2025, 4, 1))
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4}


def make_impact(m: dict[str, Member], projects: dict) -> None:
    """Closed in the period: I1 done (20 May), I2 not possible (30 June). Raised in the period:
    I1, I3, I4 = 3. Open at its end: I3 (closed 1 July) and I4 = 2."""
    i1 = ImpactItem.objects.create(
        you_said="The meeting room was too cold.",
        we_did="We moved the meetings to a warmer room.",
        status=ImpactItem.Status.DONE,
        raised_on=dt.date(2025, 4, 10),
        closed_on=dt.date(2025, 5, 20),
        project=projects["p1"],
    )
    ImpactItem.objects.create(
        you_said="Please hold meetings at weekends.",
        status=ImpactItem.Status.NOT_POSSIBLE,
        why_not_possible="The building is closed at weekends.",
        source=ImpactItem.Source.SURVEY,
        raised_on=dt.date(2025, 3, 1),
        closed_on=dt.date(2025, 6, 30),
    )
    ImpactItem.objects.create(
        you_said="Send the papers a week before.",
        we_did="Papers now go out a week before.",
        status=ImpactItem.Status.DONE,
        raised_on=dt.date(2025, 6, 1),
        closed_on=dt.date(2025, 7, 1),
    )
    ImpactItem.objects.create(
        you_said="Offer a creche.", status=ImpactItem.Status.IN_PROGRESS, raised_on=dt.date(2025, 5, 1)
    )
    ImpactItem.objects.create(you_said="More evening meetings.", raised_on=dt.date(2025, 7, 5))

    # Quotes: only A's first is used (she agrees now). B agreed then withdrew; N1 never
    # decided; A's second was said after the period; H agreed but her record was erased.
    give_consents(m["A"], anonymised_words=True)
    give_consents(m["B"], anonymised_words=True)
    give_consents(m["B"], anonymised_words=False)
    give_consents(m["H"], anonymised_words=True)
    Quote.objects.create(
        text=QUOTE_USED, member=m["A"], impact_item=i1, project=projects["p1"], said_on=dt.date(2025, 5, 1)
    )
    Quote.objects.create(text=QUOTE_WITHDRAWN, member=m["B"], said_on=dt.date(2025, 5, 2))
    Quote.objects.create(text=QUOTE_NEVER_ASKED, member=m["N1"], said_on=dt.date(2025, 5, 3))
    Quote.objects.create(text=QUOTE_TOO_LATE, member=m["A"], said_on=dt.date(2025, 7, 5))
    Quote.objects.create(text="Hana's words.", member=m["H"], said_on=dt.date(2025, 5, 4))


def make_world() -> dict:
    """Everything above; call it with the clock at ``NOW``. Returns the members and, for the
    privacy checks, every name and email address in the world."""
    members = make_members()
    meetings = make_meetings(members)
    make_money(members, meetings)
    make_library(members)
    make_surveys(members)
    projects = make_projects(members)
    make_impact(members, projects)
    people = [(member.user.name, member.user.email) for member in members.values()]
    # Erased on the day the report is made: H was active, I had already left on 1 June.
    erase_member(member=members["H"])
    erase_member(member=members["I"])
    return {"members": members, "people": people, "meetings": meetings, "projects": projects}
