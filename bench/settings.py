"""Production settings plus the bench's tiny pages (bench/urls.py). Used only by `make bench`."""

from involvement.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
