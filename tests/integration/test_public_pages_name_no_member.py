"""No page tells the public, or a commissioner, who belongs to the group.

Being named at all (on a meeting's minutes, as an action's owner, anywhere) tells the world that
someone belongs to a perinatal mental health group. So this walks **every URL pattern** in the
project, with its path parameters filled from real objects (every meeting, claim, cost and
member, a row of every model in the admin), and every same-site link the pages show, as an
anonymous visitor and as a logged-in commissioner with two-step set up. Redirects are followed
within the site. It fails if any member's name, email address or phone number appears in any
response (body or headers).

The data is the demo group (``seed_demo``, once for the module: members at every stage, two
years of meetings with minutes, claims, the resource library) plus members made here whose names
a coordinator typed into published minutes and an action: that is fine for members, who see them
(checked too, so the walk is known to look where the names are), and must never reach anyone else.
The library adds reviewers of a published resource and of a draft (with feedback), and a member
credited by the name she chose: only that chosen name may show, never her own.

A new URL whose parameter this test cannot fill makes it fail: add the parameter to
``path_values`` so the new page is walked too. It starts no processes, so it is not marked
``integration``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from expenses.models import Category, ExpenseClaim, ExpenseItem
from expenses.tests.factories import ExpenseClaimFactory, ExpenseItemFactory
from library.models import ResourceFile, ResourceVersion, ReviewInvitation
from meetings.models import Action, Meeting, Registration
from meetings.tests.factories import ActionFactory, MeetingFactory, RegistrationFactory, refresh_counts
from members.models import ConsentText, Member
from members.tests.factories import CommissionerFactory, MemberFactory, give_consents
from members.tests.totp import client_with_two_step

# Members of our own making, on top of the demo group's, whose names a coordinator typed into
# published minutes and an action.
NAMED_IN_MINUTES = [
    ("Nadia Brookfield", "nadia.brookfield@example.org", "07700 900 311"),
    ("Orla Fitzgerald-Nwosu", "orla.fn@example.org", "07700900312"),
    ("Zoë O'Hare", "zoe.ohare@example.org", "+44 7700 900313"),
]
MINUTES = (
    "Ten members came. Nadia Brookfield said the welcome letter arrived after her first "
    "appointment. Orla Fitzgerald-Nwosu (orla.fn@example.org, 07700900312) offered to read the "
    "new version. Zoë O'Hare asked about parking for prams."
)

# Where the walk stops, in case a page links to itself with ever-changing query strings.
MAX_URLS = 4000
MAX_REDIRECTS = 10


# --- The data ------------------------------------------------------------------------------


# Library reviewers: their names must never be public. The credited member agreed to be named
# only as CREDITED_AS.
LIBRARY_REVIEWERS = [
    ("Wilhelmina Ashcroft-Baptiste", "wilhelmina.ab@example.org", "07700 900 411"),
    ("Ngozi Featherstonehaugh", "ngozi.f@example.org", "07700 900 412"),
]
CREDITED_AS = "Ngozi F."


@dataclass
class World:
    named: list[Member]
    minutes_meeting: Meeting
    commissioner: object
    library_resource: object = None


def _seed() -> World:
    named = []
    for name, email, phone in NAMED_IN_MINUTES:
        member = MemberFactory(user__name=name, user__email=email, phone=phone, active=True)
        give_consents(member)
        named.append(member)
    meeting = MeetingFactory(
        past=True,
        hybrid=True,
        title="Group meeting: the welcome letter",
        minutes=MINUTES,
        minutes_status=Meeting.MinutesStatus.PUBLISHED,
    )
    for member in named:
        RegistrationFactory(meeting=meeting, member=member, status=Registration.Status.ATTENDED)
    refresh_counts(meeting)
    ActionFactory(meeting=meeting, description="Nadia Brookfield to share her story at staff training")
    ActionFactory(meeting=meeting, description="Send the new letter to Orla", staff_owned=True)
    upcoming = MeetingFactory(hybrid=True, capacity=3, title="Group meeting: next time")
    for member in named:
        RegistrationFactory(meeting=upcoming, member=member)
    refresh_counts(upcoming)
    claim = ExpenseClaimFactory(member=named[0], submitted=True)
    ExpenseItemFactory(claim=claim, with_receipt=True, description="Bus to the centre with Nadia's baby")
    return World(
        named=named,
        minutes_meeting=meeting,
        commissioner=CommissionerFactory(name="Dev Commissioner"),
        library_resource=_library(),
    )


def _library():
    """A published resource reviewed and credited by members (one named as she chose), with a
    file, and a draft with a file under review by the same members with their feedback."""
    import datetime as dt

    from django.utils import timezone

    from common.tests.files import pdf_bytes, upload
    from common.uploads import check_upload
    from library import services as library
    from library.admin.uploads import library_file_rules
    from library.tests.factories import credit, publish, resource

    reviewers = []
    for name, email, phone in LIBRARY_REVIEWERS:
        member = MemberFactory(user__name=name, user__email=email, phone=phone, active=True)
        give_consents(member)
        reviewers.append(member)
    pdf = check_upload(upload("leaflet.pdf", pdf_bytes(), "application/pdf"), library_file_rules())
    published = resource(title="Feeling low after a birth: for partners")
    library.add_file(resource=published, upload=pdf)
    round_ = library.start_review_round(
        resource=published, questions=["Clear?"], deadline=timezone.now() + dt.timedelta(days=5), members=reviewers
    )
    for invitation in round_.invitations.all():
        library.submit_feedback(invitation=invitation, ratings={1: "yes"}, overall=f"{invitation.member} liked it.")
    library.close_review_round(round_=round_)
    credit(published, reviewers[0])
    credit(published, reviewers[1], named=True, credited_as=CREDITED_AS)
    publish(published)
    draft = resource(title="Draft with reviewers")
    library.add_file(resource=draft, upload=pdf)
    draft_round = library.start_review_round(
        resource=draft, questions=["Clear?"], deadline=timezone.now() + dt.timedelta(days=5), members=reviewers
    )
    library.submit_feedback(invitation=draft_round.invitations.first(), ratings={}, overall="Reviewer words.")
    return published


@pytest.fixture(scope="module")
def world(demo_group, django_db_blocker) -> World:
    """Our named members, added to the module's demo group (and rolled back with it)."""
    with django_db_blocker.unblock():
        return _seed()


