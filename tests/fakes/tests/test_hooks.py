"""The hook registry shared by the fakes (``on_event``): order, removal, errors, DROP."""

from __future__ import annotations

import pytest

from tests.fakes.hooks import DROP, Hooks


def test_callbacks_run_in_order_and_can_be_removed() -> None:
    hooks = Hooks({"a": "an event"})
    seen: list[str] = []
    remove = hooks.on("a", lambda e: seen.append(f"1:{e['x']}"))
    hooks.on("a", lambda e: seen.append(f"2:{e.get('x')}:{e.name}"))
    assert hooks.emit("a", x=5) is False
    remove()
    remove()  # twice is harmless
    hooks.emit("a", x=6)
    assert seen == ["1:5", "2:5:a", "2:6:a"]


def test_unknown_events_are_refused_so_typos_fail_loudly() -> None:
    with pytest.raises(ValueError, match="unknown event 'b'"):
        Hooks({"a": "an event"}).on("b", print)


def test_a_failing_callback_is_recorded_and_the_others_still_run() -> None:
    hooks = Hooks({"a": "an event"})
    seen: list[int] = []
    hooks.on("a", lambda e: 1 / 0)
    hooks.on("a", lambda e: seen.append(1))
    hooks.emit("a")
    assert seen == [1]
    assert len(hooks.errors) == 1 and "ZeroDivisionError" in hooks.errors[0]


def test_drop_is_honoured_only_where_the_event_allows_it() -> None:
    hooks = Hooks({"a": "droppable", "b": "not droppable"}, droppable=frozenset({"a"}))
    hooks.on("a", lambda e: DROP)
    hooks.on("b", lambda e: DROP)
    assert hooks.emit("a") is True
    assert hooks.emit("b") is False
    assert hooks.errors and "cannot be dropped" in hooks.errors[0]
    assert repr(DROP) == "DROP"
