"""The analyst's page, the drill-down, the downloads and ``caseline indicators``."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.indicators.catalogue import INDICATORS
from caseline.apps.indicators.tests.builders import Record
from tests.factories import AllocationFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = datetime.date
QUERY = "as_at_day=31&as_at_month=3&as_at_year=2026&period=collection-year&scope=authority"


@pytest.fixture
def cohort() -> tuple[Record, list[int]]:
    """Two assessments authorised in 2025-26, one in time and one late."""
    record = Record()
    in_time, late = record.child(given_name="Ina"), record.child(given_name="Lee")
    record.assessment(in_time, D(2025, 7, 21), D(2025, 9, 23))
    record.assessment(late, D(2025, 7, 21), D(2025, 9, 24))
    return record, [in_time.pk, late.pk]


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_page_lists_every_indicator_with_its_definition_and_source(
    client: Client, make_user: Callable[..., User], cohort: tuple[Record, list[int]]
) -> None:
    analyst = make_user(Role.ANALYST, username="ana")
    response = signed_in(client, analyst).get(f"/indicators/?{QUERY}")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    for indicator in INDICATORS:
        assert f"{indicator.code}: {indicator.name}" in body.replace("&#x27;", "'")
    assert "Assessments authorised within 45 working days" in body
    assert "50%" in body  # 1 of 2 in time
    assert "explore-education-statistics.service.gov.uk" in body


def test_the_page_opens_on_today_and_refuses_a_bad_date(
    client: Client, make_user: Callable[..., User]
) -> None:
    analyst = make_user(Role.ANALYST, username="ana")
    assert signed_in(client, analyst).get("/indicators/").status_code == 200
    response = client.get("/indicators/?as_at_day=31&as_at_month=2&as_at_year=2026&period=range")
    assert response.status_code == 400
    assert "As at must be a real date" in response.content.decode()


def test_a_social_worker_may_not_see_the_indicators(
    client: Client, worker: User, cohort: tuple[Record, list[int]]
) -> None:
    signed_in(client, worker)
    assert client.get("/indicators/").status_code == 403
    assert client.get("/indicators/AS1/").status_code == 403
    assert client.get("/indicators/AS1/download.csv").status_code == 403


def test_the_drill_down_lists_the_children_with_their_dates_and_audits_the_read(
    client: Client, make_user: Callable[..., User], cohort: tuple[Record, list[int]]
) -> None:
    _, (in_time, late) = cohort
    analyst = make_user(Role.ANALYST, username="ana")
    response = signed_in(client, analyst).get(f"/indicators/AS1/?{QUERY}")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/people/{in_time}/"' in body
    assert f'href="/people/{late}/"' in body
    assert "23 September 2025" in body
    assert "24 September 2025" in body
    assert "46 to 50" in body
    viewed = AuditEvent.objects.filter(
        event_type=EventType.CHILD_RECORD_VIEWED, acting_user=analyst, extra__indicator="AS1"
    )
    assert set(viewed.values_list("subject_person_id", flat=True)) == {in_time, late}
    assert viewed.count() == 2


def test_a_team_manager_lands_on_their_team_and_sees_only_their_children(
    client: Client, manager: User, team: Team, cohort: tuple[Record, list[int]]
) -> None:
    _, (in_time, late) = cohort
    AllocationFactory.create(person_id=in_time, team=team, start_date=D(2025, 1, 1))
    elsewhere = TeamFactory.create(name="Elsewhere")
    AllocationFactory.create(person_id=late, team=elsewhere, start_date=D(2025, 1, 1))
    signed_in(client, manager)
    first = client.get("/indicators/").content.decode()
    assert f'value="team-{team.pk}" selected' in first
    # The authority's figure counts both; the manager sees only their own child listed.
    response = client.get(f"/indicators/AS1/?{QUERY}")
    body = response.content.decode()
    assert "(1 of 2)" in body
    assert f'href="/people/{in_time}/"' in body
    assert f'href="/people/{late}/"' not in body
    assert "1 child you may not see is counted but not listed" in body
    team_query = QUERY.replace("scope=authority", f"scope=team-{team.pk}")
    assert "(1 of 1)" in client.get(f"/indicators/AS1/?{team_query}").content.decode()


def test_downloads_are_audited_exports(
    client: Client, make_user: Callable[..., User], cohort: tuple[Record, list[int]]
) -> None:
    _, (in_time, late) = cohort
    analyst = make_user(Role.ANALYST, username="ana")
    signed_in(client, analyst)
    response = client.get(f"/indicators/AS1/download.csv?{QUERY}")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["child_id"], r["in_numerator"], r["Working days"]) for r in rows] == [
        (str(in_time), "yes", "45"),
        (str(late), "no", "46"),
    ]
    exported = AuditEvent.objects.filter(event_type=EventType.EXPORTED, acting_user=analyst)
    assert set(exported.values_list("subject_person_id", flat=True)) == {None, in_time, late}
    workbook = client.get(f"/indicators/AS1/download.xlsx?{QUERY}")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    assert sheet.max_row == 3
    summary = client.get(f"/indicators/download.csv?{QUERY}")
    codes = [row["code"] for row in csv.DictReader(io.StringIO(summary.content.decode()))]
    assert codes == [indicator.code for indicator in INDICATORS]
    assert client.get(f"/indicators/AS1/download.pdf?{QUERY}").status_code == 404
    assert client.get(f"/indicators/XX9/?{QUERY}").status_code == 404


def test_the_command_writes_every_indicator(
    tmp_path: Path, cohort: tuple[Record, list[int]]
) -> None:
    out = tmp_path / "indicators.csv"
    call_command(
        "indicators", "--as-at", "2026-03-31", "--period", "collection-year", "--out", str(out)
    )
    with out.open(newline="", encoding="utf-8") as stream:
        rows = {row["code"]: row for row in csv.DictReader(stream)}
    assert list(rows) == [indicator.code for indicator in INDICATORS]
    assert rows["AS1"] == {
        "code": "AS1",
        "name": "Assessments authorised within 45 working days",
        "numerator": "1",
        "denominator": "2",
        "value": "50.0",
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "as_at": "2026-03-31",
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "collection-year"], "--as-at is required"),
        (["--as-at", "31/03/2026"], "--as-at must be a date like 2026-03-31"),
        (["--as-at", "2026-03-31", "--period", "fortnight"], "--period must be one of"),
        (["--as-at", "2026-03-31", "--period", "range"], "A chosen range needs its first day"),
        (
            [
                "--as-at",
                "2026-03-31",
                "--period",
                "range",
                "--from",
                "2026-01-01",
                "--to",
                "2026-04-30",
            ],
            "The range must end on or before the as-at date",
        ),
    ],
)
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    out = tmp_path / "indicators.csv"
    with pytest.raises(CommandError) as raised:
        call_command("indicators", *arguments, "--out", str(out))
    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)
    assert not out.exists()


def test_an_out_folder_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as raised:
        call_command("indicators", "--as-at", "2026-03-31", "--out", str(tmp_path / "no" / "x.csv"))
    assert raised.value.returncode == 2
