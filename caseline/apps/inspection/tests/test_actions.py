"""The inspection app's actions: what each writes, what it refuses, who may, and the audit."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.access import user_can
from caseline.apps.inspection import actions
from caseline.apps.inspection.events import InspectionEvent
from caseline.apps.inspection.models import (
    ActionProgress,
    ImprovementArea,
    Inspection,
    Judgement,
    PlanAction,
    ReportImport,
)
from caseline.apps.inspection.reader import Framework, Grade, JudgementRead, Reading
from caseline.apps.inspection.tests.conftest import WIRRAL_2011

pytestmark = pytest.mark.django_db
D = datetime.date


def events(event_type: InspectionEvent) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


@pytest.mark.parametrize(
    ("role", "view", "manage"),
    [
        (Role.QA_LEAD, True, True),
        (Role.SENIOR_LEADER, True, True),
        (Role.TEAM_MANAGER, True, False),
        (Role.SOCIAL_WORKER, False, False),
        (Role.ANALYST, False, False),
        (Role.ADMINISTRATOR, False, False),
    ],
)
def test_who_may_view_and_manage(
    make_user: Callable[..., User], role: Role, view: bool, manage: bool
) -> None:
    user = make_user(role)
    assert user_can(user, Permission.INSPECTION_VIEW) is view
    assert user_can(user, Permission.INSPECTION_MANAGE) is manage


def test_import_keeps_the_reading_for_review_and_saves_no_inspection(qa_lead: User) -> None:
    report_import = actions.import_report(
        acting_user=qa_lead, file_name="wirral.txt", text=WIRRAL_2011.read_text(encoding="utf-8")
    )

    assert Inspection.objects.count() == 0
    assert report_import.reading["authority"] == "Wirral Metropolitan Borough Council"
    [event] = events(InspectionEvent.REPORT_IMPORTED)
    assert event.acting_user == qa_lead
    assert event.new_values["judgements"] == 22
    assert event.new_values["areas_for_improvement"] == 7
    assert event.new_values["flags"] == []


def test_confirming_saves_the_corrected_inspection_and_audits_the_corrections(
    qa_lead: User,
) -> None:
    report_import = actions.import_report(
        acting_user=qa_lead, file_name="wirral.txt", text=WIRRAL_2011.read_text(encoding="utf-8")
    )
    reading = Reading.from_json(report_import.reading)
    reading.authority = "Wirral Council"
    reading.judgements[-1] = JudgementRead(
        "Services for looked after children", "Equality and diversity", Grade.GOOD
    )

    inspection = actions.confirm_import(
        acting_user=qa_lead, report_import=report_import, reading=reading
    )

    assert inspection.authority == "Wirral Council"
    assert inspection.framework == Framework.SAFEGUARDING_LAC_2009
    assert (inspection.start_date, inspection.end_date) == (D(2011, 1, 24), D(2011, 2, 4))
    assert Judgement.objects.filter(inspection=inspection).count() == 22
    assert inspection.judgements.last().grade == Grade.GOOD  # type: ignore[union-attr]
    assert list(inspection.areas.values_list("timescale", flat=True)) == [
        "within three months",
        "within six months",
        "within six months",
        *["within three months"] * 4,
    ]
    report_import.refresh_from_db()
    assert report_import.inspection == inspection
    [event] = events(InspectionEvent.IMPORT_CONFIRMED)
    corrections = event.extra["corrections"]
    assert set(corrections) == {"authority", "judgements"}
    assert corrections["authority"] == {
        "read": "Wirral Metropolitan Borough Council",
        "confirmed": "Wirral Council",
    }
    assert corrections["judgements"]["read"][-1]["grade"] == "adequate"
    assert corrections["judgements"]["confirmed"][-1]["grade"] == "good"


def test_confirming_refuses_what_is_missing_or_wrong_and_writes_nothing(qa_lead: User) -> None:
    report_import = actions.import_report(
        acting_user=qa_lead, file_name="wirral.txt", text=WIRRAL_2011.read_text(encoding="utf-8")
    )
    reading = Reading.from_json(report_import.reading)
    reading.start_date = None
    reading.authority = " "
    reading.judgements[0] = JudgementRead("Safeguarding services", "Overall effectiveness", "")
    reading.judgements[1] = JudgementRead(
        "Safeguarding services", "Capacity for improvement", Grade.REQUIRES_IMPROVEMENT
    )

    with pytest.raises(ValidationError) as error:
        actions.confirm_import(acting_user=qa_lead, report_import=report_import, reading=reading)

    assert error.value.message_dict == {
        "authority": ["Enter the authority inspected"],
        "start_date": ["Enter the first day of the inspection"],
        "judgement_0_grade": ["Select a grade the framework uses for “Overall effectiveness”"],
        "judgement_1_grade": ["Select a grade the framework uses for “Capacity for improvement”"],
    }
    assert Inspection.objects.count() == 0
    assert events(InspectionEvent.IMPORT_CONFIRMED) == []


def test_an_import_is_confirmed_once(qa_lead: User) -> None:
    report_import = actions.import_report(
        acting_user=qa_lead, file_name="wirral.txt", text=WIRRAL_2011.read_text(encoding="utf-8")
    )
    reading = Reading.from_json(report_import.reading)
    actions.confirm_import(acting_user=qa_lead, report_import=report_import, reading=reading)

    with pytest.raises(ValidationError, match="already been confirmed"):
        actions.confirm_import(acting_user=qa_lead, report_import=report_import, reading=reading)
    assert Inspection.objects.count() == 1


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.SOCIAL_WORKER])
def test_only_managers_of_inspection_may_import(make_user: Callable[..., User], role: Role) -> None:
    with pytest.raises(PermissionDenied):
        actions.import_report(acting_user=make_user(role), file_name="x.txt", text="text")
    assert ReportImport.objects.count() == 0


def test_the_wirral_plan_is_entered_through_the_actions(wirral: Inspection, qa_lead: User) -> None:
    assert list(wirral.actions.values_list("number", flat=True)) == list(range(13, 57))
    assert wirral.areas.filter(kind=ImprovementArea.Kind.COUNCIL).count() == 1
    assert len(events(InspectionEvent.ACTION_ADDED)) == 44
    assert len(events(InspectionEvent.PROGRESS_RECORDED)) == 44
    action_16 = wirral.actions.get(number=16)
    assert action_16.area.text.startswith("Keep under review the capacity")


def test_an_action_number_is_used_once_per_plan(wirral: Inspection, qa_lead: User) -> None:
    area = wirral.areas.first()
    assert area is not None

    with pytest.raises(ValidationError) as error:
        actions.add_plan_action(
            acting_user=qa_lead,
            area=area,
            number=13,
            text="Another",
            owner="Head of service",
            target_date=D(2011, 10, 1),
            created_on=D(2011, 9, 1),
        )

    assert error.value.message_dict == {"number": ["The plan already has an action 13"]}


def test_an_action_cannot_enter_the_plan_before_the_inspection(
    wirral: Inspection, qa_lead: User
) -> None:
    area = wirral.areas.first()
    assert area is not None
    with pytest.raises(ValidationError) as error:
        actions.add_plan_action(
            acting_user=qa_lead,
            area=area,
            number=57,
            text="Early",
            owner="",
            target_date=D(2010, 12, 1),
            created_on=D(2011, 1, 1),
        )
    assert error.value.message_dict == {
        "owner": ["Enter who owns the action"],
        "created_on": ["The action cannot enter the plan before the inspection began"],
        "target_date": ["The target date must be on or after the day it entered the plan"],
    }


def test_progress_needs_something_and_a_revision_needs_its_reason(
    wirral: Inspection, qa_lead: User
) -> None:
    action = wirral.actions.get(number=31)
    with pytest.raises(ValidationError) as error:
        actions.record_progress(acting_user=qa_lead, action=action, entry_date=D(2011, 9, 5))
    assert error.value.messages == ["Enter a status, a progress note or a revised target date"]

    with pytest.raises(ValidationError) as error:
        actions.record_progress(
            acting_user=qa_lead,
            action=action,
            entry_date=D(2011, 9, 5),
            revised_target_date=D(2011, 12, 1),
        )
    assert error.value.message_dict == {
        "revision_reason": ["Enter why the target date was revised"]
    }
    assert action.progress.count() == 1


def test_progress_is_dated_and_audited(wirral: Inspection, qa_lead: User) -> None:
    action = wirral.actions.get(number=31)
    entry = actions.record_progress(
        acting_user=qa_lead,
        action=action,
        entry_date=D(2011, 10, 3),
        status=PlanAction.Status.DELAYED,
        note="College places not yet confirmed",
        revised_target_date=D(2011, 12, 1),
        revision_reason="Waiting for the college",
    )

    assert ActionProgress.objects.filter(action=action).count() == 2
    event = events(InspectionEvent.PROGRESS_RECORDED)[-1]
    assert event.target_id == str(entry.pk)
    assert event.new_values == {
        "action": action.pk,
        "entry_date": "2011-10-03",
        "status": "delayed",
        "note": "College places not yet confirmed",
        "revised_target_date": "2011-12-01",
        "revision_reason": "Waiting for the college",
    }


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/audit.pdf", True),
        ("/returns/", True),
        ("//example.org/audit", False),
        ("javascript:alert(1)", False),
        ("", False),
    ],
)
def test_evidence_links_are_web_addresses_or_caseline_pages(
    wirral: Inspection, qa_lead: User, url: str, ok: bool
) -> None:
    action = wirral.actions.get(number=13)
    if ok:
        link = actions.add_evidence(
            acting_user=qa_lead, action=action, title="Audit of assessments", url=url
        )
        assert link.action == action
        assert events(InspectionEvent.EVIDENCE_ADDED)[-1].new_values["url"] == url
    else:
        with pytest.raises(ValidationError):
            actions.add_evidence(
                acting_user=qa_lead, action=action, title="Audit of assessments", url=url
            )
        assert action.evidence.count() == 0


def _inadequate_2016(qa_lead: User) -> Inspection:
    """Wirral's 2016 inspection as the 2018 letter speaks of it: judged inadequate in September
    2016, help and protection inadequate. The letter gives the month only: the days and the
    other judgements are the test's."""
    inspection = Inspection.objects.create(
        framework=Framework.SIF,
        authority="Wirral",
        start_date=D(2016, 9, 5),
        end_date=D(2016, 9, 29),
        recorded_by=qa_lead,
    )
    Judgement.objects.create(
        inspection=inspection, position=0, area="Overall effectiveness", grade=Grade.INADEQUATE
    )
    Judgement.objects.create(
        inspection=inspection,
        position=1,
        area="Children who need help and protection",
        grade=Grade.INADEQUATE,
    )
    return inspection


