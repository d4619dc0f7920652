"""What the coach needs from a store, independent of how it is kept.

The TinyDB implementation is the default; the interface is shaped so that a
SQL store can answer the same questions with indexed queries: events are
always addressed by workspace, and figures are asked for by period keys
("d:…", "w:…", "m:…", "all") rather than by scanning raw events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol
from zoneinfo import ZoneInfo

GENERATED, AVOIDED = "gen", "avoid"
# The grid zone assumed for a stored record that names none.
DEFAULT_EVENT_ZONE = "USA"


@dataclass(frozen=True)
class Event:
    """One logged command: generations made or avoided."""

    id: str
    ts: float  # UTC epoch seconds
    user: str
    type: str  # GENERATED | AVOIDED
    kind: str
    count: int
    zone: str  # grid zone in force when logged (where the model runs)
    tool: str | None = None
    rct: dict[str, Any] | None = None  # {"score", "band", "parts": {...}, "vague"}
    text: str | None = None  # prompt or "how", only when the workspace opted in

    def to_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id, "ts": self.ts, "user": self.user, "type": self.type,
            "kind": self.kind, "count": self.count, "zone": self.zone, "tool": self.tool,
            "rct": self.rct,
        }
        if self.text is not None:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        return cls(
            id=str(d["id"]), ts=float(d["ts"]), user=str(d["user"]), type=str(d["type"]),
            kind=str(d["kind"]), count=int(d["count"]), zone=str(d.get("zone") or DEFAULT_EVENT_ZONE),
            tool=d.get("tool"), rct=d.get("rct"), text=d.get("text"),
        )


@dataclass
class Counts:
    """Running totals for one member (or a whole workspace) over one period."""

    gen: dict[str, int] = field(default_factory=dict)  # "kind|zone" -> generations
    avoid: dict[str, int] = field(default_factory=dict)  # "kind|zone" -> avoided
    gen_logs: int = 0  # logging commands (tasks): generations per task = iteration rate
    avoid_logs: int = 0
    rct_sum: int = 0
    rct_n: int = 0

    @property
    def generations(self) -> int:
        return sum(self.gen.values())

    @property
    def avoided(self) -> int:
        return sum(self.avoid.values())

    @property
    def rct_avg(self) -> float | None:
        return self.rct_sum / self.rct_n if self.rct_n else None

    def zone_count(self, kinds: Iterable[str]) -> int:
        """Generations of `kinds` only: what the weekly zone counts (`bot.core.zones.diagnose`), while
        `generations` and every footprint count them all."""
        wanted = set(kinds)
        return sum(n for key, n in self.gen.items() if key.partition("|")[0] in wanted)

    def add_event(self, e: Event) -> None:
        self.add(e.type, e.kind, e.zone, e.count, e.rct)

    def add(self, type_: str, kind: str, zone: str, count: int, rct: dict[str, Any] | None) -> None:
        """Count one event given by its fields (stores counting raw records skip building an Event)."""
        key = f"{kind}|{zone}"
        if type_ == GENERATED:
            self.gen[key] = self.gen.get(key, 0) + count
            self.gen_logs += 1
            if rct and isinstance(rct.get("score"), (int, float)):
                self.rct_sum += int(rct["score"])
                self.rct_n += 1
        else:
            self.avoid[key] = self.avoid.get(key, 0) + count
            self.avoid_logs += 1

    def merge(self, other: "Counts") -> None:
        for k, v in other.gen.items():
            self.gen[k] = self.gen.get(k, 0) + v
        for k, v in other.avoid.items():
            self.avoid[k] = self.avoid.get(k, 0) + v
        self.gen_logs += other.gen_logs
        self.avoid_logs += other.avoid_logs
        self.rct_sum += other.rct_sum
        self.rct_n += other.rct_n

    def copy(self) -> "Counts":
        c = Counts()
        c.merge(self)
        return c

    def to_dict(self) -> dict[str, Any]:
        return {"gen": dict(self.gen), "avoid": dict(self.avoid), "gen_logs": self.gen_logs,
                "avoid_logs": self.avoid_logs, "rct_sum": self.rct_sum, "rct_n": self.rct_n}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Counts":
        return cls(gen={k: int(v) for k, v in d.get("gen", {}).items()},
                   avoid={k: int(v) for k, v in d.get("avoid", {}).items()},
                   gen_logs=int(d.get("gen_logs", 0)), avoid_logs=int(d.get("avoid_logs", 0)),
                   rct_sum=int(d.get("rct_sum", 0)), rct_n=int(d.get("rct_n", 0)))


PeriodCounts = dict[str, Counts]  # user id -> counts


@dataclass(frozen=True)
class MemberFigures:
    """One member's counts of a period beside the workspace's, and how many members logged in it (/ia-stats):
    what a store can answer from a few rows, where `counts` hands over every member's figures."""

    mine: Counts
    team: Counts
    members: int


