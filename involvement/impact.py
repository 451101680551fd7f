"""The rules for a "you said, we did" item, and the one way one is saved.

* An item marked **not possible** says why (``why_not_possible``): members are owed a reason.
* **Done** and **not possible** close the item: ``closed_on`` is set (today, unless a
  coordinator gave a date); moving it back to heard or in progress clears it.
* Where it was raised must fit the record it points at: a meeting for "a meeting", a survey
  for "a survey", a resource for "a review of a resource", and nothing of the wrong kind.

``problems`` returns each problem by field name, so the admin form shows it beside the field;
``save_impact_item`` refuses an item with problems (the demo data and tests use it).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import ImpactItem

Source = ImpactItem.Source
Status = ImpactItem.Status

# The record each source points at, by field name.
SOURCE_FIELDS = {Source.MEETING: "meeting", Source.SURVEY: "survey", Source.REVIEW: "resource"}
SOURCE_NAMES = {"meeting": "a meeting", "survey": "a survey", "resource": "a resource"}


def problems(item: ImpactItem) -> dict[str, str]:
    """What is wrong with the item, by field name (empty when it may be saved)."""
    found: dict[str, str] = {}
    if item.status == Status.NOT_POSSIBLE and not (item.why_not_possible or "").strip():
        found["why_not_possible"] = "Say why it was not possible. Members are owed a reason."
    if item.closed_on and item.raised_on and item.closed_on < item.raised_on:
        found["closed_on"] = "The date closed must be on or after the date raised."
    if item.closed_on and item.closed_on > timezone.localdate():
        found["closed_on"] = "The date closed cannot be in the future."
    wanted = SOURCE_FIELDS.get(item.source)
    for name in SOURCE_FIELDS.values():
        if name != wanted and getattr(item, f"{name}_id"):
            where = item.get_source_display().lower()
            found[name] = (
                f"This item was raised in {where}, so it cannot point at {SOURCE_NAMES[name]}. "
                f"Clear this, or change where it was raised."
            )
    if wanted and not getattr(item, f"{wanted}_id"):
        found[wanted] = f"Choose the {SOURCE_NAMES[wanted].split()[-1]} where this was raised."
    return found


def settle_closing(item: ImpactItem) -> None:
    """Closes an item that is done or not possible (today, unless a date was given), and
    reopens one moved back to heard or in progress."""
    if item.is_closed:
        item.closed_on = item.closed_on or timezone.localdate()
    else:
        item.closed_on = None


def save_impact_item(item: ImpactItem) -> ImpactItem:
    """Saves the item after applying the closing rules; ValidationError (by field) if it breaks one."""
    settle_closing(item)
    found = problems(item)
    if found:
        raise ValidationError(found)
    item.save()
    return item
