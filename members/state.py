"""What every page needs to know about the logged-in person, without asking the database each time.

The header shows "Your involvement" to members and "Admin" to coordinators; the two-step
middleware sends staff and commissioners without an authenticator app to set one up; the consent
review middleware sends a member who has a newer consent text to decide on to the review page.
They all ask about the same few facts: the person's role groups, whether they have set up
two-step login, and their member record (and whether a review is waiting).

The facts take one query to work out and rarely change, so they are kept in the cache for each
person (`person_facts(request)`), stamped with two generation tokens: one for the person and one
for everybody. Any change to a fact replaces a token (the receivers at the bottom, connected in
`MembersConfig.ready`), so the next request in any process works the facts out again: a new
consent text asks for a review at once, a removed role or authenticator app counts at once.
A page then costs one cache read for them, and no query.

The account itself (the user row Django's session check loads on every request) is kept the same
way, stamped with the person's token (`cached_user`, used by members.backends), and read in the
same cache round trip as the facts. Saving or deleting the user replaces the token, at once and
again when the change commits, so a new password, a deactivation or a new email address counts on
the person's next request in every process: other sessions are logged out as before.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery

from .models import Consent, ConsentText, Member
from .roles import ALL_ROLE_GROUPS, COMMISSIONERS, remember_group_names

logger = logging.getLogger(__name__)

EVERYONE_GENERATION_KEY = "members:facts-generation"
PERSON_GENERATION_KEY = "members:facts-generation:{}"
FACTS_KEY = "members:facts:{}"
USER_KEY = "members:user:{}"
# A safety net for a change no signal reports (a queryset update(), a bulk_create()), or one that
# another request read just before it committed: facts are worked out again at least this often
# (seconds) whatever the tokens say. That is one query a minute for each person using the portal.
# The same holds for the cached user row.
FACTS_TIMEOUT = USER_TIMEOUT = 60
# Tokens only need to outlive the facts they stamp; a missing token is replaced by a new one,
# which no stored facts carry, so losing one (eviction, a Redis restart) is always safe.
GENERATION_TIMEOUT = 24 * 60 * 60


@dataclass(frozen=True)
class MemberState:
    member_id: int
    needs_review: bool


@dataclass(frozen=True)
class PersonFacts:
    group_names: frozenset[str]  # of the role groups (members.roles) only
    has_totp: bool
    member: MemberState | None  # never for a commissioner, whatever records exist


def person_facts(request) -> PersonFacts | None:
    """The logged-in person's facts, or None for a visitor. Worked out once a request at most.

    Also tells `members.roles` the person's groups, so `is_coordinator(request.user)` and the
    like ask no query afterwards.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    kept = getattr(request, "_person_facts", None)
    if kept is not None and kept[0] == user.pk:  # worked out already, for this same person
        facts = kept[1]
    else:
        facts = _cached_facts(user)
        request._person_facts = (user.pk, facts)
    remember_group_names(user, facts.group_names)
    return facts


def member_state(request) -> MemberState | None:
    """The logged-in person's member record (id, review needed) or None for anyone else.

    Commissioners never count as members, whatever records exist.
    """
    facts = person_facts(request)
    return facts.member if facts else None


def cached_user(user_id):
    """The user with this id, or None, from the cache when the person's token still matches.

    Also reads the person's facts in the same round trip and hands them to `person_facts` (on
    the user object, used once), so that a logged-in page costs one cache read and no query.
    """
    user_model = get_user_model()
    person_key = PERSON_GENERATION_KEY.format(user_id)
    user_key = USER_KEY.format(user_id)
    found = cache.get_many([EVERYONE_GENERATION_KEY, person_key, FACTS_KEY.format(user_id), user_key])
    # As for the facts, the stamp is read before the database.
    stamp = _generation(person_key, found)
    # The field names go with the values, so that a row cached before a deploy that changes the
    # user model is not read into the wrong fields.
    fields = tuple(field.attname for field in user_model._meta.concrete_fields)
    stored = found.get(user_key)
    if stored is not None and stored[0] == stamp and stored[1] == fields:
        user = user_model.from_db(user_model._default_manager.db, fields, stored[2])
    else:
        user = user_model._default_manager.filter(pk=user_id).first()
        if user is None:
            return None
        # Plain values, not the model instance: a cached pickle must not depend on the class.
        cache.set(user_key, (stamp, fields, tuple(getattr(user, name) for name in fields)), USER_TIMEOUT)
    user._cache_found = found
    return user


def _cached_facts(user) -> PersonFacts:
    person_key = PERSON_GENERATION_KEY.format(user.pk)
    facts_key = FACTS_KEY.format(user.pk)
    # Read along with the user this same request (cached_user), or else now. Used once only:
    # a user object kept longer must not go on trusting an old read.
    found = getattr(user, "_cache_found", None)
    if found is not None:
        del user._cache_found  # request.user is a lazy wrapper: through it, not its __dict__
    else:
        found = cache.get_many([EVERYONE_GENERATION_KEY, person_key, facts_key])
    # The stamp is read before the database: a change made after this replaces a token, so
    # facts stored under this stamp are not used again.
    stamp = (_generation(EVERYONE_GENERATION_KEY, found), _generation(person_key, found))
    stored = found.get(facts_key)
    if stored is not None and stored[0] == stamp:
        _, group_names, has_totp, member_id, needs_review = stored
        member = MemberState(member_id=member_id, needs_review=needs_review) if member_id else None
        return PersonFacts(group_names=frozenset(group_names), has_totp=has_totp, member=member)
    facts = _work_out(user)
    member = facts.member
    # Plain values, not the dataclasses: a cached pickle must not depend on this module's classes.
    row = (
        stamp,
        tuple(sorted(facts.group_names)),
        facts.has_totp,
        member.member_id if member else None,
        member.needs_review if member else False,
    )
    cache.set(facts_key, row, FACTS_TIMEOUT)
    return facts


