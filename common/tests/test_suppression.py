"""Small-number suppression: 1 to 4 shown as "fewer than 5", with the next smallest hidden too
where the total would give a hidden count away."""

from __future__ import annotations

from common.suppression import FEWER_THAN, cell, suppress


def shown(result) -> list[str]:
    return [c.shown for c in result.cells]


def test_counts_from_1_to_4_are_fewer_than_5_and_5_is_shown():
    assert [cell(n).shown for n in range(7)] == ["0", FEWER_THAN, FEWER_THAN, FEWER_THAN, FEWER_THAN, "5", "6"]
    assert cell(3).suppressed and cell(3).value is None
    assert not cell(0).suppressed


def test_one_hidden_cell_with_a_published_total_hides_the_next_smallest_too():
    result = suppress([3, 10, 20])
    assert shown(result) == [FEWER_THAN, FEWER_THAN, "20"]
    assert result.total.shown == "33"


def test_two_hidden_cells_need_no_more_hiding():
    assert shown(suppress([3, 2, 20])) == [FEWER_THAN, FEWER_THAN, "20"]


def test_nothing_is_hidden_when_nothing_is_small():
    result = suppress([5, 10, 0])
    assert shown(result) == ["5", "10", "0"]
    assert not any(c.suppressed for c in result.cells)


def test_zero_is_never_used_as_the_second_cell_to_hide():
    assert shown(suppress([4, 0, 9])) == [FEWER_THAN, "0", FEWER_THAN]


def test_a_total_under_5_hides_the_total_and_every_cell_that_is_not_zero():
    result = suppress([3, 0, 1])
    assert result.total.shown == FEWER_THAN
    assert shown(result) == [FEWER_THAN, "0", FEWER_THAN]


def test_cells_that_do_not_add_up_are_judged_one_by_one():
    """People can pick several answers: the total is people, not a sum of the cells."""
    result = suppress([3, 10, 20], total=25, cells_add_up=False)
    assert shown(result) == [FEWER_THAN, "10", "20"]
    assert result.total.shown == "25"
