"""The kept pages' store holds at most its bound in bytes of memory, whatever the script of
the names on the pages (``practice.core.kept_pages.KeptPages``)."""

import sys

from practice.core.kept_pages import KeptPage, KeptPages


def _held(store: KeptPages, owners: range) -> list[str]:
    return [page.html for owner in owners if (page := store.get(owner, "list")) is not None]


def test_pages_with_names_outside_latin_1_count_their_real_size() -> None:
    # One name in Chinese or with an emoji makes Python keep the whole page at 2 or 4 bytes
    # a character.
    store = KeptPages(max_bytes=100_000)
    for owner in range(20):
        store.put(owner, "list", KeptPage(html="<td>Zhāng Wěi 😀</td>" * 250))

    held = _held(store, range(20))

    assert held
    assert sum(sys.getsizeof(html) for html in held) <= 100_000


def test_the_most_recently_used_pages_stay() -> None:
    page = "<td>Margaret Hill</td>" * 200
    store = KeptPages(max_bytes=3 * sys.getsizeof(page))
    for owner in range(3):
        store.put(owner, "list", KeptPage(html=page))
    store.get(0, "list")  # used again: the oldest is now owner 1

    store.put(3, "list", KeptPage(html=page))

    assert [owner for owner in range(4) if store.get(owner, "list")] == [0, 2, 3]
