"""A child with every kind of event: each appears in the chronology, reading as a story, and
the page, filters and PDF work on real data within a fixed number of queries."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseline.apps.chronology.queries import ChronologyFilter, chronology_for
from caseline.apps.chronology.tests.builders import Cast, Expected, build_child_with_every_event
from caseline.apps.codes.lists import code_list
from caseline.apps.codes.plain import PLAIN
from caseline.apps.core.text import says_again
from caseline.apps.people.contribution import Category, ChronologyEntry
from caseline.apps.people.models import Allocation, Person
from tests.pdfs import fonts_for, needs_poppler, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(cast: Cast) -> tuple[Person, list[Expected]]:
    return build_child_with_every_event(cast, episodes=2)


def _matching(entries: list[ChronologyEntry], expected: Expected) -> list[ChronologyEntry]:
    return [
        e
        for e in entries
        if e.category == expected.category
        and e.date == expected.date
        and expected.fragment in e.what_happened
    ]


def test_every_event_type_appears_with_its_date_text_and_significance(
    history: tuple[Person, list[Expected]],
) -> None:
    child, expected = history
    entries = chronology_for(child)
    missing = [item for item in expected if not _matching(entries, item)]
    assert missing == [], "\n".join(
        [f"Missing: {m}" for m in missing]
        + [f"{e.date} {e.category} {e.what_happened}" for e in entries]
    )
    for item in expected:
        for entry in _matching(entries, item):
            assert entry.significant is item.significant, entry
            if entry.significant:
                assert entry.why_it_matters, entry
            assert entry.href.startswith("/"), entry
            assert entry.source, entry
    # Every category is used at least once.
    used = {e.category for e in entries}
    assert used == set(Category)
    # Oldest first.
    assert [e.date for e in entries] == sorted(e.date for e in entries)


def test_no_entry_shows_a_code_or_a_dfe_label_where_plain_words_say_it(
    history: tuple[Person, list[Expected]],
) -> None:
    child, _ = history
    entries = chronology_for(child)
    labels = {
        code.label.lower()
        for name, words in PLAIN.items()
        for code in code_list(name)
        if len(code.label.split()) >= 3 and code.label.lower() != words[code.code]
    }
    for entry in entries:
        text = entry.what_happened
        assert not re.search(r"\((source )?[A-Z0-9]{1,6}\)", text), text
        assert not [label for label in labels if label in text.lower()], text


@needs_poppler
def test_no_entry_says_its_type_or_source_twice(
    client: Client, history: tuple[Person, list[Expected]], cast: Cast
) -> None:
    child, _ = history
    client.force_login(cast.front_door)
    page = client.get(f"/chronology/record/{child.pk}/", {"all": "yes"}).content.decode()
    cells = re.findall(r'<td class="govuk-table__cell govuk-body-s">(.*?)</td>', page, re.S)
    assert len(cells) == len(chronology_for(child))
    for cell in cells:
        lines = [" ".join(line.split()) for line in cell.split("<br>")]
        repeated = [(a, b) for a in lines for b in lines if a is not b and says_again(a, b)]
        assert repeated == [], cell
    assert "Family events<br>" not in page
    assert "Reported by other agencies<br>Police<br>Recorded by Sam Worth" in page
    pdf = client.get(f"/chronology/record/{child.pk}/pdf/").content
    flat = " ".join(pdf_text(pdf).split())
    for repeated_source in (
        "Family events. Family",
        "Assessments. Assessment",
        "Child protection. Child protection",
        "Management oversight and supervision. Management oversight",
        "Reported by other agencies. Reported by",
    ):
        assert repeated_source not in flat
    assert "Reported by other agencies. Police, recorded by Sam Worth" in flat
    # The cover's count of every type of event fits on the first page, before the entries.
    cover = " ".join(pdf_text(pdf, page=1).split())
    assert "Reported by other agencies 1 1" in cover
    assert "Mia was born." not in cover
    assert "Case notes. Direct work with the child, recorded by Sam Worth" in flat


def test_who_recorded_each_kind_of_event_is_named(
    history: tuple[Person, list[Expected]], cast: Cast
) -> None:
    child, _ = history
    entries = chronology_for(child)
    by_text = {e.what_happened.split(".")[0]: e.recorded_by for e in entries}
    assert by_text["Single assessment started"] == "Sam Worth"
    assert by_text["Child in need plan reviewed"] == "Sam Worth"
    referral = next(e for e in entries if e.what_happened.startswith("Referral to"))
    assert referral.recorded_by == "Fran Door"
    authorised = next(e for e in entries if e.what_happened.startswith("Assessment authorised"))
    assert authorised.recorded_by == "Tess Manning"
    assert "Completed in 52 working days from the referral, 7 over the 45-working-day" in (
        authorised.what_happened
    )


def test_filters_by_category_significance_and_period_on_real_data(
    history: tuple[Person, list[Expected]],
) -> None:
    child, _ = history
    everything = chronology_for(child)
    visits = chronology_for(child, ChronologyFilter(categories=frozenset({Category.VISIT})))
    assert visits
    assert {e.category for e in visits} == {Category.VISIT}
    assert len(visits) == sum(1 for e in everything if e.category == Category.VISIT)
    family_or_plans = chronology_for(
        child, ChronologyFilter(categories=frozenset({Category.FAMILY, Category.PLAN}))
    )
    assert {e.category for e in family_or_plans} == {Category.FAMILY, Category.PLAN}
    significant = chronology_for(child, ChronologyFilter(significant_only=True))
    assert significant
    assert all(e.significant for e in significant)
    assert len(significant) == sum(1 for e in everything if e.significant) < len(everything)
    spring = chronology_for(
        child,
        ChronologyFilter(date_from=datetime.date(2023, 3, 1), date_to=datetime.date(2023, 4, 30)),
    )
    assert spring
    assert all(datetime.date(2023, 3, 1) <= e.date <= datetime.date(2023, 4, 30) for e in spring)
    assert any("separated" in e.what_happened for e in spring)
    significant_family_2024 = chronology_for(
        child,
        ChronologyFilter(
            categories=frozenset({Category.FAMILY}),
            significant_only=True,
            date_from=datetime.date(2024, 1, 1),
            date_to=datetime.date(2024, 12, 31),
        ),
    )
    assert [e.what_happened for e in significant_family_2024] == [
        "Lee Newpart became Mia's stepfather.",
        "Mia's father, Dean Chronotest, died.",
    ]


def test_the_page_filters_through_the_form(
    client: Client, history: tuple[Person, list[Expected]], cast: Cast
) -> None:
    child, _ = history
    client.force_login(cast.front_door)
    url = f"/chronology/record/{child.pk}/"
    body = client.get(url, {"categories": ["family"], "significant_only": "on"}).content.decode()
    assert "Mia&#x27;s father, Dean Chronotest, died." in body
    assert "Single assessment started" not in body
    assert "Showing significant events only of these types: Family events" in body
    bad = client.get(
        url,
        {
            "date_from_day": "1",
            "date_from_month": "6",
            "date_from_year": "2024",
            "date_to_day": "1",
            "date_to_month": "1",
            "date_to_year": "2024",
        },
    )
    text = bad.content.decode()
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date" in text
    assert "Mia was born." in text  # an invalid filter shows everything, not nothing


def _queries_to_build_chronology(child: Person) -> int:
    with CaptureQueriesContext(connection) as context:
        entries = chronology_for(child)
    assert entries
    return len(context)


# Providers' queries per child, whatever the length of the history: which apps hold anything
# about the child 1, people 4, front door 6, assessments 2, children in need 3, case
# recording 2, other agencies 1, child protection 9 (enquiries recorded in another system
# among them), children in care 11.
PROVIDER_QUERIES = 39
# The record's frame around any page: session, user, roles and permissions (one query),
# visibility, the read audit, identity bar badges, alerts and the restriction in force, and
# the session's idle-timeout update.
FRAME_QUERIES = 16


def test_the_chronology_takes_the_same_queries_for_a_long_history(
    client: Client, cast: Cast, django_assert_max_num_queries: Any
) -> None:
    short, _ = build_child_with_every_event(cast, episodes=1)
    long, _ = build_child_with_every_event(cast, episodes=5)
    assert _queries_to_build_chronology(long) == _queries_to_build_chronology(short)
    assert _queries_to_build_chronology(long) <= PROVIDER_QUERIES
    Allocation.objects.filter(person=long).update(worker=cast.worker)  # visible to the worker
    client.force_login(cast.worker)
    with django_assert_max_num_queries(PROVIDER_QUERIES + FRAME_QUERIES):
        response = client.get(f"/chronology/record/{long.pk}/")
    assert response.status_code == 200
    # The first page of a long history: 100 entries, and the way to the rest.
    page = response.content.decode()
    assert page.count('class="govuk-table__cell app-chronology__date"') == 100
    assert 'aria-label="Pages of the chronology"' in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_the_pdf_has_a_cover_summary_and_every_entry(
    client: Client, history: tuple[Person, list[Expected]], cast: Cast, tmp_path: Any
) -> None:
    child, _ = history
    client.force_login(cast.front_door)
    response = client.get(f"/chronology/record/{child.pk}/pdf/", {"significant_only": "on"})
    assert response.status_code == 200
    pdf = tmp_path / "chronology.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    significant = chronology_for(child, ChronologyFilter(significant_only=True))
    assert f"Significant events {len(significant)}" in flat
    assert "Date of birth 1 June 2015" in flat
    assert "Address 12 Oak Road, Northtown, NT3 4CD" in flat
    assert "Shown Significant events only" in flat
    for entry in significant:
        assert " ".join(entry.what_happened.split())[:60] in flat, entry.what_happened
    assert "Single assessment started" not in flat
    # Every letter and digit in one font: no digit is taken from the emoji font.
    assert fonts_for(response.content) == {"Liberation-Sans"}
