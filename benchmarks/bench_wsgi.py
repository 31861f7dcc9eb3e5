"""Caseline's WSGI application with the benchmark's server-time header (benchmarks only).

``bench_pages.py`` serves this module with gunicorn and Caseline's own gunicorn settings.
The wrapper measures from the request reaching Django to the whole body made and the
request finished (signals run, database connections released), and sends the figure back
in an ``X-Bench-Server-Ms`` header. Nothing is added to the application itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

django_application = get_wsgi_application()

StartResponse = Callable[..., Any]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    started = time.perf_counter()
    captured: dict[str, Any] = {}

    def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured.update(status=status, headers=headers)
        return lambda data: None

    body = django_application(environ, capture)
    try:
        chunks = list(body)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()
    ms = (time.perf_counter() - started) * 1000
    start_response(captured["status"], [*captured["headers"], ("X-Bench-Server-Ms", f"{ms:.2f}")])
    return chunks
