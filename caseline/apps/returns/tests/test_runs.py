"""The analyst's returns: asked for on the page, produced and checked by the real worker and
validator, reported by rule and by child, fixed on the record, and compared on the rerun."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.actions import update_person_identity
from caseline.apps.people.models import Person
from caseline.apps.people.validators import upn_check_letter
from caseline.apps.returns.events import ReturnsEvent
from caseline.apps.returns.models import ReturnFinding, ReturnRun
from tests.factories import PersonFactory

# Real transactions: the worker takes its task in a transaction of its own (on SQLite, BEGIN
# EXCLUSIVE), and the task is enqueued when the request's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


def upn(la_number: str) -> str:
    body = f"{la_number}1234250017"[:12]
    return upn_check_letter(body) + body


@pytest.fixture(autouse=True)
def returns_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.CASELINE_RETURNS_DIR = tmp_path
    settings.CASELINE_LA_NUMBER = "344"
    return tmp_path


@pytest.fixture
def analyst(make_user: Callable[..., User]) -> User:
    return make_user(Role.ANALYST, username="analyst", first_name="Ana", last_name="Lyst")


@pytest.fixture
def child(make_user: Callable[..., User]) -> Person:
    """A child referred in 2025 to 2026 whose UPN names no real authority (CIN rule 1530)."""
    worker = make_user(Role.SOCIAL_WORKER)
    person = PersonFactory.create(
        given_name="Nell",
        family_name="Census",
        date_of_birth=datetime.date(2015, 5, 1),
        upn=upn("999"),
        sex="F",
        ethnicity="WBRI",
        disabilities=["NONE"],
    )
    Referral.objects.create(
        person=person,
        referral_date=datetime.date(2025, 6, 2),
        source="1A",
        primary_need="N1",
        opened_by=worker,
    )
    return person


def produce(client: Client, year: int = 2026) -> ReturnRun:
    response = client.post(reverse("returns:home"), {"return_slug": "cin-census", "year": year})
    assert response.status_code == 302
    run = ReturnRun.objects.latest("id")
    assert response.url == reverse("returns:run", args=[run.pk])  # type: ignore[attr-defined]
    assert run.status == ReturnRun.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    return run


@pytest.mark.usefixtures("validators")
def test_the_analyst_produces_the_census_follows_an_error_to_the_child_and_sees_it_fixed(
    client: Client,
    analyst: User,
    child: Person,
    make_user: Callable[..., User],
) -> None:
    client.force_login(analyst)
    run = produce(client)
    assert run.status == ReturnRun.Status.DONE, run.error
    assert run.person_ids == [child.pk]
    assert AuditEvent.objects.filter(
        event_type=ReturnsEvent.RUN_REQUESTED, acting_user=analyst
    ).exists()
    assert AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, subject_person_id=child.pk, acting_user=analyst
    ).exists()

    page = client.get(reverse("returns:run", args=[run.pk])).content.decode()
    assert "1530" in page
    assert "UPN invalid (characters 2-4 not a recognised LA code)" in page
    assert f'href="{reverse("people:record", args=[child.pk])}">Nell Census</a>' in page
    finding = ReturnFinding.objects.get(run=run, code="1530")
    assert (finding.person_id, finding.is_error) == (child.pk, True)

    record = client.get(reverse("people:record", args=[child.pk])).content.decode()
    assert "To put right before the DfE returns" in record
    assert "Will fail: UPN invalid (characters 2-4 not a recognised LA code)" in record

    editor = make_user(Role.SOCIAL_WORKER)
    child.refresh_from_db()
    update_person_identity(
        acting_user=editor, person=child, read_version=child.version, upn=upn("344")
    )
    rerun = produce(client)
    assert rerun.status == ReturnRun.Status.DONE, rerun.error
    page = client.get(reverse("returns:run", args=[rerun.pk])).content.decode()
    assert "1 failure fixed" in page
    assert "0 new failures" in page
    assert not ReturnFinding.objects.filter(run=rerun, code="1530").exists()
    record = client.get(reverse("people:record", args=[child.pk])).content.decode()
    assert "characters 2-4 not a recognised LA code" not in record


@pytest.mark.usefixtures("validators")
def test_a_download_is_an_audited_export_of_every_child(
    client: Client,
    analyst: User,
    child: Person,
) -> None:
    client.force_login(analyst)
    run = produce(client)
    before = AuditEvent.objects.filter(event_type=EventType.EXPORTED).count()
    response = client.get(reverse("returns:download", args=[run.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cin_census_2026.xml"')
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert b"<LAchildID>" + str(child.pk).encode() + b"</LAchildID>" in body
    exported = AuditEvent.objects.filter(event_type=EventType.EXPORTED).order_by("id")[before:]
    assert [e.subject_person_id for e in exported] == [None, child.pk]
    assert exported[0].extra["export"] == "cin-census 2026 download"


def test_a_run_that_cannot_be_checked_says_why(
    client: Client,
    analyst: User,
    child: Person,
    settings: Settings,
    tmp_path: Path,
) -> None:
    settings.CASELINE_VALIDATORS_PYTHON = str(tmp_path / "no-such-python")
    client.force_login(analyst)
    run = produce(client)
    assert run.status == ReturnRun.Status.FAILED
    assert "make validators" in run.error
    page = client.get(reverse("returns:run", args=[run.pk])).content.decode()
    assert "The return could not be produced" in page
    assert client.get(reverse("returns:download", args=[run.pk])).status_code == 404


def test_a_year_that_cannot_be_made_is_refused_on_the_page(client: Client, analyst: User) -> None:
    client.force_login(analyst)
    response = client.post(reverse("returns:home"), {"return_slug": "cin-census", "year": 2019})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ReturnRun.objects.exists()


def test_only_those_who_produce_returns_may_see_them(
    client: Client, make_user: Callable[..., User], analyst: User
) -> None:
    run = ReturnRun.objects.create(return_slug="cin-census", year=2026, requested_by=analyst)
    client.force_login(make_user(Role.SOCIAL_WORKER))
    for url in (
        reverse("returns:home"),
        reverse("returns:run", args=[run.pk]),
        reverse("returns:download", args=[run.pk]),
    ):
        assert client.get(url).status_code == 403


def test_the_run_page_says_why_an_error_is_beyond_the_validators_two_years(
    client: Client, analyst: User
) -> None:
    leaver = PersonFactory.create(given_name="Cara", family_name="Leaver")
    reference = str(leaver.pk)
    message = "The episodes recorded for this young person suggest they are not a relevant ..."
    run = ReturnRun.objects.create(
        return_slug="ssda903",
        year=2026,
        status=ReturnRun.Status.DONE,
        requested_by=analyst,
        report={
            "year": 2026,
            "validator": "csc-validator-be-903 0.1.17",
            "ruleset": "lac2025_26",
            "rules_run": 313,
            "failures": [
                {
                    "code": "1001",
                    "level": "ERROR",
                    "message": message,
                    "count": 1,
                    "locations": [{"child": reference, "table": "OC3", "row": 0, "fields": {}}],
                }
            ],
            "rules_not_run": [],
            "rules_skipped": [],
            "beyond_two_years": [
                {
                    "code": "1001",
                    "child": reference,
                    "reason": "aged-20-or-over",
                    "detail": "Born 01/02/2006 (this year's header), 20 on 31 March 2026",
                }
            ],
        },
    )
    client.force_login(analyst)

    page = client.get(reverse("returns:run", args=[run.pk])).content.decode()

    assert "1 error, for 1 young person in the OC3, is on care leavers" in page
    assert "Born 01/02/2006 (this year&#x27;s header), 20 on 31 March 2026" in page
    assert "The DfE&#x27;s own system holds the earlier returns with their care." in page
    link = f'href="{reverse("people:record", args=[leaver.pk])}">Cara Leaver</a>'
    assert page.count(link) == 2  # in the errors beyond the two years, and by child
    assert page.count("Beyond the validator's two years<") == 2  # its heading, its link
    assert '<strong class="govuk-tag govuk-tag--red">Error</strong>' in page  # still an error
