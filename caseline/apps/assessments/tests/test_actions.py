"""Starting, saving, submitting, returning and authorising an assessment."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Role
from caseline.apps.assessments import actions
from caseline.apps.assessments.checks import is_placeholder_views
from caseline.apps.assessments.events import AssessmentEvent
from caseline.apps.assessments.models import Assessment, AssessmentReturn
from caseline.apps.assessments.tests.conftest import (
    COMMENT,
    COMPLETE,
    ON_TIME,
    REFERRAL_DATE,
    START_DATE,
    fill,
)
from caseline.apps.audit.models import AuditEvent
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.models import Person

pytestmark = pytest.mark.django_db


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- Starting ----------------------------------------------------------------------------


def test_start_links_the_open_referral_and_audits(
    assessment: Assessment, child: Person, worker: User
) -> None:
    assert assessment.referral == Referral.objects.get(person=child)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.version == 1
    event = AuditEvent.objects.get(event_type=AssessmentEvent.STARTED)
    assert event.subject_person_id == child.pk
    assert event.acting_user == worker
    assert event.new_values["start_date"] == "2025-01-07"


def test_start_needs_an_open_referral(worker: User) -> None:
    person = Person.objects.create(given_name="Noor", family_name="Testchild")
    with pytest.raises(ValidationError) as error:
        actions.start_assessment(acting_user=worker, child=person, start_date=START_DATE)
    assert "has no open referral" in messages_of(error)["start_date"][0]
    assert not Assessment.objects.exists()


def test_start_before_the_referral_or_in_the_future_is_refused(worker: User, child: Person) -> None:
    with pytest.raises(ValidationError) as error:
        actions.start_assessment(
            acting_user=worker, child=child, start_date=REFERRAL_DATE - datetime.timedelta(1)
        )
    assert messages_of(error)["start_date"] == [
        "The start date must be on or after the referral date (6 January 2025) "
        "(CIN census rule 1103)"
    ]
    with pytest.raises(ValidationError) as error:
        actions.start_assessment(
            acting_user=worker, child=child, start_date=datetime.date(2999, 1, 1)
        )
    assert messages_of(error)["start_date"] == ["The start date must be today or in the past"]


def test_a_second_open_assessment_is_refused(
    assessment: Assessment, worker: User, child: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.start_assessment(acting_user=worker, child=child, start_date=START_DATE)
    assert "already has an assessment in progress" in messages_of(error)["start_date"][0]


# --- Saving ------------------------------------------------------------------------------


def test_save_writes_the_sections_bumps_the_version_and_audits_changes(
    assessment: Assessment, worker: User
) -> None:
    saved = fill(assessment, worker, factors=["4B", "3B", "4B"])
    saved.refresh_from_db()
    assert saved.version == 2
    assert saved.analysis == COMPLETE["analysis"]
    assert saved.factors == ["3B", "4B"]
    event = AuditEvent.objects.get(event_type=AssessmentEvent.SAVED)
    assert event.old_values["analysis"] == ""
    assert event.new_values["analysis"] == COMPLETE["analysis"]
    assert "start_date" not in event.new_values  # unchanged values are not repeated


def test_a_stale_version_is_refused_and_nothing_is_written(
    assessment: Assessment, worker: User
) -> None:
    fill(assessment, worker)
    with pytest.raises(EditConflict, match="changed by someone else"):
        actions.save_assessment(
            acting_user=worker,
            assessment=assessment,
            read_version=1,
            values={"analysis": "Overwrites the other save"},
        )
    assessment.refresh_from_db()
    assert assessment.analysis == COMPLETE["analysis"]
    assert AuditEvent.objects.filter(event_type=AssessmentEvent.SAVED).count() == 1


@pytest.mark.parametrize(
    "text",
    [
        "Too young",
        "too young.",
        "N/A",
        "n/a - child too young",
        "Not applicable",
        "Child is too young to give views",
        "Baby too young to express their views due to age",
        "NA",
    ],
)
def test_too_young_is_not_the_childs_views(assessment: Assessment, worker: User, text: str) -> None:
    assert is_placeholder_views(text)
    with pytest.raises(ValidationError) as error:
        fill(assessment, worker, child_views=text)
    assert "not that they are too young" in messages_of(error)["child_views"][0]
    assessment.refresh_from_db()
    assert assessment.child_views == ""


@pytest.mark.parametrize(
    "text",
    [
        "Observed Kai (8 months) with mum: he settled quickly when she picked him up.",
        "Too young to talk, so I watched her play: she went to her grandmother for comfort.",
        "",
    ],
)
def test_real_views_and_observations_are_accepted(text: str) -> None:
    assert not is_placeholder_views(text)


def test_factor_21_cannot_be_combined_and_unknown_codes_are_refused(
    assessment: Assessment, worker: User
) -> None:
    with pytest.raises(ValidationError) as error:
        fill(assessment, worker, factors=["21", "3B"])
    assert messages_of(error)["factors"] == [
        "21 (no factors identified) cannot be chosen with any other factor (CIN census rule 8869)"
    ]
    with pytest.raises(ValidationError) as error:
        fill(assessment, worker, factors=["99Z", "18A"])
    # 18A was retired in 2020-21, before this assessment's year.
    assert messages_of(error)["factors"] == [
        "18A, 99Z cannot be used as an assessment factor in this year"
    ]


def test_inconsistent_child_seen_answers_are_refused(assessment: Assessment, worker: User) -> None:
    with pytest.raises(ValidationError) as error:
        fill(
            assessment,
            worker,
            child_seen=False,
            child_seen_alone=True,
            date_child_seen=datetime.date(2999, 1, 1),
            child_views_method="telepathy",
            outcome="maybe",
        )
    errors = messages_of(error)
    assert errors["child_seen_alone"] == [
        "The child cannot have been seen alone if they were not seen"
    ]
    assert errors["date_child_seen"] == [
        "Leave the date the child was seen empty if they were not seen",
        "The date the child was seen must be today or in the past",
    ]
    assert errors["child_views_method"] == ["Choose how the child's views were gathered"]
    assert errors["outcome"] == ["Choose the outcome of the assessment"]


def test_save_refuses_fields_that_are_not_content(assessment: Assessment, worker: User) -> None:
    with pytest.raises(ValueError, match="status"):
        actions.save_assessment(
            acting_user=worker, assessment=assessment, read_version=1, values={"status": "x"}
        )


def test_a_submitted_assessment_cannot_be_changed(submitted: Assessment, worker: User) -> None:
    with pytest.raises(ValidationError, match="cannot change an assessment that is submitted"):
        actions.save_assessment(
            acting_user=worker,
            assessment=submitted,
            read_version=submitted.version,
            values={"analysis": "Later thoughts"},
        )


# --- Submitting and returning ------------------------------------------------------------


def test_submit_records_who_and_when(assessment: Assessment, worker: User) -> None:
    fill(assessment, worker)
    done = actions.submit_assessment(acting_user=worker, assessment=assessment)
    done.refresh_from_db()
    assert done.status == Assessment.Status.SUBMITTED
    assert done.submitted_by == worker
    assert done.submitted_at is not None
    assert done.version == 3
    event = AuditEvent.objects.get(event_type=AssessmentEvent.SUBMITTED)
    assert event.old_values["status"] == "draft"
    assert event.new_values["status"] == "submitted"


def test_wrong_states_are_refused(
    submitted: Assessment, worker: User, manager: User, assessment: Assessment
) -> None:
    with pytest.raises(ValidationError, match="cannot submit an assessment that is submitted"):
        actions.submit_assessment(acting_user=worker, assessment=submitted)
    draft = Assessment.objects.get(pk=submitted.pk)
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.DRAFT)
    with pytest.raises(ValidationError, match="cannot authorise an assessment that is draft"):
        actions.authorise_assessment(
            acting_user=manager,
            assessment=draft,
            authorised_on=ON_TIME,
            manager_comment=COMMENT,
        )
    with pytest.raises(ValidationError, match="cannot return an assessment that is draft"):
        actions.return_assessment(acting_user=manager, assessment=draft, reasons="Why")
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.AUTHORISED)
    for act in (
        lambda: actions.submit_assessment(acting_user=worker, assessment=draft),
        lambda: actions.return_assessment(acting_user=manager, assessment=draft, reasons="Why"),
        lambda: actions.authorise_assessment(
            acting_user=manager,
            assessment=draft,
            authorised_on=ON_TIME,
            manager_comment=COMMENT,
        ),
    ):
        with pytest.raises(ValidationError, match="that is authorised"):
            act()


def test_return_needs_reasons_then_keeps_history(
    submitted: Assessment, worker: User, manager: User
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.return_assessment(acting_user=manager, assessment=submitted, reasons="  ")
    assert messages_of(error)["reasons"] == ["Enter why you are returning the assessment"]
    returned = actions.return_assessment(
        acting_user=manager, assessment=submitted, reasons="Add the father's views."
    )
    assert returned.status == Assessment.Status.RETURNED
    history = AssessmentReturn.objects.get(assessment=submitted)
    assert (history.returned_by, history.reasons) == (manager, "Add the father's views.")
    event = AuditEvent.objects.get(event_type=AssessmentEvent.RETURNED)
    assert event.extra["reasons"] == "Add the father's views."
    assert event.subject_person_id == submitted.person_id
    # The worker can change it and submit it again.
    fill(returned, worker, parents_views="Dad, seen at his flat, wants weekly contact.")
    again = actions.submit_assessment(acting_user=worker, assessment=returned)
    assert again.status == Assessment.Status.SUBMITTED


def test_a_worker_cannot_return_or_authorise(submitted: Assessment, worker: User) -> None:
    # Refused by the permission check every action makes first (it was a ValidationError).
    with pytest.raises(PermissionDenied, match="authorise or return assessments"):
        actions.return_assessment(acting_user=worker, assessment=submitted, reasons="x")
    with pytest.raises(PermissionDenied, match="authorise or return assessments"):
        actions.authorise_assessment(
            acting_user=worker,
            assessment=submitted,
            authorised_on=ON_TIME,
            manager_comment=COMMENT,
        )


# --- Authorising -------------------------------------------------------------------------


def test_authorise_a_complete_assessment(submitted: Assessment, manager: User) -> None:
    done = actions.authorise_assessment(
        acting_user=manager,
        assessment=submitted,
        authorised_on=ON_TIME,
        manager_comment=COMMENT,
    )
    done.refresh_from_db()
    assert (done.status, done.authorised_on, done.authorised_by) == (
        Assessment.Status.AUTHORISED,
        ON_TIME,
        manager,
    )
    event = AuditEvent.objects.get(event_type=AssessmentEvent.AUTHORISED)
    assert event.new_values["authorised_on"] == "2025-02-03"
    assert event.new_values["authorised_by"] == manager.pk
    assert event.subject_person_id == submitted.person_id


def test_authorising_records_the_managers_comment(submitted: Assessment, manager: User) -> None:
    # Management oversight of the decision: a date and a late reason were all it recorded.
    with pytest.raises(ValidationError) as error:
        actions.authorise_assessment(
            acting_user=manager, assessment=submitted, authorised_on=ON_TIME, manager_comment=" "
        )
    assert messages_of(error) == {
        "manager_comment": ["Enter your comment on the assessment and its decision"]
    }
    done = actions.authorise_assessment(
        acting_user=manager,
        assessment=submitted,
        authorised_on=ON_TIME,
        manager_comment=f"  {COMMENT}\n",
    )
    done.refresh_from_db()
    assert done.manager_comment == COMMENT
    event = AuditEvent.objects.get(event_type=AssessmentEvent.AUTHORISED)
    assert event.old_values["manager_comment"] == ""
    assert event.new_values["manager_comment"] == COMMENT


def _submitted_before_the_rule(
    assessment: Assessment, worker: User, **blanked: object
) -> Assessment:
    """An assessment submitted, then missing ``blanked`` (as one submitted before submitting
    needed every section would be): the manager's authorisation checks again."""
    fill(assessment, worker)
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    Assessment.objects.filter(pk=assessment.pk).update(**blanked)
    return Assessment.objects.get(pk=assessment.pk)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"risk_factors": ""}, "risk_factors", "Record the risks and concerns"),
        (
            {"protective_factors": " "},
            "protective_factors",
            "Record the strengths and protective factors",
        ),
        ({"child_views": ""}, "child_views", "Record the child's views and wishes"),
        (
            {"child_views_method": ""},
            "child_views_method",
            "Record how the child's views were gathered",
        ),
        (
            {"child_views_method": Assessment.ViewsMethod.OTHER},
            "child_views_method_other",
            "Describe how the child's views were gathered",
        ),
        ({"analysis": ""}, "analysis", "Record the analysis"),
        ({"outcome": ""}, "outcome", "Record the outcome of the assessment"),
        (
            {"factors": []},
            "factors",
            "Record the factors identified at assessment (choose 21 if there are none)",
        ),
    ],
)
def test_submit_and_authorise_are_refused_for_each_missing_part(
    assessment: Assessment,
    worker: User,
    manager: User,
    overrides: dict[str, object],
    field: str,
    message: str,
) -> None:
    # One list of what an assessment must hold, checked when it is submitted (an empty one
    # could be submitted, with its seven missing sections listed beside the button)...
    fill(assessment, worker, **overrides)
    with pytest.raises(ValidationError) as refused:
        actions.submit_assessment(acting_user=worker, assessment=assessment)
    assert messages_of(refused) == {field: [message]}
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert not AuditEvent.objects.filter(event_type=AssessmentEvent.SUBMITTED).exists()
    # ... and again when it is authorised.
    assessment = _submitted_before_the_rule(assessment, worker, **overrides)
    with pytest.raises(ValidationError) as error:
        actions.authorise_assessment(
            acting_user=manager,
            assessment=assessment,
            authorised_on=ON_TIME,
            manager_comment=COMMENT,
        )
    assert messages_of(error) == {field: [message]}
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert not AuditEvent.objects.filter(event_type=AssessmentEvent.AUTHORISED).exists()


