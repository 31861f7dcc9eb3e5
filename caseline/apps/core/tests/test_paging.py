from __future__ import annotations

from django.test import RequestFactory

from caseline.apps.core.paging import paged


def _numbers(page: int, pages: int) -> list[int | None]:
    request = RequestFactory().get("/", {"page": str(page), "kind": "visit"})
    return paged(list(range(pages * 10)), request, 10).numbers


def test_numbers_show_first_last_and_neighbours_with_ellipses() -> None:
    assert _numbers(1, 1) == [1]
    assert _numbers(1, 3) == [1, 2, 3]
    assert _numbers(1, 10) == [1, 2, None, 10]
    assert _numbers(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert _numbers(10, 10) == [1, None, 9, 10]
    assert _numbers(3, 10) == [1, 2, 3, 4, None, 10]


def test_links_keep_other_parameters_and_replace_the_page() -> None:
    request = RequestFactory().get("/", {"page": "2", "kind": "visit"})
    result = paged(list(range(30)), request, 10)
    assert result.query == "kind=visit"
    assert result.previous_href == "?kind=visit&page=1"
    assert result.next_href == "?kind=visit&page=3"
    assert [link.current for link in result.links] == [False, True, False]


def test_links_can_land_on_the_list() -> None:
    request = RequestFactory().get("/", {"page": "2"})
    result = paged(list(range(30)), request, 10, fragment="overdue-work")
    assert result.previous_href == "?page=1#overdue-work"
    assert result.next_href == "?page=3#overdue-work"
    assert [link.href for link in result.links] == [
        "?page=1#overdue-work",
        "?page=2#overdue-work",
        "?page=3#overdue-work",
    ]


def test_a_page_out_of_range_or_not_a_number_gives_a_real_page() -> None:
    for asked in ("99", "x", "-1"):
        request = RequestFactory().get("/", {"page": asked})
        assert paged(list(range(30)), request, 10).page.number in (1, 3)
    only = paged(list(range(5)), RequestFactory().get("/"), 10)
    assert only.previous_href == ""
    assert only.next_href == ""


def test_a_second_list_on_the_page_is_paged_by_its_own_parameter() -> None:
    request = RequestFactory().get("/", {"page": "3", "visits": "2"})
    first = paged(list(range(30)), request, 10)
    second = paged(list(range(30)), request, 10, fragment="visits", parameter="visits")
    assert (first.page.number, second.page.number) == (3, 2)
    assert first.previous_href == "?visits=2&page=2"
    assert second.next_href == "?page=3&visits=3#visits"
