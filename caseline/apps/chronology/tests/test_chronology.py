"""The chronology: entries from every provider in date order, filters, manual entries, PDF."""

from __future__ import annotations

import datetime
import logging
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.chronology.actions import record_agency_event
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.chronology.queries import ChronologyFilter, chronology_for
from caseline.apps.lookedafter.models import (
    Episode,
    MissingEpisode,
    PenPicture,
    ReviewRecommendation,
)
from caseline.apps.people import contribution as registry
from caseline.apps.people.contribution import (
    Category,
    ChronologyEntry,
    ChronologyProvider,
    RecordContribution,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import (
    RecordsHeld,
    models_with_records,
    person_linked_models,
    records_held,
)
from caseline.apps.protection.models import ProtectionPlan
from tests.pdfs import WRITTEN, assert_written_in_their_fonts, needs_poppler, pdf_text, squeezed

pytestmark = pytest.mark.django_db


@pytest.fixture
def child() -> Person:
    return Person.objects.create(
        given_name="Amara",
        family_name="Thornfield",
        sex="F",
        date_of_birth=datetime.date(2015, 6, 1),
    )


@pytest.fixture
def worker(make_user: Any) -> Any:
    return make_user(Role.FRONT_DOOR)  # front door workers may see every child


@pytest.fixture
def contributing(monkeypatch: pytest.MonkeyPatch) -> Callable[[ChronologyProvider], None]:
    """Add a chronology provider for one test, as the contribution of an installed app with
    no records of its own and no contribution."""

    def add(chronology: ChronologyProvider) -> None:
        contribution = RecordContribution(app_label="genogram", chronology=chronology)
        monkeypatch.setitem(registry._registered, contribution.app_label, contribution)

    return add


@pytest.fixture
def fake_provider(contributing: Callable[[ChronologyProvider], None]) -> None:
    def two_events(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
        return [
            ChronologyEntry(datetime.date(2024, 5, 2), Category.VISIT, "Home visit", "Visits"),
            ChronologyEntry(
                datetime.date(2023, 1, 9),
                Category.REFERRAL,
                "Referral from school",
                "Front door",
                why_it_matters="First referral",
                significant=True,
            ),
        ]

    contributing(two_events)


def _agency_event(worker: Any, child: Person, **overrides: Any) -> Any:
    values = {
        "event_date": datetime.date(2024, 2, 14),
        "agency": "Police",
        "what_happened": "Domestic abuse incident at the family home",
        "why_it_matters": "Amara was present and frightened",
    }
    return record_agency_event(acting_user=worker, child=child, **{**values, **overrides})


def test_entries_from_every_provider_come_oldest_first(
    worker: Any, child: Person, fake_provider: None
) -> None:
    _agency_event(worker, child)
    entries = [e for e in chronology_for(child) if e.category != Category.FAMILY]
    assert [e.what_happened for e in entries] == [
        "Referral from school",
        "Domestic abuse incident at the family home",
        "Home visit",
    ]
    assert entries[1].source == "Police"
    assert entries[1].significant


def test_filters_by_type_significance_and_period(
    worker: Any, child: Person, fake_provider: None
) -> None:
    _agency_event(worker, child)
    only_visits = chronology_for(child, ChronologyFilter(categories=frozenset({Category.VISIT})))
    assert [e.what_happened for e in only_visits] == ["Home visit"]
    significant = chronology_for(child, ChronologyFilter(significant_only=True))
    assert len(significant) == 2
    period = chronology_for(
        child,
        ChronologyFilter(date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 3, 1)),
    )
    assert [e.agency if hasattr(e, "agency") else e.source for e in period] == ["Police"]


def test_an_agency_event_needs_its_significance_and_is_audited(worker: Any, child: Person) -> None:
    with pytest.raises(ValidationError) as error:
        _agency_event(worker, child, why_it_matters=" ", event_date=datetime.date(2099, 1, 1))
    assert error.value.message_dict == {
        "event_date": ["The date of the event must be today or in the past"],
        "why_it_matters": ["Enter why this matters for the child"],
    }
    event = _agency_event(worker, child)
    audit = AuditEvent.objects.get(event_type="chronology.agency-event-recorded")
    assert audit.subject_person_id == child.pk
    assert audit.target_id == str(event.pk)


def test_the_page_lists_entries_and_audits_the_read(
    client: Client, worker: Any, child: Person
) -> None:
    _agency_event(worker, child)
    client.force_login(worker)
    response = client.get(f"/chronology/record/{child.pk}/")
    assert response.status_code == 200
    assert "Domestic abuse incident at the family home" in response.content.decode()
    assert AuditEvent.objects.filter(
        event_type="record.viewed", subject_person_id=child.pk, extra__section="chronology"
    ).exists()


def test_the_form_refuses_bad_input_and_keeps_it(
    client: Client, worker: Any, child: Person
) -> None:
    client.force_login(worker)
    response = client.post(
        f"/chronology/record/{child.pk}/other-agency/",
        {
            "event_date_day": "30",
            "event_date_month": "2",
            "event_date_year": "2024",
            "agency": "School",
            "what_happened": "Bruise seen in PE",
            "why_it_matters": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Date of the event must be a real date" in body
    assert "Enter why this matters for the child" in body
    assert "Bruise seen in PE" in body
    assert not AgencyEvent.objects.filter(person=child).exists()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_the_pdf_contains_the_entries_and_is_an_audited_export(
    client: Client, worker: Any, child: Person, tmp_path: Any
) -> None:
    _agency_event(worker, child)
    client.force_login(worker)
    response = client.get(f"/chronology/record/{child.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "chronology.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Chronology for Amara Thornfield" in text
    assert "Domestic abuse incident at the family home" in text
    exports = AuditEvent.objects.filter(event_type="record.exported")
    assert exports.filter(subject_person_id=child.pk).exists()


@needs_poppler
def test_the_pdf_prints_every_script_and_emoji_in_a_font_made_for_it(
    client: Client, worker: Any, caplog: pytest.LogCaptureFixture
) -> None:
    child = Person.objects.create(
        given_name="Zoë 😀", family_name="Łukasz", sex="F", date_of_birth=datetime.date(2015, 6, 1)
    )
    _agency_event(
        worker,
        child,
        agency="Siobhán's school",
        what_happened=f"{' and '.join(WRITTEN)} saw the fight.",
        why_it_matters="Zoë's cousin محمد was hurt 😀",
    )
    client.force_login(worker)
    with caplog.at_level(logging.WARNING):
        response = client.get(f"/chronology/record/{child.pk}/pdf/")
    assert_written_in_their_fonts(response.content, caplog.messages)
    text = squeezed(pdf_text(response.content))
    assert squeezed("Chronology for Zoë 😀 Łukasz") in text
    assert squeezed("Zoë 😀 was born.") in text
    assert squeezed("Zoë's cousin محمد was hurt 😀") in text


def test_a_hidden_child_is_refused(client: Client, make_user: Any, child: Person) -> None:
    client.force_login(make_user(Role.SOCIAL_WORKER))  # not allocated: may not see the child
    assert client.get(f"/chronology/record/{child.pk}/").status_code == 403
    assert client.get(f"/chronology/record/{child.pk}/pdf/").status_code == 403


def test_adding_an_agency_event_through_the_page(
    client: Client, worker: Any, child: Person
) -> None:
    client.force_login(worker)
    url = f"/chronology/record/{child.pk}/other-agency/"
    values = {
        "agency": "Health visitor",
        "what_happened": "Missed two health checks",
        "why_it_matters": "Amara's growth is not being checked",
    }
    too_early = {"event_date_day": "1", "event_date_month": "1", "event_date_year": "2010"}
    refused = client.post(url, {**values, **too_early})
    assert refused.status_code == 400
    assert "The date of the event must be after the year before the child was born" in (
        refused.content.decode()
    )
    ok = client.post(
        url, {**values, "event_date_day": "3", "event_date_month": "4", "event_date_year": "2024"}
    )
    assert ok.status_code == 302
    assert ok["Location"] == f"/chronology/record/{child.pk}/"
    [entry] = [e for e in chronology_for(child) if e.category == Category.OTHER_AGENCY]
    assert entry.source == "Health visitor"
    assert entry.date == datetime.date(2024, 4, 3)
    assert entry.recorded_by == str(worker)


@pytest.fixture
def long_history(contributing: Callable[[ChronologyProvider], None]) -> None:
    """250 visits, one a day from 1 January 2020, the first of them significant."""

    def visits(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
        start = datetime.date(2020, 1, 1)
        return [
            ChronologyEntry(
                start + datetime.timedelta(days=n),
                Category.VISIT,
                f"Visit number {n + 1:03d}",
                "Visits",
                why_it_matters="The first visit" if n == 0 else "",
                significant=n == 0,
            )
            for n in range(250)
        ]

    contributing(visits)


def test_a_long_chronology_comes_a_page_at_a_time(
    client: Client, worker: Any, child: Person, long_history: None
) -> None:
    client.force_login(worker)
    first = client.get(f"/chronology/record/{child.pk}/?categories=visit").content.decode()
    assert "Visit number 001" in first
    assert "Visit number 100" in first
    assert "Visit number 101" not in first
    assert "Showing entries 1 to 100 of 250" in first
    # Page links keep the filter.
    assert 'href="?categories=visit&amp;page=2"' in first
    third = client.get(f"/chronology/record/{child.pk}/?categories=visit&page=3").content.decode()
    assert "Visit number 201" in third
    assert "Visit number 250" in third
    assert "Visit number 200" not in third
    # The summary counts every entry, not just the page shown.
    assert "250" in third


def test_show_all_puts_every_entry_on_one_page_for_printing(
    client: Client, worker: Any, child: Person, long_history: None
) -> None:
    client.force_login(worker)
    page = client.get(f"/chronology/record/{child.pk}/?categories=visit&all=yes").content.decode()
    assert "Visit number 001" in page
    assert "Visit number 250" in page
    assert "Showing all 250 entries" in page
    assert 'aria-label="Pages of the chronology"' not in page


def test_a_page_beyond_the_end_shows_the_last(
    client: Client, worker: Any, child: Person, long_history: None
) -> None:
    client.force_login(worker)
    page = client.get(f"/chronology/record/{child.pk}/?categories=visit&page=99").content.decode()
    assert "Visit number 250" in page
    assert "Visit number 200" not in page


def test_models_with_records_says_which_hold_anything_about_the_child_in_one_query(
    worker: Any, child: Person, django_assert_num_queries: Any
) -> None:
    labels = ["lookedafter", "protection", "chronology"]
    with django_assert_num_queries(1):
        assert models_with_records(child, labels) == frozenset()
    _agency_event(worker, child)
    # Not through the actions (which need a period of care first), as an import could hold:
    # any of the app's records about the child counts, not only a care episode.
    MissingEpisode.objects.create(
        person=child, missing_type="M", start_date=datetime.date(2024, 3, 1), recorded_by=worker
    )
    with django_assert_num_queries(1):
        assert models_with_records(child, labels) == {MissingEpisode, AgencyEvent}


def test_rows_asks_nothing_of_a_model_found_to_hold_nothing(
    worker: Any, child: Person, django_assert_num_queries: Any
) -> None:
    _agency_event(worker, child)
    with django_assert_num_queries(1):
        held = records_held(child, ["lookedafter", "chronology"])
    assert held.present == {AgencyEvent}
    with django_assert_num_queries(0):
        assert list(held.rows(MissingEpisode)) == []
        assert held.rows(PenPicture).first() is None
    assert held.known_empty(MissingEpisode)
    assert not held.any_in("lookedafter")
    assert held.any_in("chronology")
    with django_assert_num_queries(1):
        assert len(held.rows(AgencyEvent)) == 1
    # Of an app not asked about, or with nothing asked, it may hold rows: the query runs.
    assert not held.known_empty(ProtectionPlan)
    assert held.any_in("protection")
    of_agencies = records_held(child, ["chronology"])
    with django_assert_num_queries(1):
        assert list(of_agencies.rows(MissingEpisode)) == []
    with django_assert_num_queries(1):
        assert list(RecordsHeld.not_asked(child).rows(MissingEpisode)) == []


def test_what_is_recorded_after_the_question_is_not_seen(worker: Any, child: Person) -> None:
    held = records_held(child, ["chronology"])
    _agency_event(worker, child)
    assert list(held.rows(AgencyEvent)) == []
    assert len(records_held(child, ["chronology"]).rows(AgencyEvent)) == 1


def test_person_linked_models_are_the_apps_records_about_someone() -> None:
    models = person_linked_models("lookedafter")
    assert {Episode, MissingEpisode, PenPicture} <= set(models)
    assert ReviewRecommendation not in models  # reached through its review


def test_an_app_whose_entries_are_its_own_records_is_asked_only_when_it_has_some(
    worker: Any, child: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[RecordsHeld] = []

    def care(person: Person, held: RecordsHeld) -> list[ChronologyEntry]:
        asked.append(held)
        return []

    for own in (True, False):
        contribution = RecordContribution(
            app_label="lookedafter", chronology=care, chronology_from_own_records=own
        )
        monkeypatch.setitem(registry._registered, "lookedafter", contribution)
        chronology_for(child)
    assert len(asked) == 1  # only when it did not say its entries are its own records
    assert asked[0].known_empty(MissingEpisode)
    MissingEpisode.objects.create(
        person=child, missing_type="M", start_date=datetime.date(2024, 3, 1), recorded_by=worker
    )
    monkeypatch.setitem(
        registry._registered,
        "lookedafter",
        RecordContribution(
            app_label="lookedafter", chronology=care, chronology_from_own_records=True
        ),
    )
    chronology_for(child)
    assert len(asked) == 2
    assert asked[1].present == {MissingEpisode}


def test_tables_holding_nothing_about_the_child_are_not_read(worker: Any, child: Person) -> None:
    with CaptureQueriesContext(connection) as captured:
        chronology_for(child)
    tables = " ".join(q["sql"] for q in captured.captured_queries[1:])
    assert "lookedafter_" not in tables
    assert "protection_" not in tables
    assert "chronology_agencyevent" not in tables
    assert "frontdoor_contact" in tables  # contacts are found through the people they name

    MissingEpisode.objects.create(
        person=child, missing_type="M", start_date=datetime.date(2024, 3, 1), recorded_by=worker
    )
    _agency_event(worker, child)
    entries = chronology_for(child)
    assert {Category.CARE, Category.OTHER_AGENCY} <= {e.category for e in entries}
