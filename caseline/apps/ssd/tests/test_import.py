"""Importing an SSD extract: exact round trip of what the import covers, idempotent, updates a
changed person, and refuses an extract with faults of every kind with a report naming each."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts import actions as accounts
from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments import actions as assessments
from caseline.apps.assessments.models import Assessment
from caseline.apps.audit.models import AuditEvent
from caseline.apps.chronology.queries import chronology_for
from caseline.apps.cin.models import CINVisit
from caseline.apps.frontdoor import actions as frontdoor
from caseline.apps.frontdoor.models import Contact, ContactPerson, Referral
from caseline.apps.people import actions as people
from caseline.apps.people.models import Allocation, Person, Relationship
from caseline.apps.people.validators import upn_check_letter
from caseline.apps.protection.models import ProtectionPlan, Section47Enquiry
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.actions.importing import _unwrapped, import_extract
from caseline.apps.ssd.events import SsdEvent
from caseline.apps.ssd.models import SourceRecord
from caseline.apps.ssd.validate import IMPORTED, REPORT_FILE

pytestmark = pytest.mark.django_db

D = datetime.date
COVERED = IMPORTED  # every table the import reads comes back out as it went in


def upn(body: str) -> str:
    return upn_check_letter(body) + body


@pytest.fixture
def migrator(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.ADMINISTRATOR,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR,
        Role.ANALYST,
        username="migrator",
    )


def inner(action: Callable[..., Any]) -> Callable[..., Any]:
    """An action without its durable transaction, to build a record that is rolled back."""
    return _unwrapped(action)


def build_family(user: User) -> None:
    """A mother and two children: one referred from a contact, assessed (in draft), one whose
    referral closed with no further action; a contact that led to advice. A social worker of
    an assessment team held Ada's case (until the team alone held it: not in the SSD), and
    Ben's for a while."""
    team = Team.objects.create(name="Assessment Team West", service=Team.Service.ASSESSMENT)
    worker = inner(accounts.create_user)(
        acting_user=user,
        username="sw.hale",
        password=None,
        first_name="Kim",
        last_name="Hale",
        roles=[Role.SOCIAL_WORKER],
        team=team,
        job_title="Social worker",
        swe_registration_number="SW123456",
    )
    mother = inner(people.create_person)(
        acting_user=user,
        given_name="Maya",
        family_name="Brook",
        sex="F",
        date_of_birth=D(1990, 3, 4),
        ethnicity="WBRI",
    )
    ada = inner(people.create_person)(
        acting_user=user,
        given_name="Ada",
        family_name="Brook",
        sex="F",
        date_of_birth=D(2015, 6, 1),
        ethnicity="WBRI",
        upn=upn("999123425001"),
        disabilities=["HAND", "VIS"],
        former_upn=upn("999123425002"),
    )
    ben = inner(people.create_person)(
        acting_user=user,
        given_name="Ben",
        family_name="Brook",
        sex="M",
        date_of_birth=D(2018, 1, 9),
        upn_unknown_reason="UN2",
    )
    for child in (ada, ben):
        inner(people.record_relationship)(
            acting_user=user, person=mother, other=child, kind=Relationship.Kind.PARENT
        )
    member = inner(people.add_household_member)(acting_user=user, person=mother)
    for child in (ada, ben):
        inner(people.add_household_member)(
            acting_user=user, person=child, household=member.household
        )
    inner(people.add_address)(
        acting_user=user,
        person=ada,
        line_1="4 Mill Lane",
        town="Ashby",
        postcode="LE65 1AB",
        start_date=D(2019, 5, 1),
    )
    contact = inner(frontdoor.record_contact)(
        acting_user=user,
        people=[(ada, ContactPerson.Role.SUBJECT)],
        received_at=datetime.datetime(2025, 5, 6, 10, 30, tzinfo=datetime.UTC),
        source="2A",
        concern="School worried",
        consent=Contact.Consent.GIVEN,
    )
    inner(frontdoor.decide_contact)(
        acting_user=user,
        contact=contact,
        decision=Contact.Decision.REFERRAL,
        rationale="Needs assessment",
        decided_at=datetime.datetime(2025, 5, 7, 9, tzinfo=datetime.UTC),
        primary_need="N1",
    )
    assessment = inner(assessments.start_assessment)(
        acting_user=user, child=ada, start_date=D(2025, 5, 8)
    )
    inner(assessments.save_assessment)(
        acting_user=user,
        assessment=assessment,
        read_version=assessment.version,
        values={
            "child_seen": True,
            "outcome": Assessment.Outcome.CIN_PLAN,
            "factors": ["2B", "3A"],
        },
    )
    advice = inner(frontdoor.record_contact)(
        acting_user=user,
        people=[(ben, ContactPerson.Role.SUBJECT)],
        received_at=datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC),
        received_time_given=False,
        source="1B",
        concern="Neighbour",
        consent=Contact.Consent.GIVEN,
    )
    inner(frontdoor.decide_contact)(
        acting_user=user,
        contact=advice,
        decision=Contact.Decision.ADVICE,
        rationale="Advice",
        decided_at=datetime.datetime(2024, 2, 1, 12, tzinfo=datetime.UTC),
    )
    referral = inner(frontdoor.record_referral)(
        acting_user=user, child=ben, referral_date=D(2024, 3, 1), source="5A"
    )
    inner(frontdoor.close_referral)(
        acting_user=user,
        referral=referral,
        closed_on=D(2024, 3, 20),
        closure_reason="RC8",
        nfa=True,
    )
    allocate = inner(frontdoor.allocate_case)
    held = allocate(
        acting_user=user, child=ben, team=team, worker=worker, start_date=D(2024, 3, 1),
        change_reason="TSPROC",
    )  # fmt: skip
    inner(frontdoor.end_allocation)(acting_user=user, allocation=held, end_date=D(2024, 3, 20))
    allocate(acting_user=user, child=ada, team=team, worker=worker, start_date=D(2025, 5, 7),
             change_reason="TSPROC")  # fmt: skip
    allocate(acting_user=user, child=ada, team=team, worker=None, start_date=D(2025, 6, 1))


