"""The bench's WSGI application with no middleware at all: the floor the full stack is compared with.

Same settings and URLs as the portal under bench (allauth insists its middleware is listed in
settings, so the middleware is left out here, in the handler, rather than in settings).
"""

import os

import django
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup(set_prefix=False)


class HandlerWithoutMiddleware(WSGIHandler):
    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        self._middleware_chain = convert_exception_to_response(self._get_response)


application = HandlerWithoutMiddleware()