def test_no_factors_code_satisfies_the_factor_check(
    assessment: Assessment, worker: User, manager: User
) -> None:
    fill(assessment, worker, factors=["21"], outcome=Assessment.Outcome.NO_FURTHER_ACTION)
    actions.submit_assessment(acting_user=worker, assessment=assessment)
    done = actions.authorise_assessment(
        acting_user=manager,
        assessment=assessment,
        authorised_on=ON_TIME,
        manager_comment=COMMENT,
    )
    assert done.factors == ["21"]


SEVEN_SECTIONS = {
    "child_views",
    "child_views_method",
    "risk_factors",
    "protective_factors",
    "analysis",
    "outcome",
    "factors",
}


def test_every_missing_part_is_named_at_once(
    assessment: Assessment, worker: User, manager: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.submit_assessment(acting_user=worker, assessment=assessment)
    assert set(messages_of(refused)) == SEVEN_SECTIONS
    empty = dict.fromkeys(SEVEN_SECTIONS - {"factors"}, "")
    assessment = _submitted_before_the_rule(assessment, worker, factors=[], **empty)
    with pytest.raises(ValidationError) as error:
        actions.authorise_assessment(
            acting_user=manager,
            assessment=assessment,
            authorised_on=ON_TIME,
            manager_comment=COMMENT,
        )
    assert set(messages_of(error)) == SEVEN_SECTIONS


def test_a_manager_cannot_authorise_their_own_assessment(
    manager: User, child: Person, make_user: Callable[..., User], team: Team
) -> None:
    own = actions.start_assessment(acting_user=manager, child=child, start_date=START_DATE)
    fill(own, manager)
    actions.submit_assessment(acting_user=manager, assessment=own)
    with pytest.raises(ValidationError, match="cannot authorise an assessment you wrote"):
        actions.authorise_assessment(
            acting_user=manager,
            assessment=own,
            authorised_on=ON_TIME,
            manager_comment=COMMENT,
        )
    other = make_user(Role.TEAM_MANAGER, team=team)
    assert (
        actions.authorise_assessment(
            acting_user=other,
            assessment=own,
            authorised_on=ON_TIME,
            manager_comment=COMMENT,
        ).status
        == Assessment.Status.AUTHORISED
    )


def test_authorisation_date_must_be_real(submitted: Assessment, manager: User) -> None:
    with pytest.raises(ValidationError) as error:
        actions.authorise_assessment(
            acting_user=manager,
            assessment=submitted,
            authorised_on=datetime.date(2999, 1, 1),
            manager_comment=COMMENT,
        )
    assert messages_of(error)["authorised_on"] == [
        "The authorisation date must be today or in the past"
    ]
    with pytest.raises(ValidationError) as error:
        actions.authorise_assessment(
            acting_user=manager,
            assessment=submitted,
            authorised_on=REFERRAL_DATE,
            manager_comment=COMMENT,
        )
    assert messages_of(error)["authorised_on"] == [
        "The authorisation date must be on or after the start date (7 January 2025)"
    ]


def test_late_reason_is_required_past_45_working_days(submitted: Assessment, manager: User) -> None:
    # Referral 6 January 2025: day 45 is Monday 10 March 2025.
    with pytest.raises(ValidationError) as error:
        actions.authorise_assessment(
            acting_user=manager,
            assessment=submitted,
            authorised_on=datetime.date(2025, 3, 11),
            manager_comment=COMMENT,
        )
    assert messages_of(error) == {
        "late_reason": [
            "Record why the assessment took longer than 45 working days from the referral"
        ]
    }
    # On the due day itself no reason is needed.
    done = actions.authorise_assessment(
        acting_user=manager,
        assessment=submitted,
        authorised_on=datetime.date(2025, 3, 10),
        manager_comment=COMMENT,
    )
    assert done.late_reason == ""


def test_late_reason_given_at_authorisation_is_saved(submitted: Assessment, manager: User) -> None:
    done = actions.authorise_assessment(
        acting_user=manager,
        assessment=submitted,
        authorised_on=datetime.date(2025, 3, 11),
        late_reason="Father was in hospital; seen on his discharge.",
        manager_comment=COMMENT,
    )
    done.refresh_from_db()
    assert done.late_reason == "Father was in hospital; seen on his discharge."
    event = AuditEvent.objects.get(event_type=AssessmentEvent.AUTHORISED)
    assert event.new_values["late_reason"] == "Father was in hospital; seen on his discharge."


# --- Completed in another system (an SSD import) -----------------------------------------

ELSEWHERE = "Not in the SSD extract imported from Mosaic."


def _elsewhere(user: User, child: Person, authorised_on: datetime.date) -> Assessment:
    return actions.record_completed_elsewhere(
        acting_user=user,
        child=child,
        start_date=START_DATE,
        authorised_on=authorised_on,
        child_seen=True,
        outcome=Assessment.Outcome.CIN_PLAN,
        factors=["3A", "2B"],
        not_carried=ELSEWHERE,
    )


def test_a_completed_assessment_from_elsewhere_says_where_its_sections_are(
    manager: User, child: Person
) -> None:
    assessment = _elsewhere(manager, child, ON_TIME)
    assert assessment.status == Assessment.Status.AUTHORISED
    assert (assessment.authorised_on, assessment.authorised_by) == (ON_TIME, None)
    assert assessment.factors == ["2B", "3A"]
    assert {assessment.child_views, assessment.analysis, assessment.manager_comment} == {ELSEWHERE}
    assert assessment.late_reason == ""
    event = AuditEvent.objects.get(event_type=AssessmentEvent.IMPORTED_COMPLETED)
    assert event.subject_person_id == child.pk
    assert not AuditEvent.objects.filter(event_type=AssessmentEvent.AUTHORISED).exists()


def test_a_late_one_says_the_reason_is_elsewhere_and_the_dates_are_checked(
    manager: User, child: Person
) -> None:
    late = _elsewhere(manager, child, START_DATE + datetime.timedelta(days=120))
    assert late.late_reason == ELSEWHERE
    with pytest.raises(ValidationError) as error:
        _elsewhere(manager, child, START_DATE - datetime.timedelta(days=1))
    assert "on or after the start date" in messages_of(error)["authorised_on"][0]


def test_recording_one_needs_the_permission_to_authorise(worker: User, child: Person) -> None:
    with pytest.raises(PermissionDenied):
        _elsewhere(worker, child, ON_TIME)
    assert not Assessment.objects.exists()