def table(folder: Path, name: str) -> list[str]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return sorted(repr(sorted(r.items())) for r in rows)


@pytest.fixture
def extract(migrator: User, tmp_path: Path) -> Path:
    """The family's extract; the database is left empty of it."""
    out = tmp_path / "extract"
    with transaction.atomic():
        build_family(migrator)
        export_extract(acting_user=migrator, out=out)
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    return out


def test_the_extract_comes_back_out_exactly(extract: Path, migrator: User, tmp_path: Path) -> None:
    result = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert result.committed
    assert not result.problems
    assert result.people_imported == 3
    assert Referral.objects.count() == 2
    assert Assessment.objects.get().status == Assessment.Status.DRAFT
    again = tmp_path / "again"
    export_extract(acting_user=migrator, out=again)
    for name in COVERED:
        assert table(again, name) == table(extract, name), name
    assert len(table(extract, "ssd_cin_episodes")) == 2
    assert len(table(extract, "ssd_contacts")) == 2
    assert len(table(extract, "ssd_involvements")) == 2
    team = User.objects.get(username="sw.hale").team
    assert team is not None
    assert team.name == "Assessment Team West"
    # Where each record came from, on the record and in the audit trail.
    ada = Person.objects.get(given_name="Ada")
    source = SourceRecord.objects.get(person=ada, table="ssd_person")
    event = AuditEvent.objects.get(event_type=SsdEvent.IMPORTED, subject_person_id=ada.pk)
    assert event.extra == {"system": "caseline", "source_id": source.source_id}
    [entry] = [e for e in chronology_for(ada) if e.source == "Data migration"]
    assert f"where the person's id was {source.source_id}" in entry.what_happened


