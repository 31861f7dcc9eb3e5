"""The analyst's SSD export page: asked for, written by the worker, downloaded (audited)."""

from __future__ import annotations

import io
import zipfile
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
from caseline.apps.returns.models import ReturnRun
from caseline.apps.ssd.events import SsdEvent
from tests.factories import PersonFactory

# Real transactions: the worker takes its task in a transaction of its own, and the task is
# enqueued when the request's transaction commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def runs_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.CASELINE_RETURNS_DIR = tmp_path
    return tmp_path


@pytest.fixture
def analyst(make_user: Callable[..., User]) -> User:
    return make_user(Role.ANALYST, username="analyst", first_name="Ana", last_name="Lyst")


def test_the_analyst_exports_the_record_in_the_background_and_downloads_it(
    client: Client, analyst: User
) -> None:
    person = PersonFactory.create(given_name="Nell", family_name="Extract")
    client.force_login(analyst)
    assert f'href="{reverse("ssd:home")}"' in client.get(reverse("core:home")).content.decode()
    home = client.get(reverse("ssd:home"))
    assert home.status_code == 200
    assert home.content.decode().count("<h1") == 1
    response = client.post(reverse("ssd:home"))
    assert response.status_code == 302
    run = ReturnRun.objects.get(return_slug="ssd")
    assert response.url == reverse("ssd:run", args=[run.pk])  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(event_type=SsdEvent.EXPORT_REQUESTED).count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.DONE, run.error
    assert run.rows["ssd_person"] == 1
    assert "manifest.json" in run.files
    page = client.get(reverse("ssd:run", args=[run.pk])).content.decode()
    assert "ssd_cin_episodes" in page
    assert "Download the extract" in page
    # Not listed among the statutory returns.
    assert (
        reverse("ssd:run", args=[run.pk])
        not in client.get(reverse("returns:home")).content.decode()
    )

    before = AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, subject_person_id=person.pk
    ).count()
    download = client.get(reverse("ssd:download", args=[run.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert "ssd_person.csv" in names
    assert "manifest.json" in names
    after = AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, subject_person_id=person.pk
    ).count()
    assert after == before + 1


def test_the_pages_are_closed_to_those_without_the_permission(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(Role.SOCIAL_WORKER))
    assert client.get(reverse("ssd:home")).status_code == 403
    assert client.post(reverse("ssd:home")).status_code == 403
    assert client.get(reverse("ssd:download", args=[1])).status_code == 403
    assert not ReturnRun.objects.exists()


def test_an_export_given_up_as_stopped_stays_failed_when_a_slow_worker_finishes(
    analyst: User, runs_dir: Path
) -> None:
    from caseline.apps.ssd.actions import export_extract, finish_export_run, request_export_run

    PersonFactory.create()
    run = request_export_run(acting_user=analyst)
    out = runs_dir / "slow" / "extract"
    out.parent.mkdir()
    written = export_extract(acting_user=analyst, out=out)
    # Meanwhile the run was given up: its worker missed its heartbeats.
    ReturnRun.objects.filter(pk=run.pk).update(
        status=ReturnRun.Status.FAILED, error="The worker stopped."
    )
    finish_export_run(run.pk, written=written, folder=out)
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.FAILED
    assert run.files == []
    assert not out.exists()  # nothing of the given-up run is kept
