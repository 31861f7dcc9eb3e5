"""Importing a child's looked-after record from an SSD extract: the 903 episodes, their
placements and legal status come back out exactly, through the episode actions, and a row
breaking an SSDA903 rule at entry is refused at its file, row and column."""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.lookedafter import actions as lookedafter
from caseline.apps.lookedafter.actions.episodes import PlacementDetails
from caseline.apps.lookedafter.actions.permanence import PartialDate
from caseline.apps.lookedafter.chronology import care_chronology
from caseline.apps.lookedafter.derive import awaits_minutes
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    Episode,
    HealthRecord,
    LACReview,
    LACVisit,
)
from caseline.apps.people import actions as people
from caseline.apps.people.models import Person
from caseline.apps.people.queries import RecordsHeld
from caseline.apps.ssd.actions import export_extract
from caseline.apps.ssd.actions.importing import _unwrapped, import_extract

pytestmark = pytest.mark.django_db

D = datetime.date
EPISODES = ("ssd_cla_episodes", "ssd_cla_placement", "ssd_legal_status")
# Every looked-after table the import reads, and the child's rows in each.
LOOKED_AFTER = {
    **dict.fromkeys(EPISODES, 6),
    "ssd_cla_visits": 2,
    "ssd_cla_reviews": 2,
    "ssd_missing": 2,
    "ssd_care_leavers": 1,
    "ssd_cla_health": 2,
    "ssd_sdq_scores": 1,
    "ssd_cla_convictions": 1,
    "ssd_cla_immunisations": 1,
    "ssd_cla_previous_permanence": 1,
    "ssd_permanence": 2,
}


@pytest.fixture
def migrator(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.ADMINISTRATOR,
        Role.TEAM_MANAGER,
        Role.FRONT_DOOR,
        Role.ANALYST,
        Role.IRO,
        username="migrator",
    )


def foster(kind: str = "U6", postcode: str = "AB1 2CD") -> PlacementDetails:
    return PlacementDetails(
        placement_type=kind,
        placement_provider="PR1",
        placement_postcode=postcode,
        ofsted_urn="SC100001",
    )