def test_importing_again_changes_nothing_and_a_changed_person_is_updated(
    extract: Path, migrator: User
) -> None:
    first = import_extract(acting_user=migrator, folder=extract, system="caseline")
    people_before = Person.objects.count()
    events_before = AuditEvent.objects.filter(subject_person_id__isnull=False).count()
    again = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert AuditEvent.objects.filter(subject_person_id__isnull=False).count() == events_before
    assert not again.created
    assert not again.updated
    assert Person.objects.count() == people_before
    assert sum(again.unchanged.values()) >= sum(first.created.values()) - 1

    path = extract / "ssd_person.csv"
    text = path.read_text().replace(",Ben,Brook,", ",Benjamin,Brook,")
    path.write_text(text)
    changed = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert changed.updated["ssd_person"] == 1
    assert Person.objects.filter(given_name="Benjamin").count() == 1
    assert Person.objects.count() == people_before


def _edit(path: Path, column: str, row: int, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


def test_an_extract_with_faults_of_every_kind_is_refused_with_each_named(
    extract: Path, migrator: User
) -> None:
    (extract / "ssd_address.csv").unlink()  # a missing file
    contacts = extract / "ssd_contacts.csv"
    lines = contacts.read_text().splitlines()
    contacts.write_text(
        "\n".join([lines[0] + ",cont_mood"] + [line + "," for line in lines[1:]]) + "\n"
    )  # an unknown column
    person = extract / "ssd_person.csv"
    _edit(person, "pers_dob", 2, "04/03/1990")  # a wrong type
    episodes = extract / "ssd_cin_episodes.csv"
    _edit(episodes, "cine_referral_source_code", 2, "ZZ")  # a code outside its list
    _edit(episodes, "cine_close_date", 2, "2024-02-01")  # before the referral date
    _edit(extract / "ssd_cin_assessments.csv", "cina_referral_id", 2, "424242")  # no such id
    with person.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    twin = list(rows[2])
    twin[rows[0].index("pers_person_id")] = "77777"
    rows.append(twin)  # the same person twice
    with person.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)

    stdout = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("ssd", "import", str(extract), "--user", "migrator", "--quiet", stdout=stdout)
    assert exited.value.code == 1
    assert not Person.objects.exists()
    with (extract / REPORT_FILE).open(encoding="utf-8", newline="") as stream:
        report = list(csv.DictReader(stream))
    found = {(r["file"], r["row"], r["column"]) for r in report}
    assert ("ssd_address.csv", "", "") in found
    assert ("ssd_contacts.csv", "1", "cont_mood") in found
    assert ("ssd_person.csv", "2", "pers_dob") in found
    assert ("ssd_cin_episodes.csv", "2", "cine_referral_source_code") in found
    assert ("ssd_cin_episodes.csv", "2", "cine_close_date") in found
    assert ("ssd_cin_assessments.csv", "2", "cina_referral_id") in found
    duplicated = [r for r in report if r["row"] == str(len(rows)) and r["file"] == "ssd_person.csv"]
    assert {r["column"] for r in duplicated} >= {"pers_upn", "pers_surname"}
    assert "Imported nothing" in stdout.getvalue()
    assert AuditEvent.objects.filter(event_type=SsdEvent.IMPORT_REFUSED).count() == 1


