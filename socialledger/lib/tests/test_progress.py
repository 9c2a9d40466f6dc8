"""Progress of long commands: a bar with rows per second and time left on a terminal, plain
lines elsewhere, and always a last line saying how much was done and how fast."""

import contextlib
import io

from socialledger.lib import progress
from socialledger.lib.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_it_draws_a_bar_with_the_rate_and_the_time_left(monkeypatch):
    clock = iter([0.0, 1.0, 2.0, 2.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    screen = Terminal()
    with Progress("Importing", 1000, stream=screen) as shown:
        shown.advance(250)
    drawn = screen.getvalue()
    assert "\r" in drawn
    assert "[######" in drawn
    assert "250/1,000 rows, 250 rows/s, 0:03 left" in drawn
    assert drawn.endswith("Importing done: 250 rows in 2.0 s (125 rows/s)\n")


def test_elsewhere_it_writes_plain_lines_only_every_few_seconds(monkeypatch):
    clock = iter([0.0, 1.0, 6.0, 7.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    log = io.StringIO()
    with Progress("Rebuilding", 100, unit="entries", stream=log) as shown:
        shown.advance(10)  # after 1 s: too soon for a line
        shown.advance(50)  # after 6 s: a line
    lines = log.getvalue().splitlines()
    assert lines == [
        "Rebuilding  60% 60/100 entries, 10 entries/s, 0:04 left",
        "Rebuilding done: 60 entries in 7.0 s (9 entries/s)",
    ]
    assert "\r" not in log.getvalue()


def test_a_command_that_fails_leaves_its_messages_alone(monkeypatch):
    clock = iter([0.0, 1.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    log, screen = io.StringIO(), Terminal()
    for stream in (log, screen):
        with contextlib.suppress(ValueError), Progress("Importing", 10, stream=stream) as shown:
            shown.advance(3)
            raise ValueError("broken")
        clock = iter([0.0, 1.0])
    assert log.getvalue() == ""
    assert screen.getvalue().endswith("\r\033[K")