def build_child(user: User) -> None:
    """Cara: looked after from January 2024 in foster care on an interim care order, then a
    care order, then a move; home in February 2025 (E4A); looked after again from June 2025
    on a care order, placed with her father at first, then in foster care."""
    act: Callable[[Any], Callable[..., Any]] = _unwrapped
    cara = act(people.create_person)(
        acting_user=user,
        given_name="Cara",
        family_name="Lowe",
        sex="F",
        date_of_birth=D(2014, 2, 3),
        ethnicity="WBRI",
        upn_unknown_reason="UN2",
    )
    act(lookedafter.start_period_of_care)(
        acting_user=user,
        child=cara,
        start_date=D(2024, 1, 10),
        legal_status="C1",
        placement=foster(),
    )
    act(lookedafter.change_legal_status)(
        acting_user=user, child=cara, change_date=D(2024, 3, 1), legal_status="C2"
    )
    act(lookedafter.change_placement)(
        acting_user=user,
        child=cara,
        change_date=D(2024, 6, 1),
        placement=foster("U4", "CD3 4EF"),
        same_carer=False,
        reason_place_change="CARPL",
    )
    act(lookedafter.record_visit)(
        acting_user=user,
        child=cara,
        visit_date=D(2024, 2, 1),
        child_seen=True,
        seen_alone=True,
        note="Settling in",
    )
    act(lookedafter.record_visit)(
        acting_user=user,
        child=cara,
        visit_date=D(2024, 7, 1),
        child_seen=False,
        seen_alone=False,
        note="Out with her carer",
    )
    act(lookedafter.allocate_iro)(acting_user=user, child=cara, iro=user, start_date=D(2024, 1, 10))
    for reviewed, participation in ((D(2024, 2, 5), "PN1"), (D(2024, 7, 20), "PN5")):
        act(lookedafter.record_review)(
            acting_user=user,
            child=cara,
            review_date=reviewed,
            participation=participation,
            child_views="She likes her carers",
        )
    first = act(lookedafter.record_adoption_decision)(
        acting_user=user, child=cara, decided_on=D(2024, 4, 1), decided_by="ADM"
    )
    act(lookedafter.record_adoption_decision_ceased)(
        acting_user=user, decision=first, ceased_on=D(2024, 5, 1), reason_ceased="RD2"
    )
    second = act(lookedafter.record_adoption_decision)(
        acting_user=user, child=cara, decided_on=D(2024, 6, 1), decided_by="ADM"
    )
    act(lookedafter.record_adoption_match)(
        acting_user=user,
        decision=second,
        matched_on=D(2024, 8, 1),
        adopters_sex="MF",
        adopters_legal_status="L11",
        adopted_by_foster_carers=False,
    )
    act(lookedafter.record_missing)(
        acting_user=user,
        child=cara,
        missing_type="M",
        start_date=D(2024, 8, 3),
        end_date=D(2024, 8, 4),
        return_interview_offered=True,
        return_interview_accepted=False,
    )
    act(lookedafter.record_missing)(
        acting_user=user,
        child=cara,
        missing_type="A",
        start_date=D(2024, 9, 3),
        end_date=None,
        return_interview_offered=None,
        return_interview_accepted=None,
    )
    health = act(lookedafter.record_health)
    health(
        acting_user=user,
        child=cara,
        kind="iha",
        event_date=D(2024, 2, 10),
        health_plan="Eye test",
    )
    health(acting_user=user, child=cara, kind="dental", event_date=D(2024, 5, 1))
    for checked, up_to_date in ((D(2024, 2, 11), False), (D(2024, 9, 1), True)):
        health(
            acting_user=user,
            child=cara,
            kind="immunisations",
            event_date=checked,
            immunisations_up_to_date=up_to_date,
        )
    health(acting_user=user, child=cara, kind="sdq", event_date=D(2024, 6, 15), sdq_score=12)
    health(
        acting_user=user,
        child=cara,
        kind="conviction",
        event_date=D(2024, 10, 1),
        notes="Criminal damage",
    )
    act(lookedafter.end_period_of_care)(
        acting_user=user, child=cara, end_date=D(2025, 2, 1), reason_episode_ceased="E4A"
    )
    act(lookedafter.start_period_of_care)(
        acting_user=user,
        child=cara,
        start_date=D(2025, 6, 2),
        legal_status="C2",
        placement=PlacementDetails(
            placement_type="P1",
            placement_provider="PR0",
            parent_placement_approver="Head of service",
            parent_placement_approved_on=D(2025, 6, 2),
            parent_placement_rationale="Safe with her father",
        ),
    )
    act(lookedafter.change_placement)(
        acting_user=user,
        child=cara,
        change_date=D(2025, 9, 1),
        placement=foster(),
        same_carer=False,
        reason_place_change="CARPL",
    )


def build_care_leaver(user: User) -> None:
    """Dan: looked after from 16 until 18, then a care leaver in touch."""
    act: Callable[[Any], Callable[..., Any]] = _unwrapped
    dan = act(people.create_person)(
        acting_user=user,
        given_name="Dan",
        family_name="Rowe",
        sex="M",
        date_of_birth=D(2006, 5, 1),
        ethnicity="WBRI",
        upn_unknown_reason="UN2",
    )
    act(lookedafter.start_period_of_care)(
        acting_user=user,
        child=dan,
        start_date=D(2022, 6, 1),
        legal_status="C2",
        placement=foster(),
    )
    act(lookedafter.end_period_of_care)(
        acting_user=user, child=dan, end_date=D(2024, 5, 1), reason_episode_ceased="E8"
    )
    act(lookedafter.save_previous_permanence)(
        acting_user=user,
        child=dan,
        option="P1",
        arranged_by="201",
        order_date=PartialDate(year=2015, month=3),
    )
    act(lookedafter.record_care_leaver_contact)(
        acting_user=user,
        child=dan,
        contact_date=D(2025, 5, 20),
        in_touch="YES",
        accommodation="Z",
        accommodation_suitable=True,
        activity="F2",
    )