def test_partial_sets_aside_a_family_whose_mother_cannot_be_read(
    extract: Path, migrator: User
) -> None:
    with (extract / "ssd_person.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    mother = next(i for i, r in enumerate(rows, start=2) if r["pers_forename"] == "Maya")
    _edit(extract / "ssd_person.csv", "pers_dob", mother, "04/03/1990")
    result = import_extract(acting_user=migrator, folder=extract, system="caseline", partial=True)
    assert result.committed
    assert [(p.file, p.row, p.column) for p in result.checked.problems] == [
        ("ssd_person.csv", mother, "pers_dob")
    ]
    assert result.people_set_aside == 3
    assert not Person.objects.exists()


def test_partial_imports_the_clean_families_only(extract: Path, migrator: User) -> None:
    _edit(extract / "ssd_cin_episodes.csv", "cine_referral_source_code", 2, "ZZ")
    result = import_extract(acting_user=migrator, folder=extract, system="caseline", partial=True)
    # The faulty referral is Ben's or Ada's: the whole family (joined by its mother) waits.
    assert result.committed
    assert result.people_imported == 0
    assert result.people_set_aside == 3
    assert not Person.objects.exists()


def test_the_import_needs_the_permission(extract: Path, make_user: Callable[..., User]) -> None:
    make_user(Role.SOCIAL_WORKER, username="worker")
    with pytest.raises(CommandError, match="permission to import") as refused:
        call_command("ssd", "import", str(extract), "--user", "worker", "--quiet")
    assert refused.value.returncode == 2
    assert not Person.objects.exists()


def test_the_import_refuses_a_folder_that_is_no_extract(migrator: User, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="not a folder holding an SSD extract") as refused:
        call_command("ssd", "import", str(tmp_path), "--user", "migrator")
    assert refused.value.returncode == 2


def test_a_completed_assessment_is_imported_saying_its_sections_are_elsewhere(
    extract: Path, migrator: User
) -> None:
    """Authorised in the other system: the SSD holds its dates, outcome and factors, and the
    sections say where they were written."""
    _edit(extract / "ssd_cin_assessments.csv", "cina_assessment_auth_date", 2, "2025-05-30")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert result.committed, result.problems
    assessment = Assessment.objects.get()
    assert assessment.status == Assessment.Status.AUTHORISED
    assert assessment.authorised_on == D(2025, 5, 30)
    assert assessment.outcome == Assessment.Outcome.CIN_PLAN
    assert assessment.factors == ["2B", "3A"]
    said = "Not in the SSD extract imported from Mosaic."
    assert assessment.analysis == said
    assert assessment.child_views == said
    assert assessment.manager_comment == said
    assert assessment.authorised_by is None
    assert AuditEvent.objects.filter(
        event_type="assessments.imported-completed", subject_person_id=assessment.person_id
    ).exists()


def test_a_completed_assessment_still_meets_the_rules_at_entry(
    extract: Path, migrator: User
) -> None:
    """21 (no factors) with another factor breaks CIN rule 8869: the family is refused at the
    assessment's row, though the extract's own checks find nothing wrong."""
    _edit(extract / "ssd_cin_assessments.csv", "cina_assessment_auth_date", 2, "2025-05-30")
    _edit(extract / "ssd_assessment_factors.csv", "cinf_assessment_factors_json", 2, '["2B","21"]')
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic", partial=True)
    assert result.checked.clean
    [refused] = result.refused
    assert (refused.file, refused.row) == ("ssd_cin_assessments.csv", 2)
    assert "21" in refused.problem
    assert result.people_set_aside == 3
    assert not Person.objects.exists()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_later_extract_applies_what_changed_and_says_what_it_did(
    extract: Path, migrator: User
) -> None:
    """An allocation that has since ended is ended, a worker's new name and title are taken,
    a new caseload is no change (Caseline counts its own), and a change the import cannot
    apply (a referral's primary need) is counted and listed, not applied."""
    involvements = extract / "ssd_involvements.csv"
    ada_row = next(
        i
        for i, r in enumerate(_rows(involvements), start=2)
        if r["invo_involvement_end_date"] and r["invo_involvement_start_date"] == "2025-05-07"
    )
    _edit(involvements, "invo_involvement_end_date", ada_row, "")
    first = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert first.committed, first.problems
    ada = Person.objects.get(given_name="Ada")
    assert Allocation.objects.get(person=ada).end_date is None

    _edit(involvements, "invo_involvement_end_date", ada_row, "2025-06-01")
    professionals = extract / "ssd_professionals.csv"
    hale = next(
        i for i, r in enumerate(_rows(professionals), start=2) if r["prof_staff_id"] == "sw.hale"
    )
    _edit(professionals, "prof_professional_name", hale, "Kim Ross")
    _edit(professionals, "prof_professional_job_title", hale, "Senior social worker")
    _edit(professionals, "prof_professional_caseload", hale, "7")
    _edit(extract / "ssd_cin_episodes.csv", "cine_cin_primary_need_code", 2, "N4")
    later = import_extract(acting_user=migrator, folder=extract, system="caseline")

    assert later.committed, later.problems
    assert not later.created
    assert Allocation.objects.get(person=ada).end_date == D(2025, 6, 1)
    worker = User.objects.get(username="sw.hale")
    assert (worker.last_name, worker.job_title) == ("Ross", "Senior social worker")
    name_and_title = ("prof_professional_name", "prof_professional_job_title")
    assert sorted((t, c) for t, _, c in later.applied) == [
        ("ssd_involvements", ("invo_involvement_end_date",)),
        ("ssd_professionals", (*name_and_title, "prof_professional_caseload")),
    ]
    assert [(t, c) for t, _, c in later.not_applied] == [
        ("ssd_cin_episodes", ("cine_cin_primary_need_code",))
    ]
    assert later.changed_not_applied == {"ssd_cin_episodes": 1}
    assert AuditEvent.objects.filter(
        event_type="frontdoor.allocation-ended", subject_person_id=ada.pk
    ).exists()


def test_an_allocation_breaking_a_rule_at_entry_is_refused_at_its_row(
    extract: Path, migrator: User
) -> None:
    """A worker whose team the extract does not give cannot hold a case in a team: the
    allocation is refused where the worker is named, and the family is set aside."""
    professionals = extract / "ssd_professionals.csv"
    hale = next(
        i for i, r in enumerate(_rows(professionals), start=2) if r["prof_staff_id"] == "sw.hale"
    )
    _edit(professionals, "prof_professional_department", hale, "")
    result = import_extract(acting_user=migrator, folder=extract, system="caseline", partial=True)
    assert result.checked.clean
    [refused] = result.refused
    assert (refused.file, refused.column) == ("ssd_involvements.csv", "invo_professional_id")
    assert "is not a member of Assessment Team West" in refused.problem
    assert result.people_set_aside == 3
    assert not Person.objects.exists()
    assert User.objects.filter(username="sw.hale", team__isnull=True).exists()


def test_a_referral_closed_since_the_last_extract_is_closed(extract: Path, migrator: User) -> None:
    episodes = extract / "ssd_cin_episodes.csv"
    closed = next(i for i, r in enumerate(_rows(episodes), start=2) if r["cine_close_date"])
    before = _rows(episodes)[closed - 2]
    for column, value in (("cine_close_date", ""), ("cine_close_reason", "")):
        _edit(episodes, column, closed, value)
    _edit(episodes, "cine_referral_nfa", closed, "N")
    assert import_extract(acting_user=migrator, folder=extract, system="caseline").committed
    assert Referral.objects.filter(closed_on__isnull=True).count() == 2

    for column in ("cine_close_date", "cine_close_reason", "cine_referral_nfa"):
        _edit(episodes, column, closed, before[column])
    later = import_extract(acting_user=migrator, folder=extract, system="caseline")
    assert later.committed, later.problems
    assert later.updated == {"ssd_cin_episodes": 1}
    referral = Referral.objects.get(closed_on__isnull=False)
    assert (referral.closed_on, referral.closure_reason, referral.nfa) == (
        D(2024, 3, 20),
        "RC8",
        True,
    )


def test_the_same_worker_or_team_under_two_ids_is_refused(extract: Path, migrator: User) -> None:
    for name, key in (
        ("ssd_professionals", "prof_professional_id"),
        ("ssd_department", "dept_team_id"),
    ):
        path = extract / f"{name}.csv"
        with path.open(encoding="utf-8", newline="") as stream:
            rows = list(csv.reader(stream))
        twin = list(rows[-1])
        twin[rows[0].index(key)] = "99999"
        rows.append(twin)
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, lineterminator="\n").writerows(rows)
    result = import_extract(acting_user=migrator, folder=extract, system="caseline", partial=True)
    assert not result.committed
    found = {(p.file, p.column) for p in result.checked.problems}
    assert ("ssd_department.csv", "dept_team_name") in found
    assert ("ssd_professionals.csv", "prof_staff_id") in found
    assert not Person.objects.exists()


