"""The database's lock: urgent waiters first, each queue in order, cancellation never loses the lock."""

from __future__ import annotations

import asyncio

import pytest

from bot.storage.lock import SHORT_RUN, PriorityLock


async def served(*waves: list[tuple[str, dict[str, bool]]]) -> list[str]:
    """The order in which waiters get the lock: each wave queues (``hold(**kind)``) while it is
    held, after the waves before it; then the lock is let go."""
    lock = PriorityLock()
    order: list[str] = []

    async def take(name: str, kind: dict[str, bool]) -> None:
        async with lock.hold(**kind):
            order.append(name)
            await asyncio.sleep(0)

    tasks = []
    async with lock.hold():
        for wave in waves:
            tasks += [asyncio.create_task(take(name, kind)) for name, kind in wave]
            await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    return order


async def test_urgent_waiters_go_before_those_already_waiting():
    """A request's record overtakes a queue of reservations; each queue keeps its order."""
    order = await served([(f"normal-{i}", {}) for i in range(3)],
                         [(f"urgent-{i}", {"urgent": True}) for i in range(2)])
    assert order == ["urgent-0", "urgent-1", "normal-0", "normal-1", "normal-2"]


async def test_single_statements_go_before_transactions_but_after_urgent_ones():
    """A running job's state change overtakes waiting reservations; a request's record overtakes both."""
    order = await served([(f"normal-{i}", {}) for i in range(2)],
                         [(f"short-{i}", {"short": True}) for i in range(2)],
                         [("urgent", {"urgent": True})])
    assert order == ["urgent", "short-0", "short-1", "normal-0", "normal-1"]


async def test_a_stream_of_single_statements_lets_a_waiting_transaction_in():
    """Short holders go first, but at most SHORT_RUN in a row while a transaction waits."""
    order = await served([("transaction", {})],
                         [(f"short-{i}", {"short": True}) for i in range(SHORT_RUN + 3)])
    assert order.index("transaction") == SHORT_RUN
    assert order[:SHORT_RUN] == [f"short-{i}" for i in range(SHORT_RUN)]


async def test_one_holder_at_a_time():
    """Never two holders, whatever the mix of waiters."""
    lock = PriorityLock()
    inside = 0
    most = 0

    async def take(urgent: bool) -> None:
        nonlocal inside, most
        async with lock.hold(urgent=urgent):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    await asyncio.gather(*(take(i % 3 == 0) for i in range(30)))
    assert most == 1 and not lock.locked()


async def test_a_cancelled_waiter_neither_holds_nor_blocks_the_lock():
    """A waiter cancelled while queued is skipped; the lock ends free."""
    lock = PriorityLock()
    got: list[str] = []

    async def take(name: str) -> None:
        async with lock.hold():
            got.append(name)

    async with lock.hold():
        doomed = asyncio.create_task(take("doomed"))
        after = asyncio.create_task(take("after"))
        await asyncio.sleep(0)
        doomed.cancel()
        await asyncio.sleep(0)
    with pytest.raises(asyncio.CancelledError):
        await doomed
    await after
    assert got == ["after"] and not lock.locked()



@pytest.mark.parametrize("cancel_first", [False, True], ids=["release-then-cancel", "cancel-then-release"])
async def test_a_waiter_cancelled_in_the_tick_of_a_release_raises_cancelled_error(cancel_first: bool):
    """Release and cancel in the same loop tick, either order: the waiter raises ``CancelledError``
    (never ``ValueError``), and the lock is passed on to the next waiter, then freed."""
    lock = PriorityLock()
    got: list[str] = []

    async def take(name: str) -> None:
        async with lock.hold():
            got.append(name)

    await lock._acquire(lock._normal)
    doomed = asyncio.create_task(take("doomed"))
    after = asyncio.create_task(take("after"))
    await asyncio.sleep(0)  # both queued
    if cancel_first:
        doomed.cancel()  # its future is cancelled, so the release pops and skips it
        lock._release()
    else:
        lock._release()  # handed over to doomed...
        doomed.cancel()  # ...which is cancelled before it runs: it must pass the lock on
    with pytest.raises(asyncio.CancelledError):
        await doomed
    await after
    assert got == ["after"] and not lock.locked()