def _generation(key: str, found: dict) -> str | None:
    if key not in found:
        cache.add(key, secrets.token_hex(8), GENERATION_TIMEOUT)
        found[key] = cache.get(key)  # for the facts, when read along with the user
    return found[key]


def _work_out(user) -> PersonFacts:
    """Every fact in one query."""
    from allauth.mfa.models import Authenticator

    user_model = get_user_model()
    in_groups = user_model.groups.through.objects.filter(user_id=OuterRef("pk"))
    member = Member.objects.filter(user_id=OuterRef("pk"), erased_at__isnull=True)
    roles = {f"role_{index}": Exists(in_groups.filter(group__name=name)) for index, name in enumerate(ALL_ROLE_GROUPS)}
    row = (
        user_model.objects.filter(pk=user.pk)
        .annotate(
            **roles,
            # Asked for everyone, not only those who must use it: whether two-step login is
            # required also depends on is_staff, which is read fresh with the user every request.
            has_totp=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP)),
            member_id=Subquery(member.values("pk")[:1]),
            needs_review=Subquery(member.annotate(review=Exists(_stale_decisions())).values("review")[:1]),
        )
        .values(*roles, "has_totp", "member_id", "needs_review")
        .first()
    ) or {}
    group_names = frozenset(name for index, name in enumerate(ALL_ROLE_GROUPS) if row.get(f"role_{index}"))
    state = None
    if row.get("member_id") and COMMISSIONERS not in group_names:
        state = MemberState(member_id=row["member_id"], needs_review=bool(row["needs_review"]))
    return PersonFacts(group_names=group_names, has_totp=bool(row.get("has_totp")), member=state)


def _stale_decisions():
    """A member's newest decision on a purpose, where a newer version of its text is published."""
    newest_version = (
        ConsentText.objects.filter(purpose=OuterRef("purpose"), published_at__isnull=False)
        .order_by("-version")
        .values("version")[:1]
    )
    later_decision = Consent.objects.filter(member=OuterRef("member"), purpose=OuterRef("purpose")).filter(
        Q(recorded_at__gt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
    )
    return (
        Consent.objects.filter(member=OuterRef("pk"))
        .annotate(newest_version=Subquery(newest_version))
        .filter(text__version__lt=F("newest_version"))
        .exclude(Exists(later_decision))
    )


# --- Telling every process that facts changed ---------------------------------------------


def facts_changed(*, user_id: int | None = None) -> None:
    """Makes one person's facts (or, with no user_id, everybody's) be worked out again on
    their next request.

    At once, not on commit: tests count what a change queues for after the commit. A request
    elsewhere that reads the database before the change commits may then keep what it read,
    for FACTS_TIMEOUT at most.
    """
    key = PERSON_GENERATION_KEY.format(user_id) if user_id else EVERYONE_GENERATION_KEY
    try:
        cache.set(key, secrets.token_hex(8), GENERATION_TIMEOUT)
    except Exception:
        # A cache that cannot be reached must not undo the change itself: the facts kept
        # there expire by FACTS_TIMEOUT anyway.
        logger.exception("Could not mark cached person facts as changed (%s)", key)


def user_changed(user_id: int) -> None:
    """Makes the person's cached user row (and facts) be read again on their next request.

    At once, and again when the transaction commits: a request elsewhere that read the old row
    between the two (the change not yet committed) cached it under the first new token, which
    the second replaces. The row decides who stays logged in (password, is_active), so unlike
    the facts it may not wait for the timeout. Called for every save or delete of a user, and
    by hand after a queryset update() of users, which sends no signal.
    """
    facts_changed(user_id=user_id)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: facts_changed(user_id=user_id))


def _user_changed(sender, instance, created=False, **kwargs):
    # Nobody can have cached a row that did not exist yet: a new user only starts the token.
    if created:
        facts_changed(user_id=instance.pk)
    else:
        user_changed(instance.pk)


def _member_changed(sender, instance, **kwargs):
    facts_changed(user_id=instance.user_id)


def _consent_changed(sender, instance, **kwargs):
    try:
        user_id = instance.member.user_id
    except Member.DoesNotExist:
        user_id = None  # a member already gone: everybody, to be sure
    facts_changed(user_id=user_id)


def _authenticator_changed(sender, instance, **kwargs):
    facts_changed(user_id=instance.user_id)


def _everybody_changed(sender, **kwargs):
    facts_changed()


def _groups_changed(sender, instance, action, reverse, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        # From the group's side (group.user_set.add(...)) several people may change at once.
        facts_changed(user_id=None if reverse else instance.pk)


def connect_receivers() -> None:
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=get_user_model(), dispatch_uid="member-facts-user")
        signal.connect(_member_changed, sender=Member, dispatch_uid="member-facts-member")
        signal.connect(_consent_changed, sender=Consent, dispatch_uid="member-facts-consent")
        signal.connect(_authenticator_changed, sender=Authenticator, dispatch_uid="member-facts-authenticator")
        # A new consent text can ask every member for a review; a renamed group changes roles.
        signal.connect(_everybody_changed, sender=ConsentText, dispatch_uid="member-facts-consent-text")
        signal.connect(_everybody_changed, sender=Group, dispatch_uid="member-facts-group")
    m2m_changed.connect(
        _groups_changed, sender=get_user_model().groups.through, dispatch_uid="member-facts-user-groups"
    )
