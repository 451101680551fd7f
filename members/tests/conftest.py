"""Fixtures for a member's own pages: the ``member`` persona with a member record."""

from __future__ import annotations

import pytest

from members.services import get_or_create_member


@pytest.fixture
def member_record(member):
    """The member persona's member record, as sign-up creates it (nothing filled in yet)."""
    return get_or_create_member(member)


@pytest.fixture
def other_member_record(other_member):
    return get_or_create_member(other_member)
