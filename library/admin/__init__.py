"""The library in the admin, split by job: resources (with files, sources, credits, versions,
reading age, reach and reader feedback), review rounds (choosing reviewers, answering each point
on one page), and what comes in from outside (suggestions, reader feedback, reach)."""

from . import incoming, resources, reviews  # noqa: F401
