"""How log lines are written: readable text (the default) or one JSON object per line (`[log] format = "json"`).

A host running many companies' workspaces sends the logs to a log system
(Loki, Elasticsearch, a cloud's logging), which reads JSON without a parsing
rule per message. The formatter is the standard library's, subclassed: each
line holds the time (UTC, ISO 8601), the level, the logger, the message as
formatted for the text log, and the traceback when there is one. It adds
nothing a text line would not show (no record arguments, no extra fields),
so what keeps secrets out of the text log keeps them out of this one
(tests/test_secrets.py checks both).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: {"time", "level", "logger", "message"[, "exception"][, "stack"]}."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "thread": record.threadName,
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)


def formatter(log_format: str) -> logging.Formatter:
    """The formatter of `[log] format`: "json", else the readable text line."""
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def use_format(log_format: str, logger: logging.Logger | None = None) -> None:
    """Write every handler of the root logger (or of `logger`) in `log_format` from now on."""
    for handler in (logger or logging.getLogger()).handlers:
        handler.setFormatter(formatter(log_format))


__all__ = ["JsonFormatter", "TEXT_FORMAT", "formatter", "use_format"]
