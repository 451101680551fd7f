"""Shared fixtures: the people in the portal's tests, and the real services some tests need.

Personas: ``member``, ``other_member``, ``coordinator``, ``commissioner`` (users), and
``anonymous`` (a logged-out client). Tests marked ``postgres``, ``redis`` or
``browser`` skip, saying what to set or install, when that service is missing.
"""

from __future__ import annotations

import io
import os
import shutil

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from members.tests.factories import CommissionerFactory, CoordinatorFactory, UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _using_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks added here
def pytest_collection_modifyitems(config, items):
    reasons = {
        "postgres": None
        if _using_postgres()
        else "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test",
        "redis": None if os.environ.get("REDIS_URL") else "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0",
        "browser": None
        if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)
        else f"needs Chromium at {CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)",
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))
    # With pytest-xdist (`make test` runs two processes), each file of browser tests and of
    # integration tests runs whole in one process, one group after another: one Chromium, and
    # the module fixtures that make a database or start servers are never set up by two
    # processes at once. Every other test is sent on its own, in pytest-django's order
    # (tests that empty the database after those that rely on what migrations put there).
    grouped = {
        item.path: group for group in ("browser", "integration") for item in items if item.get_closest_marker(group)
    }
    for item in items:
        if item.path in grouped:
            item.add_marker(pytest.mark.xdist_group(grouped[item.path]))


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    # A transactional test empties every table, content types included, and the next one makes
    # them again with new ids: ids remembered from before would point at rows that are gone.
    ContentType.objects.clear_cache()
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
def commissioner_client(commissioner):
    """A commissioner with two-step authentication set up, logged in."""
    from members.tests.totp import client_with_two_step

    return client_with_two_step(commissioner)


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture(scope="module")
def demo_group(django_db_setup, django_db_blocker):
    """The demo group (``seed_demo``), made once for the test module and rolled back after it.

    Seeding takes about a second, so a module of demo tests shares one. The seed sits in a
    transaction held open for the module; each test (marked ``django_db``) runs in a savepoint
    inside it, so what one test changes the next never sees. The database is unblocked only
    to seed and to roll back, never for the tests themselves.
    """
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


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


class Migrator:
    """Moves the test database to other migrations and back, for tests of data migrations.

    ``to(targets)`` migrates (forwards or backwards) so that each ``(app, migration)`` in
    ``targets`` is the newest applied for its app, and returns the models as they are then
    (every applied migration of every app, so rows made through it have every column).
    """

    def __init__(self):
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        self._executor = lambda: MigrationExecutor(connection)
        self.leaves = self._executor().loader.graph.leaf_nodes()

    def to(self, targets):
        executor = self._executor()
        executor.migrate(targets)
        executor.loader.build_graph()
        return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


@pytest.fixture
def migrator(transactional_db, django_db_serialized_rollback):
    """A `Migrator`; the database is back at the newest migrations afterwards. Serialized
    rollback puts back the rows migrations made (roles, consent texts), since flushing does not
    re-run post_migrate and later tests that restore those rows would clash with them."""
    migrator = Migrator()
    yield migrator
    migrator.to(migrator.leaves)