def test_the_2018_monitoring_visit_is_recorded_with_findings_linked_to_actions(
    qa_lead: User,
) -> None:
    inspection = _inadequate_2016(qa_lead)
    area = actions.add_area(
        acting_user=qa_lead,
        inspection=inspection,
        kind=ImprovementArea.Kind.AREA,
        text="Strategy meetings to include health professionals",
    )
    action = actions.add_plan_action(
        acting_user=qa_lead,
        area=area,
        number=1,
        text="Agree health attendance at strategy meetings with the partners",
        owner="Head of safeguarding",
        target_date=D(2018, 12, 31),
        created_on=D(2016, 12, 1),
    )

    visit = actions.record_monitoring_visit(
        acting_user=qa_lead,
        inspection=inspection,
        start_date=D(2018, 9, 4),
        end_date=D(2018, 9, 5),
        letter_date=D(2018, 9, 27),
        inspectors="Sheena Doyle and Shabana Abasi, Her Majesty's Inspectors",
        areas_examined=(
            "Thresholds for safeguarding referrals; the timeliness of statutory intervention; "
            "thresholds for convening child protection conferences; the effectiveness of "
            "child protection plans since April 2018"
        ),
        summary="The seventh monitoring visit since the inadequate judgement of September 2016.",
    )
    finding = actions.record_visit_finding(
        acting_user=qa_lead,
        visit=visit,
        area="Strategy meetings",
        finding="Most strategy meetings lack information or attendance from health.",
        actions=[action],
    )

    assert list(finding.actions.all()) == [action]
    assert list(action.visit_findings.all()) == [finding]
    assert events(InspectionEvent.VISIT_RECORDED)[0].new_values["start_date"] == "2018-09-04"
    assert events(InspectionEvent.FINDING_RECORDED)[0].new_values["actions"] == [1]


