"""gunicorn's configuration for casereview (ADR 0021; docs/operations.md, "Running the production
server"). Every value can be set from the environment, so one file serves every deployment:

    gunicorn -c deploy/gunicorn.conf.py          # or: make serve

CASEREVIEW_BIND (default 127.0.0.1:8000; behind a proxy on the same host keep it on loopback),
WEB_CONCURRENCY (worker processes, default 2 × cores + 1), CASEREVIEW_THREADS (threads per worker,
default 1), CASEREVIEW_TIMEOUT (seconds a request may take before its worker is restarted, 60).
"""

import multiprocessing
import os

wsgi_app = "casereview.wsgi:application"
bind = os.environ.get("CASEREVIEW_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# Sync workers, one request at a time each: the pages are database-bound and short (ADR 0021).
threads = int(os.environ.get("CASEREVIEW_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("CASEREVIEW_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart each worker after a few thousand requests (and a random few more, so not all at once):
# a slow leak in any library cannot grow without bound.
max_requests = int(os.environ.get("CASEREVIEW_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Load the application once in the master, so a broken configuration fails at start, not per worker.
preload_app = True

# Structured logs without personal data: JSON lines on standard error, no query strings.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("CASEREVIEW_LOG_LEVEL", "info")
logger_class = "casereview.web.logs.GunicornJsonLogger"
# Django's own records (settings.LOGGING) in the same JSON form.
raw_env = ["CASEREVIEW_LOG_FORMAT=json"]
os.environ.setdefault("CASEREVIEW_LOG_FORMAT", "json")

# X-Forwarded-* are trusted only from the proxy in front (docs/access.md: CASEREVIEW_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("CASEREVIEW_FORWARDED_ALLOW_IPS", "127.0.0.1")
