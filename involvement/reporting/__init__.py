"""The reporting module: every figure in every report is worked out here, in the database, and
tested against hand-computed fixtures. The PDFs in ``involvement/reports/`` only lay them out.

- `period`: the involvement report for a period (`period_figures`).
- Sibling modules hold the figures for the other reports (a project, a survey, a certificate).

Figures that leave the group are already suppressed here (`common.suppression`): a template
cannot show a small number it was never given.
"""