def test_monitoring_visits_follow_only_an_inadequate_judgement(
    wirral: Inspection, qa_lead: User
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_monitoring_visit(
            acting_user=qa_lead,
            inspection=wirral,
            start_date=D(2011, 6, 1),
            end_date=D(2011, 6, 2),
            areas_examined="Assessments",
        )
    assert error.value.messages == [
        "Monitoring visits follow an inspection with a judgement of inadequate: this one has none"
    ]


def test_a_finding_links_only_actions_of_its_own_plan(wirral: Inspection, qa_lead: User) -> None:
    inspection = _inadequate_2016(qa_lead)
    visit = actions.record_monitoring_visit(
        acting_user=qa_lead,
        inspection=inspection,
        start_date=D(2018, 9, 4),
        end_date=D(2018, 9, 5),
        areas_examined="Thresholds",
    )
    with pytest.raises(ValidationError) as error:
        actions.record_visit_finding(
            acting_user=qa_lead,
            visit=visit,
            area="Thresholds",
            finding="Appropriate",
            actions=[wirral.actions.get(number=13)],
        )
    assert error.value.message_dict == {
        "actions": ["Link only actions of the plan that follows this inspection"]
    }


def test_the_self_evaluation_by_ilacs_judgement_area(qa_lead: User) -> None:
    evaluation = actions.start_self_evaluation(
        acting_user=qa_lead, title="Self-evaluation 2026", as_at=D(2026, 3, 31)
    )
    area = "The experiences and progress of children who need help and protection"
    entry = actions.record_self_evaluation_entry(
        acting_user=qa_lead,
        self_evaluation=evaluation,
        judgement_area=area,
        what_we_know="Strategy meetings are timely in 92% of cases",
        how_we_know="Monthly performance report; audit round of March",
        what_we_are_doing="Weekly review of late strategy meetings",
    )
    link = actions.add_evidence(
        acting_user=qa_lead, entry=entry, title="Audit round, March", url="/inspection/"
    )
    again = actions.record_self_evaluation_entry(
        acting_user=qa_lead,
        self_evaluation=evaluation,
        judgement_area=area,
        what_we_know="Strategy meetings are timely in 95% of cases",
    )

    assert again.pk == entry.pk
    assert list(evaluation.entries.values_list("what_we_know", flat=True)) == [
        "Strategy meetings are timely in 95% of cases"
    ]
    assert link.entry == entry
    last = events(InspectionEvent.SELF_EVALUATION_ENTRY_RECORDED)[-1]
    assert last.old_values["what_we_know"] == "Strategy meetings are timely in 92% of cases"
    with pytest.raises(ValidationError):
        actions.record_self_evaluation_entry(
            acting_user=qa_lead,
            self_evaluation=evaluation,
            judgement_area="Being healthy",
            what_we_know="x",
        )