def table(folder: Path, name: str) -> list[str]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as stream:
        return sorted(repr(sorted(r.items())) for r in csv.DictReader(stream))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _edit(path: Path, column: str, row: int, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


@pytest.fixture
def extract(migrator: User, tmp_path: Path) -> Path:
    out = tmp_path / "extract"
    with transaction.atomic():
        build_child(migrator)
        build_care_leaver(migrator)
        export_extract(acting_user=migrator, out=out)
        transaction.set_rollback(True)
    assert not Person.objects.exists()
    return out


def test_episodes_placements_and_legal_status_come_back_out_exactly(
    extract: Path, migrator: User, tmp_path: Path
) -> None:
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert result.committed, result.problems
    cara = Person.objects.get(given_name="Cara")
    episodes = list(Episode.objects.filter(person=cara).order_by("start_date"))
    assert [(e.reason_new_episode, e.legal_status, e.placement_type) for e in episodes] == [
        ("S", "C1", "U6"),
        ("L", "C2", "U6"),
        ("P", "C2", "U4"),
        ("S", "C2", "P1"),
        ("P", "C2", "U6"),
    ]
    assert [e.reason_episode_ceased for e in episodes] == ["X1", "X1", "E4A", "X1", ""]
    # A placement with parents: who approved it, and why, are not in the extract.
    said = "Not in the SSD extract imported from Mosaic."
    assert (episodes[3].parent_placement_approver, episodes[3].parent_placement_rationale) == (
        said,
        said,
    )
    assert episodes[3].parent_placement_approved_on == D(2025, 6, 2)
    # Through the actions: each change audited as on the pages.
    started = AuditEvent.objects.filter(
        event_type=LookedAfterEvent.PERIOD_STARTED, subject_person_id=cara.pk
    )
    assert started.count() == 2
    again = tmp_path / "again"
    export_extract(acting_user=migrator, out=again)
    for name, count in LOOKED_AFTER.items():
        assert table(again, name) == table(extract, name), name
        assert len(table(extract, name)) == count, name
    # Reviews held in another system: no chair, the minutes kept there, their own audit.
    reviews = LACReview.objects.filter(person=cara).order_by("review_date")
    assert [(r.review_date, r.participation, r.chair_id) for r in reviews] == [
        (D(2024, 2, 5), "PN1", None),
        (D(2024, 7, 20), "PN5", None),
    ]
    assert all(r.recorded_elsewhere and r.minutes == said for r in reviews)
    assert not AuditEvent.objects.filter(event_type=LookedAfterEvent.REVIEW_RECORDED).exists()
    assert (
        AuditEvent.objects.filter(event_type=LookedAfterEvent.REVIEW_RECORDED_ELSEWHERE).count()
        == 2
    )
    # Adoption decisions through their actions; who decided is not in the extract.
    decisions = AdoptionDecision.objects.filter(person=cara).order_by("decided_on")
    assert [(d.decided_by, d.ceased_on, d.matched_on) for d in decisions] == [
        (said, D(2024, 5, 1), None),
        (said, None, D(2024, 8, 1)),
    ]
    visit = LACVisit.objects.get(person=cara, visit_date=D(2024, 7, 1))
    assert (visit.child_seen, visit.note) == (False, said)
    # Only the latest immunisations check is in the extract, and it is imported.
    [immunisations] = HealthRecord.objects.filter(person=cara, kind="immunisations")
    assert (immunisations.event_date, immunisations.immunisations_up_to_date) == (
        D(2024, 9, 1),
        True,
    )
    iha = HealthRecord.objects.get(person=cara, kind="iha")
    assert iha.health_plan == said
    conviction = HealthRecord.objects.get(person=cara, kind="conviction")
    assert conviction.notes == said  # the export does not write the offence
    second = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not second.created
    assert {name: second.unchanged[name] for name in LOOKED_AFTER} == LOOKED_AFTER


def test_a_visit_when_the_child_was_not_looked_after_is_refused(
    extract: Path, migrator: User
) -> None:
    visits = extract / "ssd_cla_visits.csv"
    _edit(visits, "clav_cla_visit_date", 2, "2025-04-01")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.committed
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_cla_visits.csv",
        2,
        "clav_cla_visit_date",
    )
    assert not Episode.objects.exists()


def test_a_placement_breaking_a_903_rule_is_refused_at_its_row(
    extract: Path, migrator: User
) -> None:
    """A foster placement with no URN breaks SSDA903 rule 218: the extract's own checks find
    nothing wrong, the episode action refuses it, and the report names the placement's row."""
    placements = extract / "ssd_cla_placement.csv"
    row = next(
        i for i, r in enumerate(_rows(placements), start=2) if r["clap_cla_placement_type"] == "U4"
    )
    _edit(placements, "clap_cla_placement_urn", row, "")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic", partial=True)
    assert result.checked.clean
    [refused] = result.refused
    assert (refused.file, refused.row) == ("ssd_cla_placement.csv", row)
    assert refused.column in {"clap_cla_placement_urn", "clap_cla_placement_provider"}
    assert "URN" in refused.problem
    # Cara's family is set aside whole; Dan's is imported.
    assert list(Person.objects.values_list("given_name", flat=True)) == ["Dan"]
    assert not Episode.objects.filter(person__given_name="Cara").exists()


