"""The bot's Prometheus metrics, held by the engine so that the coach and the scheduler count without adapters.

prometheus-client's objects are process-wide and thread-safe; counting costs
a lock and an addition, so they are always counted, and shown only where an
HTTP server serves `/metrics` (`adapters/ops.py`, on when `[metrics]
enabled`; the console serves nothing). Labels take values from fixed sets
only (command names of the catalogue, outcomes, platforms), never from what
a member typed, so the number of series stays bounded.

Names follow Prometheus' conventions (https://prometheus.io/docs/practices/naming/):
`_total` for counters (added by the client), base units (seconds).
"""

from __future__ import annotations

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram

from bot.core.reply import Reply

COMMANDS = Counter("sobria_commands", "Commands handled, by command and outcome", ["command", "outcome"])
ACK_SECONDS = Histogram("sobria_ack_seconds", "Time from a platform request's arrival to its acknowledgement",
                        ["platform"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0))
REPLIES_FAILED = Counter("sobria_replies_failed", "Replies that could not be delivered to the member", ["platform"])
SCHEDULED_POSTS = Counter("sobria_scheduled_posts", "Scheduled summaries and nudges, by kind and result",
                          ["kind", "result"])
STORE_ERRORS = Counter("sobria_store_errors", "Store operations that failed (a write refused, a store unreachable)",
                       ["where"])
UNKNOWN = "unknown"  # the label of a command not in the catalogue (the name a member typed is not a label)


def registry() -> CollectorRegistry:
    """The registry `/metrics` shows (prometheus-client's default: ours, plus the process' own figures)."""
    return REGISTRY


def outcome(reply: Reply) -> str:
    """A reply's outcome label: "ok", "usage_error", or the notice that refused it (rate_limited, not_saved…)."""
    if reply.ok:
        return "ok"
    if reply.kind.startswith("notice:"):
        return reply.kind.split(":", 1)[1]
    return "usage_error"


def count_command(command: str | None, reply: Reply) -> None:
    """One command handled (`command` None when the catalogue does not know it)."""
    result = outcome(reply)
    COMMANDS.labels(command=command or UNKNOWN, outcome=result).inc()
    if result == "not_saved":
        STORE_ERRORS.labels(where="command").inc()


def count_scheduled(kind: str, result: str) -> None:
    """A scheduled post: `kind` weekly, monthly or nudge; `result` sent or skipped (or failed)."""
    SCHEDULED_POSTS.labels(kind=kind, result=result).inc()


def value(name: str, **labels: str) -> float:
    """A metric's current value (0 when never counted): for tests and `sobria doctor`-like checks."""
    found = REGISTRY.get_sample_value(name, labels)
    return float(found or 0.0)


__all__ = ["ACK_SECONDS", "COMMANDS", "REPLIES_FAILED", "SCHEDULED_POSTS", "STORE_ERRORS", "count_command",
           "count_scheduled", "outcome", "registry", "value"]
