"""Dependencies point one way: an app imports only from itself and from the layers below it.

The order, lowest first (README, "How the pieces fit"):

1. ``common``, ``nhsuk_forms``: shared building blocks; they import nothing of ours.
2. ``outbox``: every message; imports the layer below only (recipients are
   ``settings.AUTH_USER_MODEL``, consent is asked through a hook ``members`` registers).
3. ``members``
4. ``meetings``, ``library``, ``surveys``, ``discussions``: never each other.
5. ``expenses``: claims belong to activities, so it may import ``meetings``.
6. ``involvement``: the project (settings, urls, celery, group profile, demo data, reports).

The one way down from ``involvement``: ``involvement.env``, the typed environment readers, which
import nothing of ours. Settings are read through ``django.conf.settings``, never by importing
``involvement.settings`` (that would pull the beat schedule and every app with it, and skip
test overrides). A lower app that needs something from a higher one asks through a registry
filled in ``AppConfig.ready()`` (as the data download and erasure do).

Every ``.py`` file of every app is read, its tests and migrations included; a test that needs
several apps at once belongs in ``tests/`` (``tests/integration/`` when it is about how they
work together). Only ``import`` statements count: migrations name other apps' models by label.
This reads source with ``ast``, so it needs no database and no Django.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: dict[str, int] = {
    "common": 1,
    "nhsuk_forms": 1,
    "outbox": 2,
    "members": 3,
    "meetings": 4,
    "library": 4,
    "surveys": 4,
    "discussions": 4,
    "expenses": 5,
    "involvement": 6,
}
# Project folders above every app: nothing in an app may import them.
ABOVE_APPS = {"tests", "bench", "conftest", "manage"}
# Modules of a higher layer that any app may import.
ALLOWED_UPWARD = {"involvement.env"}


def _resolve(node: ast.ImportFrom, module: str) -> str:
    """The absolute package a relative ``from . import`` names. ``module`` is the importing
    file's dotted name (``members.admin.__init__`` for a package's own file)."""
    package = module.split(".")[: -node.level]
    return ".".join([*package, node.module] if node.module else package)


def _imported_modules(tree: ast.AST, module: str):
    """(line, dotted name, module as written) for every import in the file, functions and
    TYPE_CHECKING included. ``from involvement import env`` is checked as ``involvement.env``,
    so the allowance applies."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, module) if node.level else node.module or ""
            for alias in node.names:
                yield node.lineno, base if alias.name == "*" else f"{base}.{alias.name}", base


def _allowed_upward(target: str) -> bool:
    return any(target == allowed or target.startswith(allowed + ".") for allowed in ALLOWED_UPWARD)


def rule_broken(app: str, target: str, shown: str = "") -> str | None:
    """Why ``app`` may not import ``target`` (written ``shown``), or None if it may."""
    top = target.split(".")[0]
    if top == app:
        return None
    shown = shown or target
    if top in ABOVE_APPS:
        return f"{app} imports {shown}: apps never import the project's tests or tools"
    if top not in LAYERS or _allowed_upward(target):
        return None
    mine, theirs = LAYERS[app], LAYERS[top]
    if theirs < mine:
        return None
    below = ", ".join(name for name, layer in LAYERS.items() if layer < mine) or "nothing of ours"
    if theirs == mine:
        return (
            f"{app} imports {shown}: {app} and {top} share layer {mine} and stay independent (it may import: {below})"
        )
    return f"{app} (layer {mine}) imports {shown} (layer {theirs}): it may import only {below}"


def violations(root: Path = ROOT) -> list[str]:
    found = []
    for app in sorted(LAYERS):
        folder = root / app
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(root)
            module = ".".join(relative.with_suffix("").parts)
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(relative))
            reported = set()
            for line, target, shown in _imported_modules(tree, module):
                why = rule_broken(app, target, shown)
                if why and (line, target.split(".")[0]) not in reported:
                    # One report per import statement, however many names it brings in.
                    reported.add((line, target.split(".")[0]))
                    found.append(f"{relative}:{line}: {why}")
    return found


def test_every_app_imports_only_from_its_own_layer_or_below():
    found = violations()
    assert not found, "Imports against the dependency order (see README, How the pieces fit):\n" + "\n".join(found)


def test_every_app_has_a_place_in_the_order():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    missing = sorted(apps - set(LAYERS))
    assert not missing, f"Add these apps to LAYERS here and to the README's layered list: {missing}"


# The checker itself ----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    def write(path: str, source: str) -> None:
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(source, encoding="utf-8")

    return tmp_path, write


def test_an_import_upwards_is_reported_with_its_file_line_and_rule(project):
    root, write = project
    write("members/views.py", "import os\n\nfrom meetings.models import Meeting\n")
    assert violations(root) == [
        "members/views.py:3: members (layer 3) imports meetings.models (layer 4): "
        "it may import only common, nhsuk_forms, outbox"
    ]


def test_apps_in_the_same_layer_may_not_import_each_other_even_inside_a_function(project):
    root, write = project
    write("meetings/tests/test_x.py", "def test():\n    import surveys.models\n")
    assert violations(root) == [
        "meetings/tests/test_x.py:2: meetings imports surveys.models: meetings and surveys share layer 4 "
        "and stay independent (it may import: common, nhsuk_forms, outbox, members)"
    ]


def test_imports_downwards_relative_and_from_the_environment_readers_are_allowed(project):
    root, write = project
    write("expenses/rules.py", "from meetings.models import Meeting\nfrom members import roles\n")
    write("members/admin/member.py", "from ..models import Member\nfrom . import filters\n")
    write("members/settings_use.py", "from involvement.env import env_int\nfrom involvement import env\n")
    write("members/migrations/0009_x.py", "dependencies = [('meetings', '0001_initial')]\n")
    assert violations(root) == []


def test_the_project_settings_and_the_tests_folder_are_out_of_reach(project):
    root, write = project
    write("common/a.py", "from involvement.settings import base\n")
    write("members/b.py", "from tests.integration import processes\n")
    assert [line.split(": ", 1)[0] for line in violations(root)] == ["common/a.py:1", "members/b.py:1"]