def _append(path: Path, values: dict[str, str]) -> None:
    """A row with ``values`` (every other column empty) at the end of the table's file."""
    with path.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    with path.open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerow([values.get(c, "") for c in header])


def _with_protection(extract: Path, plan_ends: str = "2025-11-20") -> None:
    """Ada's section 47 enquiry, conference, plan, two reviews (the second ends the plan) and
    a visit, as another system's extract would give them, within her open referral."""
    [referral] = [r for r in _rows(extract / "ssd_cin_episodes.csv") if not r["cine_close_date"]]
    worker = next(
        r for r in _rows(extract / "ssd_professionals.csv") if r["prof_staff_id"] == "sw.hale"
    )
    ada = referral["cine_person_id"]
    _append(extract / "ssd_s47_enquiry.csv", {
        "s47e_s47_enquiry_id": "S-1", "s47e_referral_id": referral["cine_referral_id"],
        "s47e_person_id": ada, "s47e_s47_start_date": "2025-05-12",
        "s47e_s47_end_date": "2025-05-20", "s47e_s47_nfa": "N",
        "s47e_s47_outcome_json": '{"CP_CONFERENCE_FLAG":"Y"}',
        "s47e_s47_completed_by_worker_id": worker["prof_professional_id"],
    })  # fmt: skip
    _append(extract / "ssd_initial_cp_conference.csv", {
        "icpc_icpc_id": "C-1", "icpc_icpc_meeting_id": "C-1", "icpc_s47_enquiry_id": "S-1",
        "icpc_person_id": ada, "icpc_cp_plan_id": "P-1",
        "icpc_referral_id": referral["cine_referral_id"], "icpc_icpc_transfer_in": "N",
        "icpc_icpc_date": "2025-05-28", "icpc_icpc_outcome_cp_flag": "Y",
        "icpc_icpc_worker_id": worker["prof_professional_id"],
    })  # fmt: skip
    _append(extract / "ssd_cp_plans.csv", {
        "cppl_cp_plan_id": "P-1", "cppl_referral_id": referral["cine_referral_id"],
        "cppl_icpc_id": "C-1", "cppl_person_id": ada, "cppl_cp_plan_start_date": "2025-05-28",
        "cppl_cp_plan_end_date": plan_ends, "cppl_cp_plan_ola": "N",
        "cppl_cp_plan_initial_category": "NEG", "cppl_cp_plan_latest_category": "EMO",
    })  # fmt: skip
    for review, day, continues in (("R-1", "2025-08-14", "Y"), ("R-2", "2025-11-20", "N")):
        _append(extract / "ssd_cp_reviews.csv", {
            "cppr_cp_review_id": review, "cppr_person_id": ada, "cppr_cp_plan_id": "P-1",
            "cppr_cp_review_date": day, "cppr_cp_review_meeting_id": review,
            "cppr_cp_review_outcome_continue_cp": continues,
        })  # fmt: skip
    _append(extract / "ssd_cp_visits.csv", {
        "cppv_cp_visit_id": "V-1", "cppv_person_id": ada, "cppv_cp_plan_id": "P-1",
        "cppv_cp_visit_date": "2025-06-02", "cppv_cp_visit_seen": "Y",
        "cppv_cp_visit_seen_alone": "N",
    })  # fmt: skip