# --- What must never appear ---------------------------------------------------------------


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _forms(value: str) -> set[str]:
    """The ways a value can be written into a response: as typed, HTML-escaped, JSON, URL-quoted."""
    return {
        value.casefold(),
        html.escape(value).casefold(),
        html.escape(value, quote=False).casefold(),
        json.dumps(value)[1:-1].casefold(),
        quote(value).casefold(),
    }


@dataclass(frozen=True)
class Secret:
    what: str  # "name", "email" or "phone"
    value: str
    whose: str  # for the failure message: which member


def _secrets() -> list[Secret]:
    secrets = []
    for member in Member.objects.select_related("user"):
        user = member.user
        whose = f"member {member.pk}"
        if user.name and len(user.name.split()) > 1:
            # Full names only: a first name on its own ("Mo", "Li") is an ordinary word.
            secrets.append(Secret("name", user.name, whose))
        if user.email:
            secrets.append(Secret("email", user.email, whose))
        if len(_digits(member.phone)) >= 9:
            secrets.append(Secret("phone", member.phone, whose))
    return secrets


def _phone_forms(phone: str) -> set[str]:
    digits = _digits(phone)
    national = "0" + digits[2:] if digits.startswith("44") else digits
    return {national, "44" + national[1:]}


class Leaks:
    """Finds every secret in a response in one pass (a walk reads over a thousand pages)."""

    def __init__(self, secrets: list[Secret]):
        self.labels: dict[str, str] = {}
        phones: dict[str, str] = {}
        for secret in secrets:
            label = f"{secret.what} of {secret.whose}: {secret.value}"
            for form in _phone_forms(secret.value) if secret.what == "phone" else _forms(secret.value):
                (phones if secret.what == "phone" else self.labels)[form] = label
        self.phones = phones
        self.words = self._alternation(self.labels)
        self.numbers = self._alternation(phones)

    @staticmethod
    def _alternation(forms) -> re.Pattern:
        return re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)) or "(?!)")

    def __call__(self, text: str) -> list[str]:
        found = {self.labels[match[0]] for match in self.words.finditer(text.casefold())}
        # Phone numbers may be spaced or punctuated any way: compare runs of digits.
        runs = " ".join(re.findall(r"\d+", re.sub(r"(?<=\d)[\s().+-]+(?=\d)", "", text)))
        found |= {self.phones[match[0]] for match in self.numbers.finditer(runs)}
        return sorted(found)