def test_an_episode_ended_x1_with_no_episode_that_day_is_refused(
    extract: Path, migrator: User
) -> None:
    episodes = extract / "ssd_cla_episodes.csv"
    row = next(
        i
        for i, r in enumerate(_rows(episodes), start=2)
        if r["clae_cla_episode_start_reason"] == "L"
    )
    _edit(episodes, "clae_cla_episode_ceased_date", row, "2024-05-30")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.committed
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_cla_episodes.csv",
        row,
        "clae_cla_episode_ceased_date",
    )
    assert "X1" in refused.problem
    assert not Episode.objects.exists()


def test_a_health_check_not_yet_done_is_refused(extract: Path, migrator: User) -> None:
    _edit(extract / "ssd_cla_health.csv", "clah_health_check_status", 2, "Scheduled")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.committed
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_cla_health.csv",
        2,
        "clah_health_check_status",
    )
    assert not HealthRecord.objects.exists()


def test_an_episode_with_no_legal_status_in_force_is_refused(extract: Path, migrator: User) -> None:
    statuses = extract / "ssd_legal_status.csv"
    row = next(i for i, r in enumerate(_rows(statuses), start=2) if r["lega_legal_status"] == "C1")
    _edit(statuses, "lega_legal_status_start_date", row, "2024-01-20")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.committed
    [refused] = result.refused
    assert (refused.file, refused.column) == (
        "ssd_cla_episodes.csv",
        "clae_cla_episode_start_date",
    )
    assert "No legal status" in refused.problem


def test_a_review_breaking_a_903_rule_is_refused_at_its_row(extract: Path, migrator: User) -> None:
    """PN0 is only for a child under 4 (SSDA903 rule 440): the review is refused at its row
    and column, and nothing of the family is written."""
    reviews = extract / "ssd_cla_reviews.csv"
    row = next(
        i
        for i, r in enumerate(_rows(reviews), start=2)
        if r["clar_cla_review_participation"] == "PN5"
    )
    _edit(reviews, "clar_cla_review_participation", row, "PN0")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.committed
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_cla_reviews.csv",
        row,
        "clar_cla_review_participation",
    )
    assert "PN0" in refused.problem
    assert not LACReview.objects.exists()


def test_a_review_held_elsewhere_says_so_where_the_chair_would_be(
    extract: Path, migrator: User, client: Client
) -> None:
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert result.committed, result.problems
    cara = Person.objects.get(given_name="Cara")
    review = LACReview.objects.filter(person=cara).first()
    assert review is not None
    entries = care_chronology(cara, RecordsHeld.not_asked(cara))
    reviewed = [e for e in entries if e.what_happened.startswith("Looked-after review")]
    assert len(reviewed) == 2
    assert all("held in another system" in e.what_happened for e in reviewed)
    client.force_login(migrator)
    record = client.get(reverse("lookedafter:record", kwargs={"person_id": cara.pk}))
    assert "Held in another system" in record.content.decode()
    page = client.get(
        reverse("lookedafter:review", kwargs={"person_id": cara.pk, "review_id": review.pk})
    ).content.decode()
    assert "Held in another system" in page
    assert "Not complete" not in page  # its minutes are in the other system
    # Nor are its minutes awaited on the child's work list.
    assert not awaits_minutes(review, D(2026, 1, 1))


def test_an_adoption_match_before_the_decision_is_refused(extract: Path, migrator: User) -> None:
    """A match before the decision breaks SSDA903 rule 333: refused at its row and column."""
    decisions = extract / "ssd_permanence.csv"
    row = next(i for i, r in enumerate(_rows(decisions), start=2) if r["perm_matched_date"])
    _edit(decisions, "perm_matched_date", row, "2024-05-20")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.committed
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_permanence.csv",
        row,
        "perm_matched_date",
    )
    assert not AdoptionDecision.objects.exists()


def test_adopters_counted_otherwise_than_their_sex_are_refused(
    extract: Path, migrator: User
) -> None:
    decisions = extract / "ssd_permanence.csv"
    row = next(i for i, r in enumerate(_rows(decisions), start=2) if r["perm_adopter_sex"])
    _edit(decisions, "perm_number_of_adopters", row, "1")
    result = import_extract(acting_user=migrator, folder=extract, system="Mosaic")
    assert not result.committed
    [refused] = result.refused
    assert (refused.file, refused.row, refused.column) == (
        "ssd_permanence.csv",
        row,
        "perm_number_of_adopters",
    )
