"""Gunicorn settings for serving Caseline in production (ADR 0011).

    gunicorn -c caseline/gunicorn.conf.py caseline.wsgi:application

One synchronous worker process per CPU core: each runs one request at a time on its own
core, so a request's server time is its own work, not a share of a core with other
requests. Requests beyond that wait in the listening socket's queue. Each setting can be
changed with an environment variable.
"""

from __future__ import annotations

import gc
import os
from typing import Any

bind = os.environ.get("CASELINE_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CASELINE_WORKERS", os.cpu_count() or 2))
worker_class = "sync"
# A page that takes this long has gone wrong; the worker is restarted.
timeout = int(os.environ.get("CASELINE_TIMEOUT_SECONDS", "30"))
# Restart each worker after this many requests (plus up to 10% at random, so they do not
# all restart at once), bounding any slow growth in memory.
max_requests = int(os.environ.get("CASELINE_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
backlog = 256
# Behind the authority's reverse proxy, which terminates TLS and sets X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("CASELINE_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-" if os.environ.get("CASELINE_ACCESS_LOG") == "true" else None

# Python's cycle collector runs after every 700 net new objects (its default) and each full
# pass walks every object alive, most of them Django's own, loaded once at start. A page of
# work builds thousands of short-lived objects, so those passes fell inside requests and
# lengthened the slowest ones (ADR 0012). Each worker freezes what it loaded at start, so
# collections no longer walk it, and collects the youngest objects less often.
GC_YOUNGEST_THRESHOLD = int(os.environ.get("CASELINE_GC_THRESHOLD", "10000"))


def post_worker_init(worker: Any) -> None:
    """Once the worker has loaded Caseline: freeze its start-up objects out of collection."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNGEST_THRESHOLD, middle, oldest)