# --- Every URL pattern, with real values --------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced, for reverse()
    pattern: str  # the whole pattern, prefixes included
    params: tuple[str, ...]


def _param_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return re.findall(r"<(?:\w+:)?(\w+)>", str(pattern))
    if isinstance(pattern, RegexPattern):
        named = list(pattern.regex.groupindex)
        # Groups without a name (simple-history's admin pages) are passed by position.
        return named or [f"arg{n}" for n in range(pattern.regex.groups)]
    return []


def routes(patterns=None, prefix: str = "", namespace: str | None = None, params=()) -> Iterator[Route]:
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        own = tuple(_param_names(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            )
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner, params + own)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name, prefix + str(entry.pattern), params + own)


def _pks(model, limit: int | None = None) -> list[str]:
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    if limit and len(ids) > limit:
        ids = ids[: limit - 1] + ids[-1:]
    return [str(pk) for pk in ids]


def _admin_model(pattern: str):
    match = re.match(r"admin/(\w+)/(\w+)/", pattern)
    return apps.get_model(match[1], match[2]) if match else None


def path_values(route: Route) -> list[dict[str, str]]:
    """Real values for the route's parameters, or an empty list if it needs none we can fill."""
    params = set(route.params)
    pattern = route.pattern
    meetings = _pks(Meeting)
    claims = _pks(ExpenseClaim)
    items = list(ExpenseItem.objects.values_list("claim_id", "pk"))
    purposes = [p.value for p in ConsentText.Purpose] + [p.value.replace("_", "-") for p in ConsentText.Purpose]
    if not params:
        return [{}]
    if params == {"pk", "item_pk"}:
        return [{"pk": str(claim), "item_pk": str(item)} for claim, item in items]
    if params == {"pk", "category"}:
        # Every claim once, and every kind of cost once: every pair would be a thousand pages.
        pairs = [(claims[0], category) for category in Category] + [(pk, Category.MILEAGE) for pk in claims[1:]]
        return [{"pk": pk, "category": category.value} for pk, category in pairs]
    if params == {"content_type_id", "object_id"}:
        return [
            {"content_type_id": str(ContentType.objects.get_for_model(model).pk), "object_id": pk}
            for model in (Meeting, Member, ExpenseClaim, Action)
            for pk in _pks(model, limit=2)
        ]
    if params == {"arg0", "arg1"} and "/history/" in pattern and _admin_model(pattern) is not None:
        model = _admin_model(pattern)
        rows = model.history.order_by("history_id").values_list(model._meta.pk.attname, "history_id")[:3]
        return [{"arg0": str(pk), "arg1": str(history_id)} for pk, history_id in rows] or [
            {"arg0": "999999", "arg1": "999999"}
        ]
    if params == {"pk", "number"} and pattern.startswith("library/"):
        return [
            {"pk": str(resource), "number": str(number)}
            for resource, number in ResourceVersion.objects.values_list("resource_id", "number")
        ]
    if params == {"uidb36", "key"}:
        return [{"uidb36": "1", "key": "set-password"}, {"uidb36": "2", "key": "a-made-up-key"}]
    if params & {"number", "question_pk"} or (params == {"key"} and pattern.startswith("surveys/")):
        return _survey_values(params)
    if len(params) != 1:
        return []
    (param,) = params
    if param == "pk" and re.match(r"(staff/)?meetings/", pattern):
        values = meetings
    elif param == "pk" and pattern.startswith("expenses/claims/"):
        values = claims
    elif param == "pk" and pattern.startswith("library/review/"):
        values = _pks(ReviewInvitation)
    elif param == "pk" and pattern.startswith("library/files/"):
        values = _pks(ResourceFile)
    elif param == "pk" and pattern.startswith("library/"):
        values = _pks(apps.get_model("library", "Resource"))
    elif param == "pk" and pattern.startswith("projects/"):
        from involvement.models import Project

        values = _pks(Project, limit=3) or ["999999"]
    elif param == "pk" and re.match(r"(staff/)?surveys/", pattern):
        from surveys.models import Survey

        values = _pks(Survey, limit=6) or ["999999"]
    elif param == "pk" and re.match(r"(staff/)?discussions/(team|inbox)", pattern):
        from discussions.models import Conversation

        values = _pks(Conversation, limit=3) or ["999999"]
    elif param == "pk" and re.match(r"(staff/)?discussions/", pattern):
        from discussions.models import Post

        values = _pks(Post, limit=5) or ["999999"]
    elif param == "pk" and pattern.startswith("reports/"):
        from involvement.models import ReportRun

        values = _pks(ReportRun, limit=4) or ["999999"]
    elif param == "meeting_pk":
        values = meetings
    elif param == "claim_pk":
        values = claims
    elif param == "item_pk":
        values = [str(item) for _, item in items]
    elif param == "member_pk":
        values = _pks(Member)
    elif param in {"object_id", "id"} and _admin_model(pattern) is not None:
        # A model with no rows yet still has its pages walked, with an id that finds nothing.
        values = _pks(_admin_model(pattern), limit=3) or ["999999"]
    elif param == "app_label":
        values = sorted({model._meta.app_label for model in admin.site._registry})
    elif param == "purpose":
        values = purposes
    elif param == "step":
        values = list(Member.ONBOARDING_STEPS)
    elif param == "section":
        values = ["name", "contact", "access", "about", "equality", "payments"]
    elif param == "key":
        values = ["a-made-up-key"]
    elif param == "url":
        values = ["not-a-page/"]
    else:
        return []
    return [{param: value} for value in values]


