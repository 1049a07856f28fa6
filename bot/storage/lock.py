"""A lock whose urgent waiters go before the others: for the one SQLite connection.

SQLite has one writer, and the bot sends every statement through one connection. What holds
this lock is a batch of trips (single statements and whole transactions, each run start to end
on the connection's thread) or a session (several statements with awaits between them); see
:mod:`bot.storage.database`.

Batches go first ("short"), before the sessions: they carry the running jobs' state changes and
the new requests' records and reservations, and no batch waits behind an admin's longer work.
Sessions asking to be ``urgent`` go before both. After ``SHORT_RUN`` batches in a row, a waiting
session goes: a steady stream of batches never keeps a session waiting for ever.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

SHORT_RUN = 8
"""Short holders (batches) served in a row, at most, while a session waits."""


class PriorityLock:
    """An ``asyncio.Lock`` with three queues served in turn: urgent, short, then the others; each in order."""

    def __init__(self) -> None:
        self._locked = False
        self._urgent: collections.deque[asyncio.Future[None]] = collections.deque()
        self._short: collections.deque[asyncio.Future[None]] = collections.deque()
        self._normal: collections.deque[asyncio.Future[None]] = collections.deque()
        self._shorts_in_a_row = 0

    def locked(self) -> bool:
        """Whether someone holds the lock."""
        return self._locked

    @asynccontextmanager
    async def hold(self, *, urgent: bool = False, short: bool = False) -> AsyncIterator[None]:
        """``async with lock.hold(urgent=..., short=...)``: acquire, run the block, release."""
        await self._acquire(self._urgent if urgent else self._short if short else self._normal)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, queue: collections.deque[asyncio.Future[None]]) -> None:
        if not self._locked and not self._urgent and not self._short and not self._normal:
            self._locked = True
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # handed over just as we were cancelled: pass it on
            else:
                # A release in the same loop tick may have popped (and skipped) the cancelled
                # waiter already: then it is no longer queued, and the cancellation must go on.
                with contextlib.suppress(ValueError):
                    queue.remove(waiter)
            raise

    def _release(self) -> None:
        # Ownership passes straight to the next waiter, so nobody can slip in between. After
        # SHORT_RUN short holders in a row, a waiting session goes first: a steady stream of
        # batches never keeps it waiting for ever.
        order = (self._urgent, self._short, self._normal)
        if self._shorts_in_a_row >= SHORT_RUN and self._normal:
            order = (self._urgent, self._normal, self._short)
        for queue in order:
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    self._shorts_in_a_row = self._shorts_in_a_row + 1 if queue is self._short else 0
                    waiter.set_result(None)
                    return
        self._locked = False
