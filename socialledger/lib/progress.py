"""Progress of long commands (imports, generating data, rebuilding summaries, benchmarks).

On a terminal, one line redrawn in place: a bar, how many done of how many, rows per second and
the time left. Anywhere else (a log, CI, a pipe), a plain line every few seconds and one at the
end, so logs stay readable. Every long command uses this one helper.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24
REDRAW_EVERY = 0.2  # seconds between redraws on a terminal
LINE_EVERY = 5.0  # seconds between plain lines elsewhere


class Progress:
    """Counts work done and shows it. Use as a context manager; call `advance(n)` as work is done.

    `total` may be None when the amount of work is not known in advance (no bar, no time left).
    `sink`, if given, is called with this Progress when it starts, at every step and when it
    finishes (`finished` then set), and decides itself how often to pass the news on.
    """

    def __init__(
        self,
        what: str,
        total: int | None = None,
        *,
        unit: str = "rows",
        stream: TextIO | None = None,
        sink: Callable[[Progress], None] | None = None,
    ) -> None:
        self.what, self.total, self.unit = what, total, unit
        # Django's OutputWrapper keeps the real stream as `_out`; write to it directly.
        self.stream = getattr(stream or sys.stderr, "_out", stream or sys.stderr)
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.done = 0
        self.started = self.shown = time.monotonic()
        self.sink, self.finished = sink, False

    def __enter__(self) -> Progress:
        if self.sink:
            self.sink(self)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.finish(failed=exc_type is not None)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.sink:
            self.sink(self)
        now = time.monotonic()
        if now - self.shown >= (REDRAW_EVERY if self.live else LINE_EVERY):
            self.shown = now
            self._show(now)

    def finish(self, *, failed: bool = False) -> None:
        """A last line saying what was done; after a failure, nothing (the line on a terminal is
        cleared), so the messages that say what went wrong stand alone."""
        self.finished = True
        if self.sink and not failed:
            self.sink(self)
        if failed:
            if self.live:
                self.stream.write("\r\033[K")
                self.stream.flush()
            return
        elapsed = max(time.monotonic() - self.started, 1e-9)
        line = (
            f"{self.what} done: {self.done:,} {self.unit} in {elapsed:.1f} s "
            f"({self.done / elapsed:,.0f} {self.unit}/s)"
        )
        self._write(line, final=True)

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-9)

    def _show(self, now: float) -> None:
        rate = self.done / max(now - self.started, 1e-9)
        if self.total:
            share = min(self.done / self.total, 1.0)
            left = (self.total - self.done) / rate if rate else 0
            filled = int(share * BAR_WIDTH)
            bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] " if self.live else ""
            text = (
                f"{self.what} {bar}{share:4.0%} {self.done:,}/{self.total:,} {self.unit}, "
                f"{rate:,.0f} {self.unit}/s, {_duration(left)} left"
            )
        else:
            text = f"{self.what}: {self.done:,} {self.unit}, {rate:,.0f} {self.unit}/s"
        self._write(text)

    def _write(self, text: str, *, final: bool = False) -> None:
        if self.live:
            self.stream.write("\r\033[K" + text + ("\n" if final else ""))
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