def test_child_protection_is_imported_as_recorded_in_another_system(
    extract: Path, migrator: User, tmp_path: Path
) -> None:
    _with_protection(extract)
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.problems
    enquiry = Section47Enquiry.objects.get()
    assert enquiry.strategy_discussion is None
    assert enquiry.outcome == Section47Enquiry.Outcome.CONFERENCE
    assert enquiry.outcome_note == "Not in the SSD extract imported from Mosaic."
    assert enquiry.recorded_by.username == "sw.hale"
    plan = ProtectionPlan.objects.get()
    assert (plan.start_date, plan.end_date, plan.end_reason) == (
        D(2025, 5, 28),
        D(2025, 11, 20),
        ProtectionPlan.EndReason.REVIEW,
    )
    assert (plan.initial_category, plan.latest_category) == ("NEG", "EMO")
    assert plan.conference.chair is None
    assert plan.review_conferences.count() == 2
    assert plan.visits.get().child_seen
    again = tmp_path / "again"
    export_extract(acting_user=migrator, out=again)
    [row] = _rows(again / "ssd_cp_plans.csv")
    assert (row["cppl_cp_plan_id"], row["cppl_icpc_id"], row["cppl_cp_plan_end_date"]) == (
        "P-1",
        "C-1",
        "2025-11-20",
    )
    assert {r["cppr_cp_review_id"] for r in _rows(again / "ssd_cp_reviews.csv")} == {"R-1", "R-2"}
    assert not import_extract(acting_user=migrator, folder=extract, system="Mosaic").created