def workspace_total(per_user: PeriodCounts) -> Counts:
    total = Counts()
    for c in per_user.values():
        total.merge(c)
    return total


class Store(Protocol):
    """The storage interface. Every method is scoped to one workspace."""

    # one event, durable on return; `member`: fields merged into the event's member's record with it
    # (/ia-log remembers its tip with the log: one durable commit on PostgreSQL; beside the record, no flush of
    # its own, in the embedded store: bot/store/logged.py)
    def add_event(self, workspace: str, event: Event, member: Mapping[str, Any] | None = None) -> None: ...
    def add_events(self, workspace: str, events: Iterable[Event]) -> int: ...
    def get_event(self, workspace: str, event_id: str) -> Event | None: ...
    def last_event(self, workspace: str, user: str, since_ts: float) -> Event | None: ...
    def remove_event(self, workspace: str, event_id: str) -> bool: ...
    # a member's events, oldest first; from `since_ts` on (UTC epoch seconds) when given
    def member_events(self, workspace: str, user: str, since_ts: float | None = None) -> list[Event]: ...
    def forget_member(self, workspace: str, user: str) -> int: ...
    def counts(self, workspace: str, tz: ZoneInfo, keys: Iterable[str]) -> dict[str, PeriodCounts]: ...
    def totals(self, workspace: str, tz: ZoneInfo, keys: Iterable[str]) -> dict[str, Counts]: ...
    def member_figures(self, workspace: str, tz: ZoneInfo, key: str, user: str) -> MemberFigures: ...
    # the per-member burst limit, shared by every process on the store (bot/core/ratelimit.py): records a hit
    # at `now` and says whether it is within `limit` hits per `window` seconds (a refused hit is not recorded)
    def admit_burst(self, workspace: str, user: str, now: float, limit: int, window: float) -> bool: ...
    def settings(self, workspace: str) -> dict[str, Any]: ...
    def set_setting(self, workspace: str, key: str, value: Any) -> None: ...
    def member(self, workspace: str, user: str) -> dict[str, Any] | None: ...
    # both of the above in one read (one round trip on PostgreSQL): what every command reads first (Services.context)
    def settings_and_member(self, workspace: str, user: str) -> tuple[dict[str, Any], dict[str, Any] | None]: ...
    # the same with a rate-limited command's burst check (admit_burst) in the same round trip, and when `week`
    # (zone, period key) is given the member's figures of that period (member_figures), also in that round trip:
    # (settings, member, admitted, figures or None when not asked)
    def settings_member_admitting(self, workspace: str, user: str, now: float, limit: int, window: float,
                                  week: tuple[ZoneInfo, str] | None = None
                                  ) -> tuple[dict[str, Any], dict[str, Any] | None, bool, MemberFigures | None]: ...
    def update_member(self, workspace: str, user: str, **fields: Any) -> None: ...
    def members(self, workspace: str) -> list[dict[str, Any]]: ...
    def workspaces(self) -> list[str]: ...
    def claim_summary(self, workspace: str, kind: str, period: str) -> bool: ...
    # Where a platform can reach the workspace proactively (Teams conversation references, kept at install):
    # opaque JSON documents per (platform, key); the engine never reads them, the adapter that wrote them does.
    def destinations(self, workspace: str, platform: str) -> dict[str, dict[str, Any]]: ...
    def set_destination(self, workspace: str, platform: str, key: str, value: dict[str, Any] | None) -> None: ...
    def close(self) -> None: ...
