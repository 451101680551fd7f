"""Shared fixtures: the people in the portal's tests, and the real services some tests need.

Personas: ``member``, ``other_member``, ``coordinator``, ``commissioner`` (users), and
``anonymous`` (a logged-out client). Tests marked ``postgres``, ``redis`` or
``browser`` skip, saying what to set or install, when that service is missing.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from members.tests.factories import CommissionerFactory, CoordinatorFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _using_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    reasons = {
        "postgres": None if _using_postgres() else "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test",
        "redis": None if os.environ.get("REDIS_URL") else "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0",
        "browser": None
        if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)
        else f"needs Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)",
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return UserFactory(email="member@example.org", name="Amira Khan")


@pytest.fixture
def other_member(db):
    return UserFactory(email="other.member@example.org", name="Beth Jones")


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory(email="coordinator@example.org", name="Chloe Coordinator")


@pytest.fixture
def commissioner(db):
    return CommissionerFactory(email="commissioner@example.org", name="Dev Commissioner")


@pytest.fixture
def anonymous(db):
    return Client()


@pytest.fixture
def celery_eager():
    """Tasks queued on commit run at once, in the test, as a worker would run them."""
    from celery import current_app

    conf = current_app.conf
    before = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = before


@pytest.fixture
def coordinator_client(coordinator):
    """A coordinator with two-step authentication set up, logged in."""
    from members.tests.totp import client_with_two_step

    return client_with_two_step(coordinator)


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


# Data that migrations create (roles, consent texts, courses, default rates, crisis lines).
# Tests on a transactional database (the live server, threads) empty every table after
# each test; `restore_migration_data()` puts these rows back, idempotently.
MIGRATION_DATA = [
    ("members.migrations.0002_role_groups", "create_role_groups"),
    ("members.migrations.0004_first_consent_texts_and_courses", "create"),
    ("involvement.migrations.0002_default_profile_and_crisis_signposts", "create_defaults"),
    ("expenses.migrations.0002_defaults_and_finance_group", "create"),
]


def restore_migration_data() -> None:
    import importlib

    from django.apps import apps

    from expenses.permissions import grant_finance_permissions
    from involvement.permissions import grant_coordinator_permissions

    for module, function in MIGRATION_DATA:
        getattr(importlib.import_module(module), function)(apps, None)
    grant_coordinator_permissions()
    grant_finance_permissions()
