"""UK phone numbers and postcodes as members type them."""

import pytest

from members.phone import format_uk_phone, normalise_uk_phone, normalise_uk_postcode


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900982", "07700900982"),
        ("07700-900-982", "07700900982"),
        ("+44 7700 900982", "07700900982"),
        ("+44 (0)7700 900982", "07700900982"),
        ("+447700900982", "07700900982"),
        ("0044 7700 900982", "07700900982"),
        ("(020) 7946 0958", "02079460958"),
        ("0300 123 4567", "03001234567"),
        ("0113 496 0000", "01134960000"),
        ("016977 3456", "0169773456"),
    ],
)
def test_uk_numbers_are_stored_as_national_digits(typed, stored):
    assert normalise_uk_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["", "12345", "0770090098", "077009009821", "+1 202 555 0101", "0800 123 4567", "09012 345678", "07700 9OO982"],
)
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_uk_phone(typed)


@pytest.mark.parametrize(
    ("digits", "shown"),
    [
        ("07700900982", "07700 900982"),
        ("02079460958", "020 7946 0958"),
        ("03001234567", "0300 123 4567"),
        ("01134960000", "0113 496 0000"),
        ("01632960001", "01632 960001"),
        ("", ""),
    ],
)
def test_numbers_are_shown_in_readable_groups(digits, shown):
    assert format_uk_phone(digits) == shown


@pytest.mark.parametrize(("typed", "stored"), [("ex12ab", "EX1 2AB"), ("SW1A 1AA", "SW1A 1AA"), (" m1 1ae ", "M1 1AE")])
def test_postcodes_are_tidied(typed, stored):
    assert normalise_uk_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["", "12345", "EX1", "ABC DEF"])
def test_postcodes_that_are_not_postcodes_are_refused(typed):
    with pytest.raises(ValueError):
        normalise_uk_postcode(typed)
