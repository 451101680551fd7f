"""The production shape keeps what a restart or a second container would otherwise lose.

docker-compose.yml cannot be run here (no Docker engine; CI validates it with
`docker-compose config`), so these read it as text beside what the production settings say.
"""

import json
import re
import subprocess
import sys

from involvement.tests.test_settings import ROOT, _production_env

COMPOSE = (ROOT / "docker-compose.yml").read_text()
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def _production_paths() -> dict:
    """Where production settings put files and sessions, with the Dockerfile's VAR_DIR."""
    env = _production_env(VAR_DIR="/app/var", MEDIA_ROOT=None, PRIVATE_MEDIA_ROOT=None)
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'media': str(s.MEDIA_ROOT), 'private': str(s.PRIVATE_MEDIA_ROOT), 'sessions': s.SESSION_ENGINE}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _portal_block() -> str:
    return COMPOSE.split("x-portal: &portal", 1)[1].split("\nservices:", 1)[0]


def _mounts() -> dict[str, str]:
    return dict(re.findall(r"^\s+- (\w+):(/\S+)$", _portal_block(), re.MULTILINE))


def test_uploaded_files_and_receipts_are_on_named_volumes_every_portal_container_shares():
    paths = _production_paths()
    mounts = _mounts()
    assert mounts.get("media") == paths["media"] == "/app/var/media"
    assert mounts.get("private") == paths["private"] == "/app/var/private"
    declared = COMPOSE.split("\nvolumes:", 1)[1]
    assert re.search(r"^  private:$", declared, re.MULTILINE), "the private volume is not declared"
    for service in ("web", "worker", "beat"):
        block = COMPOSE.split(f"\n  {service}:\n", 1)[1]
        assert block.lstrip().startswith("<<: *portal"), f"{service} does not share the portal's volumes"


def test_the_image_creates_the_private_folder_for_the_portal_user():
    assert "PRIVATE_MEDIA_ROOT=/app/var/private" in DOCKERFILE
    assert re.search(r"mkdir -p [^\n]*/app/var/private", DOCKERFILE)


def test_production_sessions_are_in_the_database_with_redis_in_front():
    assert _production_paths()["sessions"] == "django.contrib.sessions.backends.cached_db"
