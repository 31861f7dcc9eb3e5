"""Ofsted's Annex A: each list's rows and codes on a hand-built cohort, the six-month edge
(an event exactly six months before the as-at date is in, the day before is not), the
workbook's sheets and headings against the template, the export's audit, the command's errors,
the analyst's page, and a generated authority with every list filled."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments.models import Assessment
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.frontdoor.models import Contact, ContactPerson, EarlyHelpEpisode, Referral
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    CareLeaverContact,
    CarePlan,
    Episode,
    HealthRecord,
    LACReview,
    LACVisit,
    MissingEpisode,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.protection.models import (
    Conference,
    ProtectionPlan,
    ProtectionVisit,
    Section47Enquiry,
    StrategyDiscussion,
)
from caseline.apps.returns.actions import produce_return
from caseline.apps.returns.annex_a import ANNEX_A
from caseline.apps.returns.annex_a.export import read_lists
from caseline.apps.returns.annex_a.template import sheets
from caseline.apps.returns.models import ReturnRun
from caseline.apps.returns.years import AsAtDate
from caseline.apps.synthetic.generator.builder import Builder
from caseline.apps.synthetic.generator.core import ADOPTIONS_DUE, Parameters
from caseline.apps.synthetic.management.commands.generate import (
    DEMO_CHILDREN,
    DEMO_SEED,
    DEMO_YEARS,
)
from tests.factories import PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AS_AT = D(2026, 11, 30)
SIX_MONTHS_BEFORE = D(2026, 5, 30)  # in
JUST_OUTSIDE = D(2026, 5, 29)  # out
TEMPLATE = Path("/work/shared/reference/returns/annex_a/pipeline_branch_Annex_A.xlsx")
HEADINGS = Path(__file__).resolve().parents[1] / "annex_a" / "data" / "template_headings.json"


@pytest.fixture
def worker() -> User:
    return UserFactory.create(username="sw", first_name="Sam", last_name="Worker")


@pytest.fixture
def team() -> Team:
    return TeamFactory.create(name="Locality 1")


def child(worker: User, team: Team, **fields: Any) -> Person:
    values: dict[str, Any] = {"sex": "F", "ethnicity": "WBRI", "disabilities": ["NONE"]}
    values.update(fields)
    person = PersonFactory.create(**values)
    Allocation.objects.create(person=person, team=team, worker=worker, start_date=D(2020, 1, 1))
    return person


def lists(as_at: datetime.date = AS_AT) -> dict[str, list[list[Any]]]:
    _, rows = read_lists(AsAtDate(as_at))
    return {spec.name: list(map(list, sheet)) for spec, sheet in zip(sheets(), rows, strict=True)}


def column(sheet: str, heading: str) -> int:
    spec = next(spec for spec in sheets() if spec.name == sheet)
    return spec.headings.index(heading)


def cells(rows: list[list[Any]], sheet: str, heading: str) -> list[Any]:
    index = column(sheet, heading)
    return [row[index] for row in rows]


def referral(person: Person, worker: User, day: datetime.date, **fields: Any) -> Referral:
    values: dict[str, Any] = {"source": "1A", "primary_need": "N1"}
    values.update(fields)
    return Referral.objects.create(person=person, referral_date=day, opened_by=worker, **values)


def episode(person: Person, worker: User, start: datetime.date, **fields: Any) -> Episode:
    values: dict[str, Any] = {
        "reason_new_episode": "S",
        "legal_status": "C2",
        "placement_type": "U4",
        "placement_provider": "PR1",
        "placement_postcode": "TW10 6UJ",
        "ofsted_urn": "SC111111",
        "area": "IN",
    }
    values.update(fields)
    if values.get("end_date") and "reason_episode_ceased" not in fields:
        values["reason_episode_ceased"] = "E4A"
    return Episode.objects.create(person=person, start_date=start, recorded_by=worker, **values)


def enquiry(person: Person, worker: User, start: datetime.date, **fields: Any) -> Section47Enquiry:
    discussion = StrategyDiscussion.objects.create(
        person=person,
        kind=StrategyDiscussion.Kind.MEETING,
        held_at=timezone.make_aware(datetime.datetime.combine(start, datetime.time(10))),
        information_shared="Shared",
        decision="Enquire",
        rationale="Concerns",
        s47_decision=StrategyDiscussion.S47Decision.SINGLE,
        recorded_by=worker,
    )
    return Section47Enquiry.objects.create(
        person=person, strategy_discussion=discussion, start_date=start, recorded_by=worker,
        **fields,
    )  # fmt: skip


def conference(person: Person, worker: User, held: datetime.date, **fields: Any) -> Conference:
    return Conference.objects.create(
        person=person, conference_date=held, chair=worker,
        reports_shared=Conference.ReportsShared.YES, child_participation="Spoke",
        family_participation="Attended", rationale="Risk", recorded_by=worker, **fields,
    )  # fmt: skip


def test_the_six_months_run_from_the_same_day_six_months_before() -> None:
    assert AsAtDate(AS_AT).start == SIX_MONTHS_BEFORE
    assert AsAtDate(AS_AT).twelve_months_start == D(2025, 11, 30)
    assert AsAtDate(D(2026, 8, 31)).start == D(2026, 2, 28)  # clamped to the month's end
    assert JUST_OUTSIDE not in AsAtDate(AS_AT)
    assert SIX_MONTHS_BEFORE in AsAtDate(AS_AT)


def test_list_1_has_a_row_per_child_a_contact_was_about(worker: User, team: Team) -> None:
    ann = child(worker, team, date_of_birth=D(2015, 12, 1), ethnicity="")
    ben = child(worker, team, sex="M", ethnicity="APKN")
    parent = PersonFactory.create(date_of_birth=D(1990, 1, 1))
    tz = timezone.get_current_timezone()

    def contact(day: datetime.date, hour: int, *people: Person, source: str = "6") -> None:
        received = datetime.datetime.combine(day, datetime.time(hour), tz)
        made = Contact.objects.create(
            received_at=received, source=source, concern="Worried",
            consent=Contact.Consent.GIVEN, recorded_by=worker,
        )  # fmt: skip
        for person in people:
            ContactPerson.objects.create(contact=made, person=person)
        ContactPerson.objects.create(contact=made, person=parent, role=ContactPerson.Role.PARENT)

    contact(SIX_MONTHS_BEFORE, 0, ann, ben)  # siblings: two rows
    contact(JUST_OUTSIDE, 23, ann)  # the day before: out
    contact(AS_AT, 23, ben, source="3D")
    contact(AS_AT + datetime.timedelta(days=1), 0, ann)  # after the as-at date: out

    rows = lists()["List 1"]

    assert rows == [
        [str(ann.pk), "b) Female", "s) NOBT", D(2015, 12, 1), 10, SIX_MONTHS_BEFORE,
         "q) 6: Police"],
        [str(ben.pk), "a) Male", "k) APKN", D(2015, 6, 1), 11, SIX_MONTHS_BEFORE, "q) 6: Police"],
        [str(ben.pk), "a) Male", "k) APKN", D(2015, 6, 1), 11, AS_AT, "j) 3D: Health services"],
    ]  # fmt: skip


def test_list_2_holds_early_help_open_in_the_six_months(worker: User, team: Team) -> None:
    ended_on_the_edge = child(worker, team)
    ended_before = child(worker, team)
    EarlyHelpEpisode.objects.create(
        person=ended_on_the_edge, start_date=D(2026, 1, 5), end_date=SIX_MONTHS_BEFORE,
        reason="Support", organisation="Family hub", recorded_by=worker,
    )  # fmt: skip
    EarlyHelpEpisode.objects.create(
        person=ended_before, start_date=D(2026, 1, 5), end_date=JUST_OUTSIDE,
        reason="Support", organisation="Family hub", recorded_by=worker,
    )  # fmt: skip

    rows = lists()["List 2"]

    assert [row[0] for row in rows] == [str(ended_on_the_edge.pk)]
    assert rows[0][5:] == [D(2026, 1, 5), None, "Family hub"]


def test_list_3_holds_each_referral_with_the_childs_others_in_twelve_months(
    worker: User, team: Team
) -> None:
    ann = child(worker, team)
    closed = {"closed_on": D(2026, 8, 1), "closure_reason": "RC8"}
    referral(ann, worker, D(2026, 1, 10), **closed)  # in the twelve months, not the six
    referral(ann, worker, JUST_OUTSIDE, **closed)
    referral(ann, worker, SIX_MONTHS_BEFORE, source="2A", nfa=True)
    referral(ann, worker, D(2025, 11, 29), **closed)  # before the twelve months: not counted

    rows = lists()["List 3"]

    assert rows == [
        [str(ann.pk), "b) Female", "a) WBRI", D(2015, 6, 1), 11, SIX_MONTHS_BEFORE,
         "e) 2A: Schools", "a) Yes", 2, "Locality 1", "Sam Worker"],
    ]  # fmt: skip


def test_list_4_holds_assessments_open_in_the_six_months(worker: User, team: Team) -> None:
    ann = child(worker, team, disabilities=["MOB"])
    episode_ = referral(ann, worker, D(2026, 1, 2))

    def assessment(start: datetime.date, authorised: datetime.date | None, outcome: str) -> None:
        Assessment.objects.create(
            person=ann, referral=episode_, start_date=start, authorised_on=authorised,
            child_seen=True, outcome=outcome, recorded_by=worker,
            status=Assessment.Status.AUTHORISED if authorised else Assessment.Status.DRAFT,
        )  # fmt: skip

    assessment(D(2026, 4, 1), JUST_OUTSIDE, "cin-plan")  # authorised the day before: out
    assessment(D(2026, 4, 2), SIX_MONTHS_BEFORE, "nfa")
    assessment(D(2026, 11, 1), D(2026, 12, 10), "cin-plan")  # authorised after: still open

    rows = lists()["List 4"]

    assert [row[5:10] for row in rows] == [
        ["a) Yes", D(2026, 4, 2), "a) Yes", SIX_MONTHS_BEFORE, "b) No"],
        ["a) Yes", D(2026, 11, 1), "a) Yes", None, ""],
    ]
    assert rows[0][10:] == ["Locality 1", "Sam Worker"]


def test_list_5_holds_enquiries_with_their_conference_and_counts(worker: User, team: Team) -> None:
    ann = child(worker, team)
    enquiry(ann, worker, D(2026, 1, 5), completed_on=D(2026, 1, 20))  # out: closed before
    first = enquiry(ann, worker, SIX_MONTHS_BEFORE, completed_on=D(2026, 6, 10))
    conference(ann, worker, D(2026, 6, 12), kind="initial", enquiry=first, decision="plan")
    second = enquiry(
        ann, worker, D(2026, 10, 1), completed_on=D(2026, 10, 5), outcome="nfa",
        icpc_not_required=True, icpc_not_required_on=D(2026, 10, 5),
    )  # fmt: skip

    rows = lists()["List 5"]

    assert [row[6:12] for row in rows] == [
        [SIX_MONTHS_BEFORE, "b) No", D(2026, 6, 12), "a) Yes", 3, 1],
        [second.start_date, "a) Yes", None, "", 3, 1],
    ]


def test_list_6_holds_child_in_need_episodes_with_their_status(worker: User, team: Team) -> None:
    closed = child(worker, team)
    looked_after = child(worker, team)
    outside = child(worker, team)
    referral(closed, worker, D(2025, 1, 1), closed_on=SIX_MONTHS_BEFORE, closure_reason="RC7")
    referral(outside, worker, D(2025, 1, 1), closed_on=JUST_OUTSIDE, closure_reason="RC7")
    referral(looked_after, worker, D(2025, 1, 1), primary_need="N2")
    referral(  # referral only: not a CIN row
        outside, worker, D(2026, 9, 1), nfa=True, closed_on=D(2026, 9, 2), closure_reason="RC8"
    )
    episode(looked_after, worker, D(2026, 2, 1))
    LACVisit.objects.create(
        person=looked_after, visit_date=D(2026, 11, 3), child_seen=True, seen_alone=True,
        note="Seen", recorded_by=worker,
    )  # fmt: skip

    rows = lists()["List 6"]

    assert [row[0] for row in rows] == [str(closed.pk), str(looked_after.pk)]
    assert rows[0][6:12] == [
        D(2025, 1, 1), "N1 - Abuse or neglect", None, SIX_MONTHS_BEFORE,
        "RC7 - Services ceased for any other reason, including child no longer in need",
        "e) Closed episode",
    ]  # fmt: skip
    assert rows[1][6:12] == [
        D(2025, 1, 1), "N2 - Child's disability", D(2026, 11, 3), None, "", "a) Looked after child"
    ]  # fmt: skip


def test_list_7_holds_plans_with_visits_reviews_and_previous_plans(
    worker: User, team: Team
) -> None:
    ann = child(worker, team)
    old_icpc = conference(ann, worker, D(2024, 1, 10), kind="initial", decision="plan")
    ProtectionPlan.objects.create(
        person=ann, conference=old_icpc, initial_category="NEG", latest_category="NEG",
        lead_social_worker=worker, start_date=D(2024, 1, 10), end_date=JUST_OUTSIDE,
        recorded_by=worker,
    )  # fmt: skip
    icpc = conference(ann, worker, SIX_MONTHS_BEFORE, kind="initial", decision="plan")
    plan = ProtectionPlan.objects.create(
        person=ann, conference=icpc, initial_category="PHY", latest_category="EMO",
        lead_social_worker=worker, start_date=SIX_MONTHS_BEFORE, recorded_by=worker,
    )  # fmt: skip
    conference(ann, worker, D(2026, 8, 20), kind="review", plan=plan, category="EMO")
    conference(ann, worker, D(2026, 12, 20), kind="review", plan=plan, category="SAB")
    ProtectionVisit.objects.create(
        plan=plan, visit_date=D(2026, 11, 20), child_seen=True, child_seen_alone=False,
        observations="Seen", recorded_by=worker,
    )  # fmt: skip
    episode(ann, worker, D(2026, 6, 1), legal_status="L1", end_date=D(2026, 6, 2))

    rows = lists()["List 7"]

    assert rows == [
        [str(ann.pk), "b) Female", "a) WBRI", D(2015, 6, 1), 11, "b) No", SIX_MONTHS_BEFORE,
         "b) Physical abuse", "d) Emotional abuse", D(2026, 11, 20), "b) No", D(2026, 8, 20),
         None, "a) Yes", 1, "Locality 1", "Sam Worker"],
    ]  # fmt: skip


def test_list_8_holds_children_in_care_or_who_left_it_in_the_six_months(
    worker: User, team: Team
) -> None:
    ann = child(worker, team, is_uasc=True)
    left_on_the_edge = child(worker, team)
    left_before = child(worker, team)
    referral(ann, worker, D(2025, 1, 1), primary_need="N4")
    episode(ann, worker, D(2025, 1, 10), end_date=D(2025, 12, 1), reason_episode_ceased="E4A")
    first = episode(ann, worker, D(2026, 3, 1), legal_status="V2", end_date=D(2026, 6, 1),
                    reason_episode_ceased="X1")  # fmt: skip
    assert first.pk
    episode(ann, worker, D(2026, 6, 1), reason_new_episode="L", legal_status="C2",
            end_date=D(2026, 9, 1), reason_episode_ceased="X1")  # fmt: skip
    episode(ann, worker, D(2026, 9, 1), reason_new_episode="P", legal_status="C2",
            placement_type="K2", placement_provider="PR4", area="OUT")  # fmt: skip
    episode(left_on_the_edge, worker, D(2025, 5, 1), end_date=SIX_MONTHS_BEFORE)
    episode(left_before, worker, D(2025, 5, 1), end_date=JUST_OUTSIDE)
    LACReview.objects.create(
        person=ann, review_date=D(2026, 10, 1), chair=worker, participation="PN1",
        recorded_by=worker,
    )  # fmt: skip
    HealthRecord.objects.create(
        person=ann, kind="rha", event_date=D(2026, 7, 1), recorded_by=worker
    )
    HealthRecord.objects.create(
        person=ann, kind="dental", event_date=D(2026, 8, 1), recorded_by=worker
    )
    CarePlan.objects.create(
        person=ann, plan_date=D(2026, 6, 1), permanence_plan="long-term-fostering",
        plan_summary="Stay", placement_plan="Here", child_views="Happy", recorded_by=worker,
    )  # fmt: skip
    MissingEpisode.objects.create(
        person=ann, missing_type="M", start_date=D(2026, 10, 3), end_date=D(2026, 10, 4),
        return_interview_offered=True, return_interview_accepted=False, recorded_by=worker,
    )  # fmt: skip
    MissingEpisode.objects.create(
        person=ann, missing_type="A", start_date=D(2026, 10, 8), recorded_by=worker
    )

    rows = {row[0]: row for row in lists()["List 8"]}

    assert sorted(rows) == sorted([str(ann.pk), str(left_on_the_edge.pk)])
    assert rows[str(ann.pk)][5:] == [
        "a) Yes", "b) No", D(2026, 3, 1), "N4 - Family in acute stress", "a) Yes",
        D(2026, 6, 1), "C2: FCO", D(2026, 10, 1), None, "f) Long-term fostering", D(2026, 10, 1),
        D(2026, 7, 1), D(2026, 8, 1), 3, None, "", D(2026, 9, 1), "p) K2: Children's Homes",
        "e) PR4: Private provision", "TW10 6UJ", "SC111111", "b) Out", "", 1, 1, "a) Yes",
        "b) No", "Locality 1", "Sam Worker",
    ]  # fmt: skip
    edge = rows[str(left_on_the_edge.pk)]
    ceased = column("List 8", "Date Ceased to be Looked After")
    assert edge[ceased : ceased + 2] == [
        SIX_MONTHS_BEFORE,
        "e) E4A: Returned home to live with parents or relatives - part of planning",
    ]


def test_list_9_holds_care_leavers_with_their_latest_contact(worker: User, team: Team) -> None:
    leaver = child(worker, team, date_of_birth=D(2007, 3, 1))  # 19 at the as-at date
    episode(leaver, worker, D(2021, 1, 1), end_date=D(2025, 3, 1), reason_episode_ceased="E17")
    CareLeaverContact.objects.create(
        person=leaver, contact_date=D(2026, 3, 2), in_touch="YES", accommodation="U",
        accommodation_suitable=True, activity="F2", recorded_by=worker,
    )  # fmt: skip
    never_in_care = child(worker, team, date_of_birth=D(2007, 3, 1))
    assert never_in_care.pk

    rows = lists()["List 9"]

    assert rows == [
        [str(leaver.pk), "b) Female", "a) WBRI", D(2007, 3, 1), 19, "b) No", "Locality 1",
         "Sam Worker", "b) Former relevant child", "a) Yes", "U: Independent living",
         "a) Suitable", "F2: Full time in education other than higher"],
    ]  # fmt: skip


def test_lists_10_and_11_hold_adoptions_and_the_adopters_matched(worker: User, team: Team) -> None:
    ann = child(worker, team, date_of_birth=D(2023, 2, 1))
    episode(ann, worker, D(2024, 1, 10), end_date=D(2024, 6, 1), reason_episode_ceased="X1")
    episode(ann, worker, D(2024, 6, 1), reason_new_episode="L", legal_status="E1",
            end_date=D(2026, 1, 5), reason_episode_ceased="X1")  # fmt: skip
    episode(ann, worker, D(2026, 1, 5), reason_new_episode="P", legal_status="E1",
            placement_type="A6", end_date=D(2026, 9, 1), reason_episode_ceased="E11")  # fmt: skip
    decision = AdoptionDecision.objects.create(
        person=ann, decided_on=D(2024, 5, 1), decided_by="ADM", matched_on=D(2025, 12, 1),
        adopters_sex="MF", recorded_by=worker,
    )  # fmt: skip
    reversed_ = child(worker, team)
    episode(reversed_, worker, D(2025, 6, 1))
    AdoptionDecision.objects.create(
        person=reversed_, decided_on=D(2025, 7, 1), decided_by="ADM", ceased_on=D(2026, 2, 1),
        reason_ceased="RD3", recorded_by=worker,
    )  # fmt: skip

    found = lists()
    family = f"A{decision.pk}"

    assert found["List 10"] == [
        [str(ann.pk), family, "b) Female", "a) WBRI", D(2023, 2, 1), 3, "b) No", D(2024, 1, 10),
         D(2024, 5, 1), D(2024, 6, 1), D(2025, 12, 1), D(2026, 1, 5), D(2026, 9, 1), None, "",
         None],
        [str(reversed_.pk), "", "b) Female", "a) WBRI", D(2015, 6, 1), 11, "b) No",
         D(2025, 6, 1), D(2025, 7, 1), None, None, None, None, D(2026, 2, 1),
         "RD3 - Prospective adopters could not be found", None],
    ]  # fmt: skip
    assert [row[:3] for row in found["List 11"]] == [
        [f"{family}-1", family, "a) Male"],
        [f"{family}-2", family, "b) Female"],
    ]
    placed = column("List 11", "Date child/children placed with adopter(s)")
    assert found["List 11"][0][placed : placed + 3] == [D(2026, 1, 5), 1, D(2026, 9, 1)]


def test_nothing_after_the_as_at_date_is_shown(worker: User, team: Team) -> None:
    ann = child(worker, team)
    referral(ann, worker, D(2026, 1, 1), closed_on=D(2026, 12, 15), closure_reason="RC7")

    rows = lists()["List 6"]

    assert cells(rows, "List 6", "CIN Closure Date") == [None]
    assert cells(rows, "List 6", "Reason for Closure") == [""]


def test_the_committed_headings_are_the_templates() -> None:
    document = json.loads(HEADINGS.read_text(encoding="utf-8"))
    assert "Annex_A.xlsx" in document["source"]
    assert [spec.name for spec in sheets()] == [f"List {n}" for n in range(1, 12)]
    if not TEMPLATE.exists():
        pytest.skip("the reference template is not on this machine")
    template = openpyxl.load_workbook(TEMPLATE, read_only=True)
    assert [(spec.name, list(spec.headings)) for spec in sheets()] == [
        (sheet.title, [c for c in next(sheet.iter_rows(max_row=1, values_only=True)) if c])
        for sheet in template.worksheets
    ]


def test_the_workbook_has_the_templates_sheets_headings_and_the_export_is_audited(
    tmp_path: Path, worker: User, team: Team
) -> None:
    ann = child(worker, team)
    referral(ann, worker, D(2026, 7, 1))
    out = tmp_path / "annex.xlsx"

    produced = produce_return(ANNEX_A, AsAtDate(AS_AT), out, acting_user=None)

    book = openpyxl.load_workbook(out)
    assert [(sheet.title, [cell.value for cell in sheet[1]]) for sheet in book.worksheets] == [
        (spec.name, list(spec.headings)) for spec in sheets()
    ]
    referrals = book["List 3"]
    assert referrals.max_row == 2
    assert referrals["A2"].value == str(ann.pk)
    assert referrals["F2"].value.date() == D(2026, 7, 1)
    assert referrals["F2"].number_format == "dd/mm/yyyy"
    assert produced.rows["List 3"] == 1
    assert produced.rows["List 6"] == 1
    exported = AuditEvent.objects.filter(event_type=EventType.EXPORTED)
    assert [e.subject_person_id for e in exported.filter(subject_person_id__isnull=False)] == [
        ann.pk
    ]
    summary = exported.get(subject_person_id__isnull=True)
    assert summary.extra["export"] == "annex-a 2026-11-30"
    assert summary.extra["files"] == ["annex.xlsx"]
    assert [p.name for p in tmp_path.iterdir()] == ["annex.xlsx"]  # nothing left beside it


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--as-at", "30/11/2026"], "--as-at must be a date written YYYY-MM-DD"),
        (["--as-at", "2026-02-30"], "--as-at must be a date written YYYY-MM-DD"),
        (["--as-at", "2026-11-30", "--out", "/no/such/folder/a.xlsx"], "does not exist"),
    ],
)
def test_the_command_refuses_bad_arguments_with_exit_2(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    if "--out" not in arguments:
        arguments = [*arguments, "--out", str(tmp_path / "a.xlsx")]
    with pytest.raises(CommandError, match=message) as raised:
        call_command("returns", "annex-a", *arguments, stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert list(tmp_path.iterdir()) == []
    assert not AuditEvent.objects.filter(event_type=EventType.EXPORTED).exists()


def test_the_command_refuses_a_folder_for_out(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="is a folder") as raised:
        call_command("returns", "annex-a", "--as-at", "2026-11-30", "--out", str(tmp_path))
    assert raised.value.returncode == 2


def test_the_command_writes_the_workbook(tmp_path: Path, worker: User, team: Team) -> None:
    referral(child(worker, team), worker, D(2026, 7, 1))
    out = io.StringIO()

    call_command(
        "returns", "annex-a", "--as-at", "2026-11-30", "--out", str(tmp_path / "a.xlsx"),
        "--quiet", stdout=out,
    )  # fmt: skip

    assert "Wrote the Ofsted Annex A 2026-11-30 (as at 30 November 2026) for 1 children" in (
        out.getvalue()
    )
    assert openpyxl.load_workbook(tmp_path / "a.xlsx")["List 3"].max_row == 2


@pytest.mark.parametrize(
    "params",
    [
        Parameters(children=400, years=4, seed=7, as_at=AS_AT),
        # The demo authority (``caseline generate --demo-if-empty``) as at today.
        Parameters(DEMO_CHILDREN, DEMO_YEARS, DEMO_SEED, as_at=timezone.localdate()),
    ],
    ids=["400-children", "demo"],
)
def test_a_generated_authority_fills_every_list(tmp_path: Path, params: Parameters) -> None:
    """Every list has rows, and lists 10 and 11 hold at least the adoptions every generated
    authority has near its as-at date (``core.ADOPTIONS_DUE``): the decisions made in the
    twelve months, and the adopters of the children matched in them."""
    Builder(params).run()
    out = tmp_path / "annex.xlsx"

    produce_return(ANNEX_A, AsAtDate(params.as_at), out, acting_user=None)

    book = openpyxl.load_workbook(out, read_only=True)
    filled = {sheet.title: sum(1 for _ in sheet.iter_rows(min_row=2)) for sheet in book.worksheets}
    assert all(rows > 0 for rows in filled.values()), filled
    since = AsAtDate(params.as_at).twelve_months_start
    decided = AdoptionDecision.objects.filter(decided_on__range=(since, params.as_at))
    matched = decided.filter(matched_on__range=(since, params.as_at))
    assert decided.count() >= len(ADOPTIONS_DUE)
    assert matched.count() >= ADOPTIONS_DUE.count("placed")
    assert filled["List 10"] >= decided.count(), filled
    assert filled["List 11"] >= matched.count(), filled


@pytest.mark.django_db(transaction=True)
def test_the_analyst_produces_it_in_the_background_and_downloads_it(
    client: Client, make_user: Callable[..., User], settings: Settings, tmp_path: Path
) -> None:
    settings.CASELINE_RETURNS_DIR = tmp_path
    analyst = make_user(Role.ANALYST, username="analyst")
    worker = UserFactory.create()
    referral(child(worker, TeamFactory.create()), worker, D(2026, 7, 1))
    client.force_login(analyst)

    missing = client.post(reverse("returns:home"), {"return_slug": "annex-a"})
    assert missing.status_code == 400
    assert "Enter the date the Ofsted Annex A is as at" in missing.content.decode()

    response = client.post(
        reverse("returns:home"),
        {"return_slug": "annex-a", "as_at_day": "30", "as_at_month": "11", "as_at_year": "2026"},
    )
    assert response.status_code == 302
    run = ReturnRun.objects.get()
    assert (run.as_at, run.year) == (AS_AT, 2026)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    run.refresh_from_db()
    assert run.status == ReturnRun.Status.DONE, run.error
    assert run.files == ["annex_a_2026-11-30.xlsx"]
    assert run.rows["List 3"] == 1
    page = client.get(reverse("returns:run", args=[run.pk])).content.decode()
    assert "Ofsted Annex A as at 30 November 2026" in page
    assert "The six months to 30 November 2026" in page

    download = client.get(reverse("returns:download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith('filename="annex_a_2026-11-30.xlsx"')
    download.close()
    assert AuditEvent.objects.filter(
        event_type=EventType.EXPORTED, extra__export="annex-a 2026-11-30 download"
    ).exists()
    listed = client.get(reverse("returns:home")).content.decode()
    assert "as at 30 November 2026" in listed
