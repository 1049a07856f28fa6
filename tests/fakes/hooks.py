"""Hook points of the fakes: a test's callback, run the moment something happens inside a fake.

Both fakes (:class:`~tests.fakes.discord.FakeDiscord` and :class:`~tests.fakes.gptproto.FakeGPTProto`)
have ``on_event(name, callback)``. The callback is called synchronously, inside the fake's handler
and in the test's event loop, before the fake goes on; so it acts at an exact point of a
conversation, for example to SIGKILL a bot process the moment Discord recorded its
acknowledgement::

    remove = fake.on_event("callback", lambda event: os.kill(pid, signal.SIGKILL))
    ...
    remove()

A callback receives one :class:`Event` (``event.name``, ``event.data``; ``event["request"]``
reads the data). Events that say so may be *dropped*: a callback that returns :data:`DROP` makes
the fake close the connection without applying or answering the request, as if it had never
arrived complete. An exception raised by a callback is logged and kept in ``hook_errors`` (tests
should assert it is empty); the fake carries on as if the callback had returned ``None``.

Each fake lists its events, with what their data holds, in its ``EVENTS`` mapping.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = ["DROP", "Event", "Hooks"]

_log = logging.getLogger("tests.fakes.hooks")


class _Drop:
    """The type of :data:`DROP` (one instance; compare with ``is``)."""

    def __repr__(self) -> str:
        return "DROP"


DROP: Final = _Drop()
"""Return this from a callback of a droppable event to make the fake drop that request."""


@dataclass(frozen=True)
class Event:
    """What happened: the event's name and its data (see the fake's ``EVENTS``)."""

    name: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        """``event.data.get(key, default)``."""
        return self.data.get(key, default)


Callback = Callable[[Event], Any]


class Hooks:
    """The callbacks registered on one fake, by event name."""

    def __init__(self, events: Mapping[str, str], *, droppable: frozenset[str] = frozenset()) -> None:
        self.events = dict(events)
        self.droppable = droppable
        self._callbacks: dict[str, list[Callback]] = {name: [] for name in events}
        #: Tracebacks of callbacks that raised.
        self.errors: list[str] = []

    def on(self, name: str, callback: Callback) -> Callable[[], None]:
        """Call ``callback(event)`` on every ``name`` event; returns a function that removes it."""
        if name not in self._callbacks:
            raise ValueError(f"unknown event {name!r}; known: {sorted(self._callbacks)}")
        callbacks = self._callbacks[name]
        callbacks.append(callback)

        def remove() -> None:
            if callback in callbacks:
                callbacks.remove(callback)

        return remove

    def clear(self) -> None:
        """Remove every callback."""
        for callbacks in self._callbacks.values():
            callbacks.clear()

    def emit(self, name: str, **data: Any) -> bool:
        """Run the callbacks of ``name`` in order; ``True`` when one asked to drop the request."""
        callbacks = self._callbacks[name]
        if not callbacks:
            return False
        event = Event(name, data)
        drop = False
        for callback in list(callbacks):
            try:
                answer = callback(event)
            except Exception:
                _log.exception("a callback of event %r failed", name)
                self.errors.append(f"{name}: {traceback.format_exc()}")
                continue
            if answer is DROP:
                if name not in self.droppable:
                    self.errors.append(f"{name}: a callback returned DROP, but this event cannot be dropped")
                    continue
                drop = True
        return drop
