"""The reporting module: every figure in every report is worked out here, in the database, and
tested against hand-computed fixtures. The PDFs in ``involvement/reports/`` only lay them out.

- `period`: the involvement report for a period (`period_figures`).
- Sibling modules hold the figures for the other reports (`project.project_figures`,
  `survey.survey_figures`, `certificate.certificate_figures`).

Each module's ``STAGES`` are its stages of counting, in order; its ``*_figures`` function takes
an optional ``progress(n, total, title)`` that hears each stage as it begins (`stage_counter`).

Figures that leave the group are already suppressed here (`common.suppression`): a template
cannot show a small number it was never given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Progress = Callable[[int, int, str], None]


def stage_counter(stages: Sequence[str], progress: Progress | None) -> Callable[[], None]:
    """A function to call as each of ``stages`` begins: it tells ``progress`` (if any) "stage n
    of total", n from 1, in order."""
    numbered = iter(enumerate(stages, 1))

    def next_stage() -> None:
        n, title = next(numbered)
        if progress is not None:
            progress(n, len(stages), title)

    return next_stage