@pytest.mark.parametrize(
    ("table", "column", "value", "refused_at", "words"),
    [
        (
            "ssd_cp_plans.csv",
            "cppl_cp_plan_end_date",
            "2025-11-21",
            ("ssd_cp_plans.csv", "cppl_cp_plan_end_date"),
            "ended at a review conference on 2025-11-20",
        ),
        (
            "ssd_initial_cp_conference.csv",
            "icpc_icpc_date",
            "2025-05-10",
            ("ssd_initial_cp_conference.csv", "icpc_icpc_date"),
            "on or after the section 47 enquiry started",
        ),
        (
            "ssd_cp_visits.csv",
            "cppv_cp_visit_date",
            "2025-12-01",
            ("ssd_cp_visits.csv", None),
            "ended on",
        ),
    ],
)
def test_child_protection_rows_breaking_a_rule_at_entry_are_refused_at_their_row(
    extract: Path,
    migrator: User,
    table: str,
    column: str,
    value: str,
    refused_at: tuple[str, str | None],
    words: str,
) -> None:
    _with_protection(extract)
    rows = _rows(extract / table)
    _edit(extract / table, column, len(rows) + 1, value)
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic", partial=True)
    assert result.checked.clean
    [refused] = result.refused
    assert (refused.file, refused.column) == refused_at
    assert words in refused.problem
    assert not Person.objects.exists()
    assert not Section47Enquiry.objects.exists()


def _with_cin_visits(extract: Path, second_seen_alone: str) -> tuple[str, int]:
    """Two visits to Ada (in her open referral), the second seen alone as given; Ada's
    source id and the second visit's row."""
    [referral] = [r for r in _rows(extract / "ssd_cin_episodes.csv") if not r["cine_close_date"]]
    ada = referral["cine_person_id"]
    visits = extract / "ssd_cin_visits.csv"
    given = (("CV-1", "2025-05-20", "Y"), ("CV-2", "2025-06-03", second_seen_alone))
    for visit, day, seen_alone in given:
        _append(visits, {
            "cinv_cin_visit_id": visit, "cinv_person_id": ada, "cinv_cin_visit_date": day,
            "cinv_cin_visit_seen": "Y" if visit == "CV-1" else "N",
            "cinv_cin_visit_seen_alone": seen_alone, "cinv_cin_visit_bedroom": "Y",
        })  # fmt: skip
    return ada, len(_rows(visits)) + 1


def test_a_childs_visits_are_imported_together_and_once(extract: Path, migrator: User) -> None:
    ada, _ = _with_cin_visits(extract, second_seen_alone="N")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.problems
    assert result.created["ssd_cin_visits"] == 2
    child = SourceRecord.objects.get(table="ssd_person", source_id=ada).person
    assert child is not None
    visits = CINVisit.objects.filter(person=child).order_by("visit_date")
    assert [(v.child_seen, v.child_seen_alone) for v in visits] == [(True, True), (False, False)]
    assert visits[1].not_seen_reason == "Not in the SSD extract imported from Mosaic."
    recorded = AuditEvent.objects.filter(
        event_type="cin.visit-recorded", subject_person_id=child.pk
    )
    assert sorted(e.target_id for e in recorded) == sorted(str(v.pk) for v in visits)
    again = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert again.unchanged["ssd_cin_visits"] == 2
    assert CINVisit.objects.count() == 2


def test_a_visit_breaking_a_rule_at_entry_is_refused_at_its_row(
    extract: Path, migrator: User
) -> None:
    """The second of a child's visits says she was seen alone but not seen: the action's
    check refuses it, at that row and column, and the family is set aside."""
    ada, row = _with_cin_visits(extract, second_seen_alone="Y")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic", partial=True)
    assert result.checked.clean
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_cin_visits.csv",
        row,
        "cinv_cin_visit_seen_alone",
    )
    assert "cannot have been seen alone if they were not seen" in refused.problem
    assert refused.people == (ada,)
    assert not Person.objects.exists()
    assert not CINVisit.objects.exists()


