"""Running actions at the same moment, each in its own thread and so its own database connection.

For the tests that show a race is handled by the database (row locks, unique constraints,
conditional updates) rather than by a check in Python. They need PostgreSQL: SQLite takes one
writer at a time, so it cannot show the race.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def run_together(*actions: Callable) -> list:
    """Runs each action in its own thread, all released together; returns, in order, what each
    returned or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    outcomes: list = [None] * len(actions)

    def run(index: int, action: Callable) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()
        except BaseException as exc:  # handed back to the test's own thread
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a lock never released?)"
    return outcomes


def at_the_same_moment(*actions: Callable) -> list:
    """Like `run_together`, for actions that must all succeed: fails on the first exception."""
    outcomes = run_together(*actions)
    errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
    assert errors == []
    return outcomes
