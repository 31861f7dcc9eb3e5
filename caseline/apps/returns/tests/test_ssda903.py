"""The SSDA903 from the record: which children and rows, in the validator's CSV shape."""

from __future__ import annotations

import csv
import datetime
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.fixtures import Settings

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    CareLeaverContact,
    DeprivationOfLibertyOrder,
    Episode,
    HealthRecord,
    LACReview,
    MissingEpisode,
    PlacementProvider,
    PreviousPermanence,
    UASCDetails,
)
from caseline.apps.people.models import Address, Allocation, Person, Relationship
from caseline.apps.returns import runs
from caseline.apps.returns.models import ReturnFinding, ReturnRun
from caseline.apps.returns.ssda903 import rows as rows_module
from caseline.apps.returns.ssda903.records import ChildRecords
from caseline.apps.returns.ssda903.tables import TABLES
from tests.factories import PersonFactory, ReferralFactory, TeamFactory

D = datetime.date
Table = list[dict[str, str]]

# The validator's column names (csc-validator-be-903 0.1.17, lac_validator/config.py).
VALIDATOR_COLUMNS = {
    "Header": ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
    "Episodes": [
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ],
    "Reviews": ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
    "UASC": ["CHILD", "SEX", "DOB", "DUC"],
    "OC2": [
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ],
    "OC3": ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
    "AD1": [
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ],
    "PlacedAdoption": [
        "CHILD",
        "DOB",
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
        "REASON_PLACED_CEASED",
    ],
    "PrevPerm": ["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
    "Missing": ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
    "SWEpisodes": ["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
    "DoLo": ["CHILD", "DOB", "DOLO_START", "DOLO_END"],
}
FILES = {table.name: table.file_name for table in TABLES}


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user(username="recorder")


@pytest.fixture
def episode(user: User) -> Callable[..., Episode]:
    def make(person: Person, start: datetime.date, **fields: Any) -> Episode:
        values: dict[str, Any] = {
            "reason_new_episode": "S",
            "legal_status": "C2",
            "placement_type": "U4",
            "placement_provider": "PR1",
            "placement_postcode": "tw10  6uj",
        }
        values.update(fields)
        if values.get("end_date") and "reason_episode_ceased" not in fields:
            values["reason_episode_ceased"] = "E4A"
        return Episode.objects.create(person=person, start_date=start, recorded_by=user, **values)

    return make


@pytest.fixture
def decision(user: User) -> Callable[..., AdoptionDecision]:
    def make(person: Person, decided: datetime.date, **fields: Any) -> AdoptionDecision:
        return AdoptionDecision.objects.create(
            person=person, decided_on=decided, decided_by="Agency decision maker",
            recorded_by=user, **fields,
        )  # fmt: skip

    return make


BORN = D(2012, 5, 1)


def child(dob: datetime.date = BORN, **fields: Any) -> Person:
    return PersonFactory.create(date_of_birth=dob, **fields)


def produce(out: Path, year: str = "2026") -> dict[str, Table]:
    call_command("returns", "ssda903", "--year", year, "--out", str(out), "--quiet")
    tables: dict[str, Table] = {}
    for name, file_name in FILES.items():
        path = out / file_name
        if path.exists():
            with path.open(newline="", encoding="utf-8") as stream:
                tables[name] = list(csv.DictReader(stream))
    return tables


def ids(table: Table) -> list[str]:
    return [row["CHILD"] for row in table]


def test_every_table_has_the_validators_columns_and_dates_read_dd_mm_yyyy(
    tmp_path: Path, episode: Callable[..., Episode]
) -> None:
    ada = child(sex="F", ethnicity="WBRI", upn="a999123456789")
    episode(ada, D(2024, 6, 1))
    produce(tmp_path)
    written = sorted(path.name for path in tmp_path.iterdir() if path.is_file())
    assert written == sorted(FILES[name] for name in VALIDATOR_COLUMNS if name != "DoLo")
    for name, columns in VALIDATOR_COLUMNS.items():
        if name == "DoLo":
            continue
        first_line = (tmp_path / FILES[name]).read_text(encoding="utf-8").splitlines()[0]
        assert first_line.split(",") == columns
    header = (tmp_path / "header.csv").read_text(encoding="utf-8").splitlines()
    assert header[1] == f"{ada.pk},F,01/05/2012,WBRI,A999123456789,0,"


def test_deprivation_of_liberty_is_in_the_return_from_2027(tmp_path: Path, db: None) -> None:
    produce(tmp_path, "2027")
    assert (tmp_path / "dolo.csv").read_text().splitlines() == [",".join(VALIDATOR_COLUMNS["DoLo"])]


def test_a_childs_episodes_reviews_missing_and_social_workers_in_the_year(
    tmp_path: Path,
    episode: Callable[..., Episode],
    user: User,
    make_user: Callable[..., User],
) -> None:
    ada = child()
    Address.objects.create(
        person=ada, line_1="1 Home Road", postcode="tw9 1dn", start_date=D(2015, 1, 1)
    )
    # Not her home: HOME_POST reads home addresses only.
    Address.objects.create(
        person=ada, kind=Address.Kind.TEMPORARY, line_1="2 Stay Road", postcode="tw1 1aa",
        start_date=D(2024, 5, 1),
    )  # fmt: skip
    ReferralFactory.create(
        person=ada, referral_date=D(2024, 5, 1), primary_need="N2", closed_on=D(2025, 7, 1)
    )
    # A later referral does not change the category of need within a period (903 rule 504).
    ReferralFactory.create(person=ada, referral_date=D(2025, 8, 1), primary_need="N3")
    episode(
        ada,
        D(2024, 6, 1),
        end_date=D(2025, 9, 1),
        reason_episode_ceased="X1",
        reason_place_change="CARPL",
        ofsted_urn="sc123456",
    )
    episode(
        ada,
        D(2025, 9, 1),
        reason_new_episode="P",
        placement_type="K2",
        end_date=D(2026, 5, 1),  # after 31 March: open in the return
        reason_episode_ceased="E4A",
        reason_place_change="",
    )
    for held, code in ((D(2025, 3, 1), "PN1"), (D(2025, 6, 1), "PN4"), (D(2026, 3, 31), "PN0")):
        LACReview.objects.create(
            person=ada, review_date=held, chair=user, participation=code, recorded_by=user
        )
    MissingEpisode.objects.create(
        person=ada,
        missing_type="M",
        start_date=D(2025, 7, 1),
        end_date=D(2025, 7, 3),
        recorded_by=user,
    )
    MissingEpisode.objects.create(
        person=ada,
        missing_type="A",
        start_date=D(2026, 3, 30),
        end_date=D(2026, 4, 2),
        recorded_by=user,
    )
    MissingEpisode.objects.create(
        person=ada,
        missing_type="M",
        start_date=D(2025, 2, 1),
        end_date=D(2025, 2, 2),
        recorded_by=user,
    )
    team = TeamFactory.create()
    registered = make_user(swe_registration_number="SW98765")
    Allocation.objects.create(
        person=ada, team=team, worker=registered, start_date=D(2024, 6, 1),
        end_date=D(2025, 10, 1), change_reason="FCONTA",
    )  # fmt: skip
    Allocation.objects.create(
        person=ada, team=team, worker=user, start_date=D(2025, 10, 1), change_reason="LEFTRL"
    )
    Allocation.objects.create(person=ada, team=team, start_date=D(2025, 10, 1))  # no worker

    tables = produce(tmp_path)

    me, dob = str(ada.pk), "01/05/2012"
    assert [list(row.values()) for row in tables["Episodes"]] == [
        [me, "01/06/2024", "S", "C2", "N2", "U4", "PR1", "01/09/2025", "X1", "CARPL",
         "TW9 1DN", "TW10 6UJ", "SC123456"],
        [me, "01/09/2025", "P", "C2", "N2", "K2", "PR1", "", "", "", "TW9 1DN", "TW10 6UJ", ""],
    ]  # fmt: skip
    assert [list(row.values()) for row in tables["Reviews"]] == [
        [me, dob, "01/06/2025", "PN4"],
        [me, dob, "31/03/2026", "PN0"],
    ]
    assert [list(row.values()) for row in tables["Missing"]] == [
        [me, dob, "M", "01/07/2025", "03/07/2025"],
        [me, dob, "A", "30/03/2026", ""],
    ]
    # A worker not registered with Social Work England: "XX" and their number (SW02STG1).
    assert [list(row.values()) for row in tables["SWEpisodes"]] == [
        [me, dob, "SW98765", "01/06/2024", "01/10/2025", "FCONTA"],
        [me, dob, f"XX{user.pk:04d}", "01/10/2025", "", "LEFTRL"],
    ]


def test_social_worker_episodes_run_from_the_start_of_the_period_of_care_in_the_year(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    team = TeamFactory.create()
    # Came into care in the year: the assessment worker's allocation before care is dated from
    # the start of care; one that ended the day care began is not returned.
    came_in = child()
    episode(came_in, D(2025, 8, 4))
    Allocation.objects.create(
        person=came_in, team=team, worker=user, start_date=D(2025, 4, 22),
        change_reason="FCONTA",
    )  # fmt: skip
    before = child()
    episode(before, D(2025, 8, 4))
    Allocation.objects.create(
        person=before, team=team, worker=user, start_date=D(2025, 4, 22),
        end_date=D(2025, 8, 4), change_reason="FCONTA",
    )  # fmt: skip
    Allocation.objects.create(
        person=before, team=team, worker=user, start_date=D(2025, 8, 4), change_reason="ORGRST"
    )
    # Left care in the year: the same, from the start of that period of care; the worker
    # stays on after care while the case is open.
    left = child()
    episode(left, D(2024, 1, 1), end_date=D(2025, 12, 1), reason_episode_ceased="E4A")
    Allocation.objects.create(
        person=left, team=team, worker=user, start_date=D(2023, 6, 1), end_date=D(2023, 9, 1),
        change_reason="FCONTA",
    )  # fmt: skip
    Allocation.objects.create(
        person=left, team=team, worker=user, start_date=D(2023, 9, 1), change_reason="FCONTA"
    )

    tables = produce(tmp_path)

    worker = f"XX{user.pk:04d}"
    assert [list(row.values()) for row in tables["SWEpisodes"]] == [
        [str(came_in.pk), "01/05/2012", worker, "04/08/2025", "", "FCONTA"],
        [str(before.pk), "01/05/2012", worker, "04/08/2025", "", "ORGRST"],
        [str(left.pk), "01/05/2012", worker, "01/01/2024", "", "FCONTA"],
    ]


def test_children_looked_after_outside_the_year_are_left_out(
    tmp_path: Path, episode: Callable[..., Episode]
) -> None:
    left_before = child()
    episode(left_before, D(2024, 1, 1), end_date=D(2025, 3, 31))
    came_after = child()
    episode(came_after, D(2026, 4, 1))
    left_on_first_day = child()
    episode(left_on_first_day, D(2024, 1, 1), end_date=D(2025, 4, 1))
    came_on_last_day = child()
    episode(came_on_last_day, D(2026, 3, 31))
    never = child()

    tables = produce(tmp_path)

    assert ids(tables["Header"]) == [str(left_on_first_day.pk), str(came_on_last_day.pk)]
    assert ids(tables["Episodes"]) == ids(tables["Header"])
    assert str(never.pk) not in ids(tables["Header"])


def test_the_oc2_holds_children_looked_after_continuously_for_12_months(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    from_first_day = child(dob=D(2015, 1, 1))
    episode(from_first_day, D(2025, 4, 1))
    from_second_day = child()
    episode(from_second_day, D(2025, 4, 2))
    moved_and_changed = child()
    episode(moved_and_changed, D(2020, 1, 1), end_date=D(2025, 8, 1), reason_episode_ceased="X1")
    episode(moved_and_changed, D(2025, 8, 1), reason_new_episode="B")
    left_before_31_march = child()
    episode(left_before_31_march, D(2020, 1, 1), end_date=D(2026, 3, 30))
    left_on_31_march = child()
    episode(left_on_31_march, D(2020, 1, 1), end_date=D(2026, 3, 31))
    short_break = child()
    episode(short_break, D(2020, 1, 1), end_date=D(2025, 6, 1), reason_episode_ceased="X1")
    episode(
        short_break, D(2025, 6, 1), reason_new_episode="L", legal_status="V3",
        end_date=D(2025, 6, 3), reason_episode_ceased="X1",
    )  # fmt: skip
    episode(short_break, D(2025, 6, 3), reason_new_episode="L")
    for kind, when in (("dental", D(2025, 5, 1)), ("rha", D(2025, 6, 1)), ("sdq", D(2025, 7, 1))):
        HealthRecord.objects.create(
            person=from_first_day, kind=kind, event_date=when, recorded_by=user,
            sdq_score=17 if kind == "sdq" else None,
        )  # fmt: skip
    HealthRecord.objects.create(
        person=from_first_day, kind="immunisations", event_date=D(2025, 8, 1),
        immunisations_up_to_date=True, recorded_by=user,
    )  # fmt: skip

    tables = produce(tmp_path)

    assert ids(tables["OC2"]) == [
        str(p.pk) for p in (from_first_day, moved_and_changed, left_on_31_march)
    ]
    first = tables["OC2"][0]
    assert (first["SDQ_SCORE"], first["IMMUNISATIONS"], first["TEETH_CHECK"]) == ("17", "1", "1")
    # 11 at 31 March, not convicted in the year.
    assert (first["HEALTH_ASSESSMENT"], first["SUBSTANCE_MISUSE"], first["CONVICTED"]) == (
        "1",
        "0",
        "0",
    )
    nothing_recorded = tables["OC2"][1]
    assert (nothing_recorded["IMMUNISATIONS"], nothing_recorded["HEALTH_ASSESSMENT"]) == ("0", "0")


def test_the_oc3_holds_care_leavers_around_their_17th_to_21st_birthday(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    # In care from 14 to 18, so former relevant; 19 on 10 October 2025.
    nineteen = child(dob=D(2006, 10, 10))
    episode(nineteen, D(2020, 10, 10), end_date=D(2024, 10, 10), reason_episode_ceased="E17")
    CareLeaverContact.objects.create(
        person=nineteen, contact_date=D(2025, 9, 1), in_touch="YES", accommodation="S",
        accommodation_suitable=True, activity="F2", recorded_by=user,
    )  # fmt: skip
    # Left care at 16 and a half after two years: relevant; 17 on 1 June 2025, not in touch.
    seventeen = child(dob=D(2008, 6, 1))
    episode(seventeen, D(2022, 6, 1), end_date=D(2024, 12, 1))
    CareLeaverContact.objects.create(
        person=seventeen, contact_date=D(2025, 5, 20), in_touch="NO", recorded_by=user
    )
    # Still looked after on the 17th birthday: not in the OC3.
    in_care = child(dob=D(2008, 7, 1))
    episode(in_care, D(2022, 1, 1))
    # Left care on the 18th birthday (in the year): not returned at 18.
    left_on_birthday = child(dob=D(2007, 7, 1))
    episode(left_on_birthday, D(2021, 1, 1), end_date=D(2025, 7, 1), reason_episode_ceased="E17")
    # 22 in the year: not returned.
    twenty_two = child(dob=D(2003, 11, 1))
    episode(twenty_two, D(2017, 1, 1), end_date=D(2021, 11, 1), reason_episode_ceased="E17")
    # Care taken over by another authority: not returned (903 rule 1011).
    transferred = child(dob=D(2006, 1, 5))
    episode(transferred, D(2020, 1, 1), end_date=D(2024, 1, 5), reason_episode_ceased="E3")
    # Only a few weeks in care after 14: not a care leaver.
    brief = child(dob=D(2006, 2, 1))
    episode(brief, D(2022, 3, 1), end_date=D(2022, 3, 20))

    tables = produce(tmp_path)

    assert [list(row.values()) for row in tables["OC3"]] == [
        [str(nineteen.pk), "10/10/2006", "YES", "F2", "S1"],
        [str(seventeen.pk), "01/06/2008", "NO", "0", "0"],
    ]
    header = ids(tables["Header"])
    assert {str(nineteen.pk), str(seventeen.pk)} <= set(header)
    assert not {str(twenty_two.pk), str(brief.pk), str(transferred.pk)} & set(header)
    assert ids(tables["Episodes"]) == [str(in_care.pk), str(left_on_birthday.pk)]
    # A care leaver not looked after in the year has no motherhood details (903 rule 628).
    rows = {row["CHILD"]: row for row in tables["Header"]}
    assert rows[str(nineteen.pk)]["MOTHER"] == ""


def test_a_mother_and_an_unaccompanied_child(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    mum = child(dob=D(2009, 1, 1), sex="F")
    episode(mum, D(2024, 1, 1))
    baby = child(dob=D(2025, 12, 25))
    Relationship.objects.create(person=mum, other=baby, kind=Relationship.Kind.PARENT)
    still = child(dob=D(2009, 2, 1), sex="M", is_uasc=True)
    episode(still, D(2025, 1, 1))
    uasc = child(dob=D(2008, 6, 1), sex="M", is_uasc=False)
    episode(uasc, D(2024, 1, 1), legal_status="V2")
    UASCDetails.objects.create(person=uasc, ceased_on=D(2025, 9, 1), updated_by=user)

    tables = produce(tmp_path)

    rows = {row["CHILD"]: row for row in tables["Header"]}
    assert (rows[str(mum.pk)]["MOTHER"], rows[str(mum.pk)]["MC_DOB"]) == ("1", "25/12/2025")
    assert rows[str(uasc.pk)]["MOTHER"] == ""
    assert [list(row.values()) for row in tables["UASC"]] == [
        [str(still.pk), "M", "01/02/2009", "01/02/2027"],  # still UASC: the 18th birthday
        [str(uasc.pk), "M", "01/06/2008", "01/09/2025"],
    ]


def test_a_year_that_cannot_be_produced_exits_2_and_writes_nothing(
    tmp_path: Path, db: None
) -> None:
    out = tmp_path / "out"
    with pytest.raises(CommandError) as raised:
        call_command("returns", "ssda903", "--year", "2019", "--out", str(out))
    assert raised.value.returncode == 2
    assert not out.exists()
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    with pytest.raises(CommandError) as raised:
        call_command("returns", "ssda903", "--year", "2026", "--out", str(a_file))
    assert raised.value.returncode == 2
    assert a_file.read_text() == "x"
    assert not AuditEvent.objects.exists()


def test_a_failure_part_way_leaves_no_table(
    tmp_path: Path, episode: Callable[..., Episode], monkeypatch: pytest.MonkeyPatch
) -> None:
    episode(child(), D(2024, 1, 1))

    def broken(*args: Any) -> list[Any]:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(rows_module, "missing_rows", broken)
    with pytest.raises(RuntimeError):
        produce(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_the_export_is_audited_naming_every_child(
    tmp_path: Path, episode: Callable[..., Episode]
) -> None:
    children = [child() for _ in range(3)]
    for person in children:
        episode(person, D(2024, 1, 1))

    produce(tmp_path)

    export = AuditEvent.objects.get(event_type=EventType.EXPORTED, subject_person_id__isnull=True)
    assert export.extra["export"] == "ssda903 2026"
    assert export.extra["people"] == 3
    assert export.extra["rows"]["Episodes"] == 3
    named = AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, subject_person_id__isnull=False
    ).values_list("subject_person_id", flat=True)
    assert set(named) == {p.pk for p in children}


def test_the_queries_do_not_grow_with_the_children(
    tmp_path: Path,
    episode: Callable[..., Episode],
    decision: Callable[..., AdoptionDecision],
    user: User,
    make_user: Callable[..., User],
) -> None:
    team = TeamFactory.create()

    def queries(count: int, out: Path) -> int:
        for _ in range(count):
            # Every kind of record the return reads, so none is read a child at a time.
            person = child()
            first = episode(person, D(2025, 5, 1))
            PreviousPermanence.objects.create(
                person=person, episode=first, option="Z1", recorded_by=user
            )
            decision(person, D(2025, 6, 1))
            DeprivationOfLibertyOrder.objects.create(
                person=person, start_date=D(2025, 6, 1), recorded_by=user
            )
            worker = make_user(swe_registration_number=f"SW{person.pk:05d}")
            Allocation.objects.create(
                person=person, team=team, worker=worker, start_date=D(2025, 5, 1),
                change_reason="FCONTA",
            )  # fmt: skip
            Address.objects.create(
                person=person, line_1="1 Home Road", postcode="TW9 1DN", start_date=D(2020, 1, 1)
            )
        with CaptureQueriesContext(connection) as captured:
            produce(out, "2027")
        return len([q for q in captured.captured_queries if "audit" not in q["sql"]])

    assert queries(2, tmp_path / "a") == queries(6, tmp_path / "b")


def test_the_provider_lookups_list_the_register_and_the_urns_episodes_typed(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    def provider(urn: str, **fields: Any) -> PlacementProvider:
        return PlacementProvider.objects.create(
            name=f"Provider {urn}", ofsted_urn=urn, recorded_by=user, **fields
        )

    # A children's home in the register that no child lives in yet: listed all the same.
    provider("SC333333", provider_type="PR2", postcode="tw1 3aa", placement_types=["K2"])
    # A fostering agency in the register: the codes it offers and those it was used for.
    agency = provider("SC444444", provider_type="PR4", postcode="TW2 5AB",
                      placement_types=["U1"])  # fmt: skip
    # A regional adoption agency has no Ofsted URN (XXXXXXX): not listed.
    provider("XXXXXXX", provider_type="PR1")
    placed = child()
    episode(placed, D(2024, 1, 1), placement_type="U4", placement_provider="PR4",
            ofsted_urn="SC444444", provider=agency)  # fmt: skip
    home, foster = child(), child()
    # Typed before the register: listed from the episodes.
    episode(
        home,
        D(2024, 1, 1),
        placement_type="K2",
        ofsted_urn="sc111111",
        placement_postcode="tw9 1dn",
    )
    episode(foster, D(2024, 1, 1), placement_type="U4", ofsted_urn="XXXXXXX")
    episode(foster, D(2023, 1, 1), end_date=D(2023, 6, 1), placement_type="U6",
            placement_provider="PR4", ofsted_urn="SC222222")  # fmt: skip

    produce(tmp_path)

    def sheets(name: str) -> list[str]:
        with zipfile.ZipFile(tmp_path / "provider_lookups" / name) as book:
            return [
                book.read(part).decode()
                for part in sorted(book.namelist())
                if part.startswith("xl/worksheets/")
            ]

    [homes] = sheets("ofsted_childrens_homes.xlsx")
    # The validator reads "Provider Code" (column C) as the placement codes and "Provider
    # Placement Code" (D) as the provider codes (rules 219, 224).
    assert '<c r="C3" t="inlineStr"><is><t>K2</t></is></c>' in homes
    assert '<c r="D3" t="inlineStr"><is><t>PR2</t></is></c>' in homes
    assert "<t>SC111111</t>" in homes
    assert "<t>TW9 1DN</t>" in homes
    assert "<t>K2</t>" in homes
    assert "<t>SC333333</t>" in homes
    assert "<t>PR2</t>" in homes
    assert "<t>TW1 3AA</t>" in homes
    current, closed = sheets("ofsted_social_care_providers.xlsx")
    assert "<t>SC222222</t>" in current
    assert "<t>PR4</t>" in current
    assert "<t>SC444444</t>" in current
    assert "<t>U1,U4</t>" in current
    assert "<t>TW2 5AB</t>" in current
    assert "SC111111" not in current
    assert "XXXXXXX" not in current + homes
    assert "<t>Deregistration date</t>" in closed


def test_a_category_of_need_the_903_does_not_have_is_left_blank() -> None:
    person = Person(pk=1, date_of_birth=BORN)
    records = ChildRecords(
        person=person,
        referrals=[
            Referral(person=person, referral_date=D(2024, 1, 1), primary_need="N4"),
            Referral(person=person, referral_date=D(2025, 1, 1), primary_need="N9"),
        ],
    )
    assert rows_module.category_of_need(records, D(2024, 6, 1)) == "N4"
    assert rows_module.category_of_need(records, D(2025, 6, 1)) == ""
    assert rows_module.category_of_need(records, D(2023, 6, 1)) == ""


def test_the_upn_column_holds_the_reason_a_upn_is_not_known(
    tmp_path: Path, episode: Callable[..., Episode]
) -> None:
    with_upn = child(upn="a999123456789", upn_unknown_reason="")
    new_to_area = child(upn="", upn_unknown_reason="UN4")
    cin_only = child(upn="", upn_unknown_reason="UN7")  # not a 903 code (rule 168)
    nothing = child(upn="", upn_unknown_reason="")
    for person in (with_upn, new_to_area, cin_only, nothing):
        episode(person, D(2025, 1, 1))

    tables = produce(tmp_path)

    upns = {row["CHILD"]: row["UPN"] for row in tables["Header"]}
    assert [upns[str(p.pk)] for p in (with_upn, new_to_area, cin_only, nothing)] == [
        "A999123456789",
        "UN4",
        "",
        "",
    ]


def test_short_break_reviews_and_motherhood_are_not_returned(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    # Short breaks until 1 October, then in care under a care order.
    both = child(sex="F")
    episode(both, D(2025, 4, 1), legal_status="V3", reason_new_episode="S",
            end_date=D(2025, 10, 1), reason_episode_ceased="X1")  # fmt: skip
    episode(both, D(2025, 10, 1), reason_new_episode="L")
    # Only ever on short breaks (V4).
    breaks_only = child(sex="F")
    episode(breaks_only, D(2025, 5, 1), legal_status="V4", end_date=D(2025, 5, 3),
            reason_episode_ceased="E8")  # fmt: skip
    episode(breaks_only, D(2025, 8, 1), legal_status="V4", end_date=D(2025, 8, 3),
            reason_episode_ceased="E8")  # fmt: skip
    for person, held in (
        (both, D(2025, 6, 1)),  # under V3
        (both, D(2025, 10, 1)),  # the day the care order's episode starts: returned
        (both, D(2026, 1, 10)),
        (breaks_only, D(2025, 5, 2)),
    ):
        LACReview.objects.create(
            person=person, review_date=held, chair=user, participation="PN1", recorded_by=user
        )

    tables = produce(tmp_path)

    assert [(row["CHILD"], row["REVIEW"]) for row in tables["Reviews"]] == [
        (str(both.pk), "01/10/2025"),
        (str(both.pk), "10/01/2026"),
    ]
    mothers = {row["CHILD"]: row["MOTHER"] for row in tables["Header"]}
    assert mothers == {str(both.pk): "0", str(breaks_only.pk): ""}  # rules 165, 399


def test_a_child_adopted_in_the_year_has_the_decision_that_led_to_it_in_ad1(
    tmp_path: Path,
    episode: Callable[..., Episode],
    decision: Callable[..., AdoptionDecision],
) -> None:
    adopted = child(dob=D(2021, 3, 1))
    episode(adopted, D(2023, 1, 1), end_date=D(2024, 8, 1), reason_episode_ceased="X1")
    episode(adopted, D(2024, 8, 1), reason_new_episode="T", legal_status="E1",
            placement_type="A5", end_date=D(2025, 11, 20),
            reason_episode_ceased="E11")  # fmt: skip
    # An earlier decision that ceased, then the one that led to the adoption.
    decision(adopted, D(2023, 6, 1), ceased_on=D(2023, 9, 1), reason_ceased="RD1")
    decision(adopted, D(2024, 2, 1), matched_on=D(2024, 7, 1), adopters_sex="MF",
             adopters_legal_status="L11", adopted_by_foster_carers=True)  # fmt: skip
    # Adopted with no decision recorded: the row is there, blank, for rule 601 to report.
    undecided = child(dob=D(2020, 1, 1))
    episode(undecided, D(2022, 1, 1), legal_status="E1", placement_type="A6",
            end_date=D(2026, 3, 1), reason_episode_ceased="E12")  # fmt: skip
    # A decision, but still in care at 31 March: not adopted in the year.
    waiting = child(dob=D(2022, 1, 1))
    episode(waiting, D(2023, 1, 1), legal_status="E1", placement_type="A6")
    decision(waiting, D(2023, 6, 1), matched_on=D(2024, 1, 1), adopters_sex="F1",
             adopters_legal_status="L0", adopted_by_foster_carers=False)  # fmt: skip
    # Adopted on 1 April 2026: next year's.
    next_year = child(dob=D(2021, 1, 1))
    episode(next_year, D(2023, 1, 1), legal_status="E1", placement_type="A6",
            end_date=D(2026, 4, 1), reason_episode_ceased="E11")  # fmt: skip
    decision(next_year, D(2023, 6, 1))

    tables = produce(tmp_path)

    assert [list(row.values()) for row in tables["AD1"]] == [
        [str(adopted.pk), "01/03/2021", "01/02/2024", "01/07/2024", "1", "2", "MF", "L11"],
        [str(undecided.pk), "01/01/2020", "", "", "", "", "", ""],
    ]
    # AD1's DATE_INT is the PlacedAdoption's DATE_PLACED (rule 523); the earlier decision
    # ceased before the year and is not returned (rule 118).
    placed = [(r["CHILD"], r["DATE_PLACED"]) for r in tables["PlacedAdoption"]]
    assert (str(adopted.pk), "01/02/2024") in placed
    assert (str(adopted.pk), "01/06/2023") not in placed


def test_placed_for_adoption_holds_the_decisions_in_force_in_the_year(
    tmp_path: Path,
    episode: Callable[..., Episode],
    decision: Callable[..., AdoptionDecision],
) -> None:
    ben = child(dob=D(2019, 2, 1))
    episode(ben, D(2020, 1, 1), legal_status="E1")
    decision(ben, D(2020, 6, 1), ceased_on=D(2025, 3, 31), reason_ceased="RD1")  # before
    decision(ben, D(2025, 4, 1), ceased_on=D(2025, 4, 1), reason_ceased="RD4")  # first day
    decision(ben, D(2025, 5, 1), ceased_on=D(2026, 4, 2), reason_ceased="RD1")  # after
    decision(ben, D(2026, 4, 3))  # after the year: not yet
    cat = child(dob=D(2019, 3, 1))
    episode(cat, D(2020, 1, 1), legal_status="E1")
    decision(cat, D(2021, 6, 1))  # open since an earlier year

    tables = produce(tmp_path)

    assert [list(row.values()) for row in tables["PlacedAdoption"]] == [
        [str(ben.pk), "01/02/2019", "01/04/2025", "01/04/2025", "RD4"],
        [str(ben.pk), "01/02/2019", "01/05/2025", "", ""],
        [str(cat.pk), "01/03/2019", "01/06/2021", "", ""],
    ]
    assert tables["AD1"] == []


def test_previous_permanence_for_children_who_started_a_period_of_care_in_the_year(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    returned = child()
    episode(returned, D(2019, 1, 1), end_date=D(2020, 1, 1), reason_episode_ceased="E41")
    earlier = episode(returned, D(2025, 4, 1))
    PreviousPermanence.objects.create(
        person=returned, episode=earlier, option="P1", arranged_by="344", order_month=6,
        order_year=2019, recorded_by=user,
    )  # fmt: skip
    none = child()
    first = episode(none, D(2026, 3, 31))
    PreviousPermanence.objects.create(person=none, episode=first, option="Z1", recorded_by=user)
    # Started before the year: not returned (rule 634), though recorded.
    before = child()
    old = episode(before, D(2025, 3, 31))
    PreviousPermanence.objects.create(person=before, episode=old, option="Z1", recorded_by=user)
    # Started in the year with nothing recorded: no row, which rule 630 reports.
    unrecorded = child()
    episode(unrecorded, D(2025, 9, 1))
    # Not known whether there was one (P4): the authority and date are returned as not known.
    unknown = child()
    unknown_start = episode(unknown, D(2025, 10, 1))
    PreviousPermanence.objects.create(
        person=unknown, episode=unknown_start, option="P4", recorded_by=user
    )

    tables = produce(tmp_path)

    assert [list(row.values()) for row in tables["PrevPerm"]] == [
        [str(returned.pk), "01/05/2012", "P1", "344", "ZZ/06/2019"],
        [str(none.pk), "01/05/2012", "Z1", "", ""],
        [str(unknown.pk), "01/05/2012", "P4", "NUK", "ZZ/ZZ/ZZZZ"],
    ]


def test_deprivation_of_liberty_orders_in_force_in_the_year_from_2027(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    dee = child()
    episode(dee, D(2024, 1, 1), placement_type="K2")

    def order(start: datetime.date, end: datetime.date | None = None) -> None:
        DeprivationOfLibertyOrder.objects.create(
            person=dee, start_date=start, end_date=end, recorded_by=user
        )

    order(D(2025, 1, 1), D(2026, 3, 31))  # ended the day before the year
    order(D(2026, 4, 1), D(2026, 6, 1))
    order(D(2026, 7, 1), D(2027, 4, 30))  # ends after the year: open in the return
    order(D(2027, 5, 1))  # after the year

    tables = produce(tmp_path, "2027")
    assert [list(row.values()) for row in tables["DoLo"]] == [
        [str(dee.pk), "01/05/2012", "01/04/2026", "01/06/2026"],
        [str(dee.pk), "01/05/2012", "01/07/2026", ""],
    ]
    assert "DoLo" not in produce(tmp_path / "2026")  # not collected before 2026-27


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("validators")
def test_the_analyst_produces_and_checks_the_ssda903_with_last_year_and_the_provider_lists(
    client: Client,
    make_user: Callable[..., User],
    settings: Settings,
    tmp_path: Path,
) -> None:
    """The page asks for the run, the real worker produces the year and the year before it
    beside it, and the real validator checks the tables with both and with the provider lists
    written from the record: the rules that need them run."""
    settings.CASELINE_RETURNS_DIR = tmp_path
    recorder = make_user(Role.SOCIAL_WORKER, swe_registration_number="SW12345")
    analyst = make_user(Role.ANALYST, username="analyst")
    # In a children's home since before last year; a decision that she should be placed for
    # adoption, made last year and still in force (so in last year's return too: rule 559).
    ada = child(sex="F", ethnicity="WBRI", upn="", upn_unknown_reason="UN2")
    Episode.objects.create(
        person=ada, start_date=D(2024, 1, 10), reason_new_episode="S", legal_status="C2",
        placement_type="K2", placement_provider="PR1", placement_postcode="TW9 1DN",
        ofsted_urn="SC111111", recorded_by=recorder,
    )  # fmt: skip
    AdoptionDecision.objects.create(
        person=ada, decided_on=D(2024, 11, 1), decided_by="Agency decision maker",
        recorded_by=recorder,
    )  # fmt: skip
    # Came into care this year with nothing recorded about previous permanence (rule 630).
    ben = child(sex="M", ethnicity="WBRI", upn="", upn_unknown_reason="UN2")
    Episode.objects.create(
        person=ben, start_date=D(2025, 9, 1), reason_new_episode="S", legal_status="V2",
        placement_type="U4", placement_provider="PR1", placement_postcode="TW10 6UJ",
        ofsted_urn="SC222222", recorded_by=recorder,
    )  # fmt: skip
    client.force_login(analyst)

    response = client.post(reverse("returns:home"), {"return_slug": "ssda903", "year": 2026})
    assert response.status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    run = ReturnRun.objects.get()
    assert run.status == ReturnRun.Status.DONE, run.error
    assert sorted(run.person_ids) == sorted([ada.pk, ben.pk])
    folder = runs.run_folder(run)
    last_year = folder / runs.PREVIOUS_YEAR_FOLDER
    with (last_year / "placed_for_adoption.csv").open(encoding="utf-8") as stream:
        assert [r["CHILD"] for r in csv.DictReader(stream)] == [str(ada.pk)]
    assert (folder / "provider_lookups" / "ofsted_childrens_homes.xlsx").is_file()
    report = runs.report_of(run)
    assert report is not None
    assert report.ruleset == "lac2025_26"
    # Rules reading last year's tables (559, 560, 208) and Ofsted's lists (1008, 219) ran.
    assert not {"208", "559", "560", "1008", "219"} & set(report.rules_skipped)
    failed = {(f.code, ref) for f in report.failures for ref in f.child_references}
    assert ("630", str(ben.pk)) in failed
    # Her home is in the lists with its placement and provider codes where the validator reads
    # them (rules 219, 224), and her decision is in last year's return (559, 560).
    ada_failed = {code for code, ref in failed if ref == str(ada.pk)}
    assert not ada_failed & {"559", "560", "1008", "219", "224"}
    assert ReturnFinding.objects.filter(run=run, code="630", person_id=ben.pk).exists()
    page = client.get(reverse("returns:run", args=[run.pk])).content.decode()
    assert "Information on previous permanence option should be returned." in page


def test_the_oc2_health_items_for_the_childs_age(
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    def health(person: Person, kind: str, when: datetime.date, **fields: Any) -> None:
        HealthRecord.objects.create(
            person=person, kind=kind, event_date=when, recorded_by=user, **fields
        )

    # 15 at 31 March: no SDQ score, a reason; convicted; misuse, an intervention offered.
    teen = child(dob=D(2010, 6, 1))
    # 3 at 31 March, 4 in April: no SDQ yet (rule 188); a development check (rule 545).
    toddler = child(dob=D(2022, 4, 15))
    # 16 on 1 April 2025, 17 in the year: the SDQ is still asked for (rule 197B).
    turning_17 = child(dob=D(2009, 1, 1))
    # 9 at 31 March: too young to be convicted (rule 542); 4 or over: SDQ.
    nine = child(dob=D(2016, 4, 1))
    for person in (teen, toddler, turning_17, nine):
        episode(person, D(2023, 1, 1))
    health(teen, "sdq", D(2025, 5, 1), sdq_reason="SDQ5")
    health(teen, "conviction", D(2025, 9, 1))
    health(teen, "substance-misuse", D(2025, 6, 1), substance_misuse=True,
           intervention_received=True)  # fmt: skip
    health(teen, "rha", D(2026, 1, 1), substance_misuse=True, intervention_received=False,
           intervention_offered=True)  # fmt: skip
    health(teen, "conviction", D(2025, 3, 31))  # the year before: not counted
    health(toddler, "sdq", D(2025, 5, 1), sdq_score=12)  # not returned under 4
    health(toddler, "development", D(2025, 7, 1))
    health(turning_17, "sdq", D(2025, 5, 1), sdq_reason="SDQ2")
    health(turning_17, "sdq", D(2025, 11, 1), sdq_score=20)  # a score wins over a reason
    health(nine, "substance-misuse", D(2025, 6, 1), substance_misuse=True,
           intervention_received=True, intervention_offered=True)  # fmt: skip

    tables = produce(tmp_path)

    columns = ("SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "SUBSTANCE_MISUSE",
               "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")  # fmt: skip
    oc2 = {row["CHILD"]: tuple(row[c] for c in columns) for row in tables["OC2"]}
    assert oc2 == {
        str(teen.pk): ("", "SDQ5", "1", "", "1", "0", "1"),
        str(toddler.pk): ("", "", "", "1", "0", "", ""),
        str(turning_17.pk): ("20", "", "0", "", "0", "", ""),
        # Received: whether one was offered is left blank (rule 158).
        str(nine.pk): ("", "", "", "", "1", "1", ""),
    }