def _with_contacts(extract: Path, first_day: str) -> tuple[str, int]:
    """Two more contacts about Ada before her referral's: one on ``first_day`` with no
    decision, then (in the file) one on 1 April 2025 that led to advice. Ada's source id and
    the first one's row."""
    [referral] = [r for r in _rows(extract / "ssd_cin_episodes.csv") if not r["cine_close_date"]]
    ada = referral["cine_person_id"]
    contacts = extract / "ssd_contacts.csv"
    advice = json.dumps({"COMMENTS": Contact.Decision.ADVICE.label})
    given = (("C-1", first_day, ""), ("C-2", "2025-04-01", advice))
    for contact, day, outcome in given:
        _append(contacts, {
            "cont_contact_id": contact, "cont_person_id": ada, "cont_contact_date": day,
            "cont_contact_source_code": "2A", "cont_contact_outcome_json": outcome,
        })  # fmt: skip
    return ada, len(_rows(contacts))


def test_a_childs_contacts_are_recorded_together_in_order_with_their_decisions(
    extract: Path, migrator: User
) -> None:
    ada, _ = _with_contacts(extract, first_day="2025-03-10")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.problems
    assert result.created["ssd_contacts"] == 4
    child = SourceRecord.objects.get(table="ssd_person", source_id=ada).person
    assert child is not None
    contacts = Contact.objects.filter(people__person=child).order_by("id")
    assert [(timezone.localdate(c.received_at), c.decision) for c in contacts] == [
        (D(2025, 3, 10), ""),
        (D(2025, 4, 1), Contact.Decision.ADVICE),
        (D(2025, 5, 6), Contact.Decision.REFERRAL),
    ]
    assert Referral.objects.get(person=child).contact == contacts[2]
    kinds = ("contact-recorded", "contact-decided", "referral-recorded")
    events = AuditEvent.objects.filter(
        subject_person_id=child.pk, event_type__in=[f"frontdoor.{kind}" for kind in kinds]
    )
    assert [e.event_type for e in events.order_by("id")] == [
        "frontdoor.contact-recorded",
        "frontdoor.contact-recorded",
        "frontdoor.contact-decided",
        "frontdoor.contact-recorded",
        "frontdoor.contact-decided",
        "frontdoor.referral-recorded",
    ]
    again = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert again.unchanged["ssd_contacts"] == 4
    assert Contact.objects.count() == 4


def test_a_contact_breaking_a_rule_at_entry_is_refused_at_its_row(
    extract: Path, migrator: User
) -> None:
    """A contact before Ada was born, the first of her contacts by date though not in the
    file: the action refuses it, at its own row, and the family is set aside."""
    ada, row = _with_contacts(extract, first_day="2015-01-05")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic", partial=True)
    assert result.checked.clean
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_contacts.csv",
        row,
        "cont_contact_date",
    )
    assert "on or after Ada's date of birth" in refused.problem
    assert refused.people == (ada,)
    assert not Person.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_family_s_source_records_are_found_by_the_whole_unique_index() -> None:
    """Before ANALYZE has run (as during an import), each table's part of the read of a
    family's source records still searches the index on system, table and id; as one OR of
    the tables, SQLite searched by the system alone, every record of it a family."""
    from django.db import connection

    from caseline.apps.ssd.actions.importing import source_records

    asked = {"ssd_person": ["1", "2"], "ssd_contacts": ["7"], "ssd_cla_episodes": ["9"]}
    assert list(source_records("other", asked)) == []
    if connection.vendor != "sqlite":
        return  # PostgreSQL combines each table's index scan (a bitmap OR) either way
    plan = source_records("other", asked).explain()
    searches = [line for line in plan.splitlines() if "SEARCH" in line]
    assert len(searches) == 3
    assert all("system=? AND table=? AND source_id=?" in line for line in searches), plan
