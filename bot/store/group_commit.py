"""Group commit: writers that arrive while a flush is under way share the next flush.

A log is acknowledged only once it is on disk, and putting it there costs a
flush (an `fdatasync` of its day file, a tenth of a millisecond to a
millisecond on this machine). Done one
writer after another, a burst of commands waits in line behind each other's
flushes. Databases solve this with a group commit, and so does this class:

* the first writer to arrive becomes the leader and flushes at once, so a
  lone write costs exactly one flush, with no waiting for company;
* writers that arrive while the leader flushes queue up; when it is done,
  one of them leads the next flush, for every writer queued meanwhile;
* each writer returns only once its own item is durable, or raises the
  error that kept it from being so (a full disk fails the whole group, and
  every member of it is told).

What a "flush" does is the caller's (`apply`): the embedded store appends
the group's events to their day files, one atomic write each
(`bot.store.tinydb_store`). Written here rather than taken from a library:
the pattern is a dozen lines over a condition variable, and no library offers
it for files that must stay in the store's own format.
"""

from __future__ import annotations

import threading
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")


class _Ticket(Generic[T]):
    __slots__ = ("item", "done", "error")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = False
        self.error: BaseException | None = None


class GroupCommit(Generic[T]):
    """Batches `submit`ted items into calls of `apply(items) -> errors`, one call at a time; see the module docstring.

    `apply` returns one entry per item: None when that item is durable, else the
    exception its writer must raise. An exception raised by `apply` itself is
    the error of every item of the group.
    """

    def __init__(self, apply: Callable[[Sequence[T]], Sequence[BaseException | None]]) -> None:
        self._apply = apply
        self._cond = threading.Condition()
        self._pending: list[_Ticket[T]] = []
        self._flushing = False
        self.flushes = 0  # how many groups were flushed (read by tests and benchmarks)

    def submit(self, item: T) -> None:
        """Return once `item` is durable; raise what kept it from being so."""
        ticket: _Ticket[T] = _Ticket(item)
        with self._cond:
            self._pending.append(ticket)
            while self._flushing and not ticket.done:
                self._cond.wait()
            if not ticket.done:  # nobody flushes: lead, for every writer queued so far
                self._flushing = True
                group, self._pending = self._pending, []
        if not ticket.done:
            self._lead(group)
        if ticket.error is not None:
            raise ticket.error

    def _lead(self, group: list[_Ticket[T]]) -> None:
        errors: Sequence[BaseException | None]
        try:
            errors = self._apply([t.item for t in group])
        except BaseException as exc:  # noqa: BLE001 (handed to every writer of the group, who re-raise it)
            errors = [exc] * len(group)
        with self._cond:
            for ticket, error in zip(group, errors):
                ticket.error, ticket.done = error, True
            self._flushing = False
            self.flushes += 1
            self._cond.notify_all()


__all__ = ["GroupCommit"]
