"""Building many links to one view quickly.

``reverse()`` matches the URL pattern each time it is called, about 20 microseconds. A
chronology of 1,000 entries or a team's 5,000 due items would spend tens of milliseconds on
it. :func:`url_builder` reverses once, with stand-in numbers, and then fills in the ids.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# Stand-in ids, each unlikely to appear anywhere else in a URL.
_STAND_IN = 987_650_000


def url_builder(view_name: str, *params: str) -> Callable[..., str]:
    """A function taking the view's integer parameters by keyword and returning its URL,
    exactly as ``reverse(view_name, kwargs=...)`` would.

    ``url_builder("protection:plan", "person_id", "plan_id")(person_id=1, plan_id=2)``.
    Reverse once per request or per list, not at import: the URL depends on the
    request's script prefix.
    """
    stand_ins = {name: str(_STAND_IN + index) for index, name in enumerate(params)}
    url = reverse(view_name, kwargs=stand_ins)
    for name, number in stand_ins.items():
        if url.count(number) != 1:
            raise ValueError(f"{view_name}: cannot tell where {name} goes in {url}")
    # The URL as its text before the first id, then each id's name with the text after it.
    order = sorted(params, key=lambda name: url.index(stand_ins[name]))
    head = url[: url.index(stand_ins[order[0]])] if order else url
    after: list[tuple[str, str]] = []
    for position, name in enumerate(order):
        start = url.index(stand_ins[name]) + len(stand_ins[name])
        end = url.index(stand_ins[order[position + 1]]) if position + 1 < len(order) else None
        after.append((name, url[start:end]))

    def build(**ids: int) -> str:
        built = head
        for name, text in after:
            built += str(int(ids[name])) + text
        return built

    return build
