"""Which rate applies to an activity, and what it comes to.

A claim uses the rates in force on the day of the activity: for each unit, the rate with the
newest ``valid_from`` on or before the activity's date (its start, in Europe/London). Rates set
for the activity's kind (say, interview panels) win over the general ones: if any rate of that
kind is in force for the kind of activity, only those are used for it.

The involvement payment is chosen by the activity's length, in this order:

1. a **per activity** rate, if there is one: that amount, whatever the length;
2. up to **2 hours**, with a per-hour rate: the hourly rate × the length rounded **up** to the
   next half hour (a 1 h 20 min meeting is paid as 1½ hours);
3. up to **4 hours**, with a half-day rate: a half day;
4. over 4 hours, with a full-day rate: a full day;
5. otherwise whatever is set, in this order: per hour × length, half day, full day.

With the starting rates (£25 an hour, £75 a half day, £150 a full day) a 2-hour group meeting
pays £50, a 3-hour focus group £75, and a 6-hour training day £150.

A rate's cap is the most one claim can be paid under it: a line over the cap is cut to the cap
and the claim is flagged ``is_over_cap`` for the approver. Money is rounded to the penny,
half up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils import timezone

from meetings.models import Meeting

from .models import Rate

PENNY = Decimal("0.01")
HALF = Decimal("0.5")
HOURLY_UP_TO_HOURS = Decimal("2")
HALF_DAY_UP_TO_HOURS = Decimal("4")


def round_to_pence(value: Decimal | int | str) -> Decimal:
    """An amount in pounds rounded to the penny, half up (never banker's rounding)."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def activity_date(meeting: Meeting) -> dt.date:
    """The day of the activity as the group knows it: its start, in local time."""
    return timezone.localdate(meeting.starts_at)


def activity_hours(meeting: Meeting) -> Decimal:
    """The activity's length in hours, rounded up to the next half hour (at least half an hour)."""
    seconds = Decimal(max((meeting.ends_at - meeting.starts_at).total_seconds(), 0))
    halves = (seconds / Decimal(1800)).to_integral_value(rounding=ROUND_CEILING)
    return max(halves, Decimal(1)) * HALF


def rates_in_force(*, kind: str, on: dt.date, activity_kind: str = "") -> dict[str, Rate]:
    """The rates of a kind in force on a date, one per unit.

    Rates for ``activity_kind`` win over general ones as a set: if any exists for that kind,
    general rates are not mixed in.
    """
    rates = Rate.objects.filter(kind=kind, valid_from__lte=on).order_by("-valid_from", "-pk")
    if activity_kind:
        specific = _newest_per_unit(rates.filter(activity_kind=activity_kind))
        if specific:
            return specific
    return _newest_per_unit(rates.filter(activity_kind=""))


def _newest_per_unit(rates) -> dict[str, Rate]:
    newest: dict[str, Rate] = {}
    for rate in rates:
        newest.setdefault(rate.unit, rate)
    return newest


def mileage_rate(*, on: dt.date, activity_kind: str = "") -> Rate | None:
    return rates_in_force(kind=Rate.Kind.MILEAGE, on=on, activity_kind=activity_kind).get(Rate.Unit.PER_MILE)


def mileage_rate_for(meeting: Meeting) -> Rate | None:
    """The per-mile rate in force on the day of the activity."""
    return mileage_rate(on=activity_date(meeting), activity_kind=meeting.kind)


def apply_cap(amount: Decimal, cap: Decimal | None) -> tuple[Decimal, bool]:
    """(amount to pay, whether it was cut to the cap)."""
    if cap is not None and amount > cap:
        return round_to_pence(cap), True
    return round_to_pence(amount), False


@dataclass(frozen=True)
class Payment:
    """An involvement payment worked out for an activity: what the line will say and pay."""

    rate: Rate
    hours: Decimal
    uncapped: Decimal
    amount: Decimal
    over_cap: bool
    description: str


def _choose(rates: dict[str, Rate], hours: Decimal) -> Rate | None:
    per_activity = rates.get(Rate.Unit.PER_ACTIVITY)
    per_hour = rates.get(Rate.Unit.PER_HOUR)
    half_day = rates.get(Rate.Unit.HALF_DAY)
    full_day = rates.get(Rate.Unit.FULL_DAY)
    if per_activity:
        return per_activity
    if per_hour and hours <= HOURLY_UP_TO_HOURS:
        return per_hour
    if half_day and hours <= HALF_DAY_UP_TO_HOURS:
        return half_day
    if full_day and hours > HALF_DAY_UP_TO_HOURS:
        return full_day
    return per_hour or half_day or full_day


def _hours_text(hours: Decimal) -> str:
    whole = int(hours)
    text = f"{whole}½" if hours % 1 else str(whole)
    if whole == 0:
        text = "½"
    return f"{text} hour" if hours == 1 else f"{text} hours"


def involvement_payment(meeting: Meeting) -> Payment | None:
    """The involvement payment for taking part in the activity, or None if no rate is set."""
    hours = activity_hours(meeting)
    rates = rates_in_force(kind=Rate.Kind.INVOLVEMENT, on=activity_date(meeting), activity_kind=meeting.kind)
    rate = _choose(rates, hours)
    if rate is None:
        return None
    if rate.unit == Rate.Unit.PER_HOUR:
        uncapped = round_to_pence(rate.amount * hours)
        description = f"{_hours_text(hours)} at £{rate.amount} an hour"
    else:
        uncapped = round_to_pence(rate.amount)
        description = rate.get_unit_display().split(" (")[0]
    amount, over_cap = apply_cap(uncapped, rate.cap)
    if over_cap:
        description += f" (capped at £{rate.cap})"
    return Payment(rate=rate, hours=hours, uncapped=uncapped, amount=amount, over_cap=over_cap, description=description)


def mileage_amount(*, miles: Decimal, rate: Rate) -> Decimal:
    """Miles × the per-mile rate, to the penny (before any cap)."""
    return round_to_pence(Decimal(miles) * rate.amount)