def _survey_values(params: set[str]) -> list[dict[str, str]]:
    """Surveys' pages: by number, by public key, a page of questions, a question of the survey."""
    from surveys.models import Question, Survey

    surveys = list(Survey.objects.order_by("pk").values_list("pk", "public_key")[:6])
    if params == {"key"}:
        return [{"key": str(key)} for _, key in surveys]
    if params == {"key", "number"}:
        return [{"key": str(key), "number": "1"} for _, key in surveys]
    if params == {"pk", "number"}:
        return [{"pk": str(pk), "number": "1"} for pk, _ in surveys]
    if params == {"pk", "question_pk"}:
        pairs = Question.objects.order_by("pk").values_list("section__survey_id", "pk")
        return [{"pk": str(pk), "question_pk": str(question)} for pk, question in pairs[:20]]
    return []


def _fill(pattern: str, values: dict[str, str]) -> str:
    def route_param(match):
        return values[match[1]]

    path = re.sub(r"<(?:\w+:)?(\w+)>", route_param, pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", route_param, path)
    return "/" + path.replace("^", "").replace("$", "")


def every_url() -> list[str]:
    urls, unfilled = [], []
    for route in routes():
        fillings = path_values(route)
        if not fillings:
            unfilled.append(f"{route.name or route.pattern} ({', '.join(route.params)})")
        for values in fillings:
            if not route.name:
                urls.append(_fill(route.pattern, values))
            elif any(key.startswith("arg") for key in values):
                urls.append(reverse(route.name, args=[values[key] for key in sorted(values)]))
            else:
                urls.append(reverse(route.name, kwargs=values))
    assert not unfilled, "Add values to path_values() for: " + "; ".join(unfilled)
    return urls


# --- The walk ------------------------------------------------------------------------------

SAME_SITE_LINK = re.compile(r"""(?:href|action|src)=["']([^"'#]+)""")


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def _same_site(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if parts.path.startswith(("/static/", "/media/")):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page_key(url: str) -> str:
    """The same page whatever it returns to afterwards: every log-in link carries its own
    ``?next=``, and the log-in page needs walking once, not once per page that links to it."""
    parts = urlsplit(url)
    query = "&".join(pair for pair in parts.query.split("&") if pair and not pair.startswith("next="))
    return parts.path + (f"?{query}" if query else "")


def walk(client: Client, start: list[str], secrets: list[Secret]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """GETs every URL (POSTs, with nothing, the ones that only take POST), follows redirects and
    links within the site, and returns what leaked where, and each URL's status."""
    leaks = Leaks(secrets)
    found: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    queue = list(dict.fromkeys(start))
    seen = {_page_key(url) for url in queue}
    while queue:
        assert len(seen) <= MAX_URLS, "The walk found too many URLs: is a page linking to itself without end?"
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code == 405 and "logout" not in url:
            response = client.post(url)
        statuses[url] = response.status_code
        text = _body(response) + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        if problems := leaks(text):
            found[url] = problems
        next_urls = []
        if response.status_code in (301, 302, 303, 307, 308):
            next_urls.append(urljoin(url, response["Location"]))
        if "html" in response.get("Content-Type", ""):
            next_urls += [urljoin(url, html.unescape(link)) for link in SAME_SITE_LINK.findall(text)]
        for link in next_urls:
            link = _same_site(link)
            if link and _page_key(link) not in seen:
                seen.add(_page_key(link))
                queue.append(link)
    return found, statuses


def _report(found: dict[str, list[str]]) -> str:
    lines = [f"{url}: {', '.join(problems)}" for url, problems in sorted(found.items())]
    return f"Members named on {len(found)} page(s):\n" + "\n".join(lines[:40])


# --- The tests -----------------------------------------------------------------------------


@pytest.fixture
def anonymous_client(db, world) -> Client:
    return Client()


@pytest.fixture
def commissioner_client(db, world) -> Client:
    return client_with_two_step(world.commissioner)


def test_members_see_the_names_in_the_minutes(db, world):
    """The names are really there for members, so the walks below look where they could leak."""
    reader = Client()
    reader.force_login(world.named[1].user)

    page = _body(reader.get(reverse("meetings:detail", args=[world.minutes_meeting.pk])))

    found = " | ".join(Leaks(_secrets())(page))
    # A name, an email address and a phone number (typed with no spaces; stored with them).
    for typed in ("Nadia Brookfield", "orla.fn@example.org", "07700900312", "Zoë O'Hare"):
        assert typed in found, f"the walk's search should find {typed} on the member's page"


def test_a_credit_shows_only_the_name_the_member_chose(db, world):
    """The credited reviewer's chosen name is on the public page, so the walk below is known to
    read the library's pages; her own name, and the other reviewer's, are checked there."""
    page = _body(Client().get(reverse("library:resource", args=[world.library_resource.pk])))
    assert CREDITED_AS in page
    assert "2 members of the group" in page
    assert not Leaks(_secrets())(page)


@pytest.mark.parametrize("persona", ["anonymous", "commissioner"])
def test_no_member_is_named_on_any_page_to_the_public_or_a_commissioner(persona, request, db, world):
    client = request.getfixturevalue(f"{persona}_client")
    secrets = _secrets()
    assert {s.value for s in secrets} >= {email for _, email, _ in NAMED_IN_MINUTES}

    found, statuses = walk(client, every_url(), secrets)

    assert not found, _report(found)
    # The walk reached the pages that matter, and nothing crashed on the way.
    assert statuses[reverse("meetings:detail", args=[world.minutes_meeting.pk])] == 200
    assert statuses[reverse("meetings:past")] == 200
    assert statuses[reverse("library:resource", args=[world.library_resource.pk])] == 200
    assert not [url for url, status in statuses.items() if status >= 500]
    if persona == "commissioner":
        # Still the logged-in commissioner at the end: nothing on the way logged them out.
        assert client.session.get("_auth_user_id") == str(world.commissioner.pk)
