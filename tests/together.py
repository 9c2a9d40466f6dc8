"""Running work in real threads released at the same moment, for the concurrency tests.

Each thread closes its own database connections when it ends, as a request would.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def run_together(work: Callable[[int], object], count: int) -> list[object]:
    """Run work(0) ... work(count - 1) in threads that start together; each one's result, or the
    exception it raised, in order."""
    start = threading.Barrier(count)
    results: list[object] = [None] * count

    def body(index: int) -> None:
        try:
            start.wait()
            results[index] = work(index)
        except Exception as error:  # the test looks at every outcome
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
