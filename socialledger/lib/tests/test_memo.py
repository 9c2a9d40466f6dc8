"""The in-process memo behind kept reports: bounded, least recently used out first."""

from socialledger.lib.memo import Memo


def test_a_kept_value_it_answers_without_building_again():
    memo, built = Memo(2), []
    for _ in range(3):
        memo.get_or_build("a", lambda: built.append(1) or object())
    assert len(built) == 1


def test_when_full_it_lets_the_least_recently_used_go():
    memo = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.get("a")
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)


def test_with_size_zero_it_keeps_nothing():
    memo = Memo(0)
    first = memo.get_or_build("a", object)
    assert memo.get_or_build("a", object) is not first
    assert len(memo) == 0


def test_threads_asking_at_once_it_builds_for_only_one():
    import threading
    import time

    memo, built = Memo(4), []

    def build():
        built.append(1)
        time.sleep(0.05)  # long enough for every other thread to arrive while it builds
        return object()

    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(memo.get_or_build("a", build)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert len({id(answer) for answer in answers}) == 1
