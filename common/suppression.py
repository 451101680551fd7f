"""Small-number suppression for anything shown to commissioners (and any other aggregate that
leaves the group): a count from 1 to 4 is shown as "fewer than 5", never as the number.

Primary suppression hides each small count. **Secondary suppression** stops the hidden count
being worked out from what is shown: when the cells add up to a total that is published and
exactly one cell is hidden, the next smallest cell is hidden too (the total minus the others
would otherwise give it away). A total below 5 is itself suppressed, and with it every cell.
Zero is shown as 0: "nobody" identifies no one, and hiding it would make the others guessable.

Cells of a question where people may pick several answers do not add up to the total, so
callers say so (``cells_add_up=False``) and only primary suppression applies.
Pure Python, no app imports: the reports use it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5
FEWER_THAN = f"fewer than {THRESHOLD}"


@dataclass(frozen=True)
class Cell:
    """One count as it may be shown: ``value`` is None when it is suppressed."""

    value: int | None
    shown: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def cell(count: int) -> Cell:
    """One count on its own (primary suppression only)."""
    return Cell(None, FEWER_THAN) if is_small(count) else Cell(count, str(count))


@dataclass(frozen=True)
class Suppressed:
    cells: list[Cell]
    total: Cell


def suppress(counts: Sequence[int], *, total: int | None = None, cells_add_up: bool = True) -> Suppressed:
    """The counts and their total as they may be shown.

    ``total`` defaults to the sum of ``counts``. With ``cells_add_up`` (each person is in one
    cell) the secondary rule applies; otherwise each cell is judged on its own.
    """
    counts = [int(count) for count in counts]
    if total is None:
        total = sum(counts)
    if is_small(total):
        return Suppressed(cells=[Cell(None, FEWER_THAN) if c else Cell(0, "0") for c in counts], total=cell(total))
    hidden = [is_small(count) for count in counts]
    if cells_add_up and sum(hidden) == 1:
        shown = [(count, index) for index, count in enumerate(counts) if not hidden[index] and count > 0]
        if shown:
            # The smallest other cell: hiding it reveals the least.
            hidden[min(shown)[1]] = True
    cells = [
        Cell(None, FEWER_THAN) if hide else Cell(count, str(count)) for count, hide in zip(counts, hidden, strict=True)
    ]
    return Suppressed(cells=cells, total=Cell(total, str(total)))
