"""A small in-process memo for values that are costly to build and cheap to keep: the latest few,
kept as the objects themselves (no pickling), safe to share between a worker's threads."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class Memo:
    """The `size` most recently used values by key; the least recently used goes first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable) -> Any:
        """The value kept for `key`, or None."""
        with self._lock:
            if key not in self._values:
                return None
            self._values.move_to_end(key)
            return self._values[key]

    def get_or_build(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The value kept for `key`, or `build()`'s, kept from now on. Threads asking for a
        missing key at once wait for the first to build it rather than all building it."""
        value = self.get(key)
        if value is not None:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            value = self.get(key)
            if value is None:
                value = build()
                self.put(key, value)
        with self._lock:
            self._building.pop(key, None)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value` for `key` in place of anything kept before."""
        if self.size <= 0:
            return
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
