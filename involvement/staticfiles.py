"""Collect only the parts of nhsuk-frontend the portal serves.

The npm package ships its Sass, Nunjucks, TypeScript declarations, source maps
and per-component modules (over 1,300 files). Pages use only the compiled
CSS, the bundled JavaScript module and the images, so the rest is ignored:
collectstatic (at image build) and whitenoise have far less to do.
"""

from django.contrib.staticfiles.apps import StaticFilesConfig

NHSUK_FRONTEND_SOURCES = [
    "components",
    "core",
    "common",
    "lib",
    "macros",
    "errors",
    # Source maps, except those of the two files served (their sourceMappingURL must resolve).
    "*.mts.map",
    "*.mjs.map",
    "*.scss.map",
    "nhsuk-frontend.css.map",
    "nhsuk-frontend.js.map",
    "nhsuk.js.map",
    "component.js.map",
    "configurable-component.js.map",
    "i18n.js.map",
    "index.js.map",
    "*.scss",
    "*.mts",
    "*.mjs",
    "*.njk",
    "*.md",
    "*dynamic-type*",
    "nhsuk-frontend-*.min.*",  # the version-named copies of the files we do serve
    "nhsuk-frontend.css",
    "nhsuk-frontend.js",
    "nhsuk.js",
    "component.js",
    "configurable-component.js",
    "i18n.js",
    "index.js",
]


class PortalStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, *NHSUK_FRONTEND_SOURCES]
