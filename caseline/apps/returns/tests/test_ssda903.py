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
from django.test.utils import CaptureQueriesContext

from caseline.apps.accounts.models import User
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter.models import (
    CareLeaverContact,
    Episode,
    HealthRecord,
    LACReview,
    MissingEpisode,
    UASCDetails,
)
from caseline.apps.people.models import Address, Allocation, Person, Relationship
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
    tmp_path: Path, episode: Callable[..., Episode], user: User
) -> None:
    ada = child()
    Address.objects.create(
        person=ada, line_1="1 Home Road", postcode="tw9 1dn", start_date=D(2015, 1, 1)
    )
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
    Allocation.objects.create(
        person=ada, team=team, worker=user, start_date=D(2024, 6, 1), end_date=D(2025, 10, 1)
    )
    Allocation.objects.create(person=ada, team=team, worker=user, start_date=D(2025, 10, 1))
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
    assert [list(row.values()) for row in tables["SWEpisodes"]] == [
        [me, dob, "", "01/06/2024", "01/10/2025", ""],
        [me, dob, "", "01/10/2025", "", ""],
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
    assert (first["HEALTH_ASSESSMENT"], first["SUBSTANCE_MISUSE"], first["CONVICTED"]) == (
        "1",
        "0",
        "",
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
    tmp_path: Path, episode: Callable[..., Episode]
) -> None:
    def queries(count: int, out: Path) -> int:
        for _ in range(count):
            person = child()
            episode(person, D(2024, 1, 1))
        with CaptureQueriesContext(connection) as captured:
            produce(out)
        return len([q for q in captured.captured_queries if "audit" not in q["sql"]])

    assert queries(2, tmp_path / "a") == queries(6, tmp_path / "b")


def test_the_provider_lookups_list_each_urn_the_episodes_name(
    tmp_path: Path, episode: Callable[..., Episode]
) -> None:
    home, foster = child(), child()
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
    assert "<t>SC111111</t>" in homes
    assert "<t>TW9 1DN</t>" in homes
    assert "<t>K2</t>" in homes
    current, closed = sheets("ofsted_social_care_providers.xlsx")
    assert "<t>SC222222</t>" in current
    assert "<t>PR4</t>" in current
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
