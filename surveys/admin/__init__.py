"""The survey builder in the admin: surveys with their sections (``survey.py``), sections with
their questions and questions with their choices (``questions.py``)."""

from . import questions, survey  # noqa: F401 - registers the admin classes
