"""Structured logs: one JSON object a line, with nothing personal in them (ADR 0021).

`JsonFormatter` writes the time, level, logger and message of Django's and our own log records;
the `request` Django attaches to its records is never serialised (its query string, cookies and
posted data may hold names and addresses). `GunicornJsonLogger` writes gunicorn's access log the
same way with the method, the path *without* its query string, the status, the size and the time
taken — never the query, the referrer, the user agent or the client's cookies. Paths name case
references (WN-2025-0001), which name no one; search terms are posted, never put in a path
(web/private_search.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging

# The attributes every LogRecord has; anything else is an `extra` the caller passed.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}
# Extras that are safe to write (numbers and words chosen by our code, never from a person).
_SAFE_EXTRAS = {"status_code", "duration_ms", "method", "path", "status", "bytes", "worker"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key in _SAFE_EXTRAS and isinstance(value, str | int | float):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


try:  # gunicorn is the production server's dependency; the logger class exists only with it.
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - development without gunicorn
    _GunicornLogger = object


class GunicornJsonLogger(_GunicornLogger):
    """gunicorn's logger, its access and error lines written as JSON without personal data."""

    def setup(self, cfg):
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                handler.setFormatter(JsonFormatter())

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return
        status = str(getattr(resp, "status", "") or "").split(" ", 1)[0]
        self.access_log.info(
            "request",
            extra={
                "method": environ.get("REQUEST_METHOD", ""),
                "path": environ.get("PATH_INFO", ""),  # never QUERY_STRING
                "status": int(status) if status.isdigit() else 0,
                "bytes": int(getattr(resp, "sent", 0) or 0),
                "duration_ms": round(request_time.total_seconds() * 1000, 1),
            },
        )
