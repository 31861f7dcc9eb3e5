"""Every write for private fostering, young carers and participation: audited, permission
first, nothing partial."""

from __future__ import annotations

import datetime

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.privatefostering.events import PrivateFosteringEvent
from caseline.apps.privatefostering.models import (
    SCORES,
    AgeGroup,
    Arrangement,
    ArrangementVisit,
    CouncilMeeting,
    CouncilMember,
    Decision,
    Notifier,
    ParticipationKind,
    ParticipationRecord,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    Told,
    YoungCarerAssessment,
    YoungCarerSupport,
)

# --- Private fostering ------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_notification(
    *,
    acting_user: User,
    child: Person,
    notified_on: datetime.date,
    notified_by: str,
    carer_name: str,
    notifier_name: str = "",
    proposed: bool = False,
    started_on: datetime.date | None = None,
    carer_address: str = "",
    carer_relationship: str = "",
    parent_name: str = "",
    parent_address: str = "",
    reason: str = "",
) -> Arrangement:
    """Record that the authority was told of a private fostering arrangement (or a proposed
    one). The first visit falls due from ``notified_on``."""
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    checks = Checks()
    checks.happened("notified_on", notified_on, "The date of the notification", child=child)
    checks.check(notified_by in Notifier.values, "notified_by", "Select who notified us")
    checks.required("carer_name", carer_name.strip(), "Enter the private foster carer's name")
    if proposed:
        checks.planned("started_on", started_on, "The date it is to begin", child=child)
    else:
        checks.happened("started_on", started_on, "The date the arrangement began", child=child)
    if Arrangement.objects.filter(person=child, ended_on__isnull=True).exists():
        checks.add(
            None,
            "This child already has an open private fostering arrangement. End it before "
            "recording a new one",
        )
    checks.raise_if_any()
    arrangement = Arrangement.objects.create(
        person=child,
        notified_on=notified_on,
        notified_by=notified_by,
        notifier_name=notifier_name.strip(),
        proposed=proposed,
        started_on=started_on,
        carer_name=carer_name.strip(),
        carer_address=carer_address.strip(),
        carer_relationship=carer_relationship.strip(),
        parent_name=parent_name.strip(),
        parent_address=parent_address.strip(),
        reason=reason.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.NOTIFICATION_RECORDED,
        target=arrangement,
        subject_person_id=child.pk,
        new_values=snapshot(
            arrangement, ["notified_on", "notified_by", "proposed", "started_on", "carer_name"]
        ),
    )
    return arrangement


@transaction.atomic(durable=True)
def record_private_fostering_visit(
    *,
    acting_user: User,
    arrangement: Arrangement,
    visit_date: datetime.date,
    child_seen: bool,
    child_seen_alone: bool,
    observations: str,
    child_views: str = "",
) -> ArrangementVisit:
    """Record a visit to a privately fostered child (regulations 4, 7 and 8)."""
    require_permission(acting_user, Permission.VISIT_RECORD)
    child = arrangement.person
    checks = Checks()
    checks.happened("visit_date", visit_date, "The visit date", child=child)
    if (
        checks.check(
            visit_date >= arrangement.notified_on,
            "visit_date",
            "The visit date must be on or after the date we were notified",
        )
        and arrangement.ended_on is not None
    ):
        checks.check(
            visit_date <= arrangement.ended_on,
            "visit_date",
            "The visit date must be on or before the date the arrangement ended",
        )
    checks.check(
        child_seen or not child_seen_alone,
        "child_seen_alone",
        "The child cannot have been seen alone if they were not seen. Change one of the answers",
    )
    checks.required("observations", observations.strip(), "Enter what you observed")
    checks.raise_if_any()
    visit = ArrangementVisit.objects.create(
        arrangement=arrangement,
        person=child,
        visit_date=visit_date,
        child_seen=child_seen,
        child_seen_alone=child_seen_alone,
        observations=observations.strip(),
        child_views=child_views.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.VISIT_RECORDED,
        target=visit,
        subject_person_id=child.pk,
        new_values=snapshot(visit, ["visit_date", "child_seen", "child_seen_alone"]),
    )
    return visit


@transaction.atomic(durable=True)
def record_decision(
    *,
    acting_user: User,
    arrangement: Arrangement,
    decision: str,
    decision_date: datetime.date,
    decision_reasons: str,
) -> Arrangement:
    """Record the manager's decision on the suitability of the arrangement, after the
    assessment (at least one visit)."""
    require_permission(acting_user, Permission.ASSESSMENT_AUTHORISE)
    checks = Checks()
    checks.check(decision in Decision.values, "decision", "Select the decision")
    checks.happened("decision_date", decision_date, "The decision date", child=arrangement.person)
    checks.check(
        decision_date >= arrangement.notified_on,
        "decision_date",
        "The decision date must be on or after the date we were notified",
    )
    checks.required("decision_reasons", decision_reasons.strip(), "Enter the reasons")
    checks.check(
        arrangement.decision == "",
        None,
        "A decision is already recorded for this arrangement",
    )
    checks.check(
        arrangement.visits.exists(),
        None,
        "Record the visit to the child and the carer's home before the decision",
    )
    checks.raise_if_any()
    old = snapshot(arrangement, ["decision", "decision_date"])
    arrangement.decision = decision
    arrangement.decision_date = decision_date
    arrangement.decision_reasons = decision_reasons.strip()
    arrangement.decided_by = acting_user
    arrangement.save(update_fields=["decision", "decision_date", "decision_reasons", "decided_by"])
    old_values, new_values = changed_values(
        old, snapshot(arrangement, ["decision", "decision_date"])
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.DECISION_RECORDED,
        target=arrangement,
        subject_person_id=arrangement.person_id,
        old_values=old_values,
        new_values=new_values,
    )
    return arrangement


@transaction.atomic(durable=True)
def end_arrangement(
    *, acting_user: User, arrangement: Arrangement, ended_on: datetime.date, end_reason: str
) -> Arrangement:
    """End the arrangement (regulation 10 notification, or the child going home, turning 16
    (18 if disabled), or becoming looked after). No more visits fall due."""
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    checks = Checks()
    checks.check(arrangement.ended_on is None, None, "This arrangement has already ended")
    checks.happened("ended_on", ended_on, "The end date", child=arrangement.person)
    checks.check(
        ended_on >= arrangement.notified_on,
        "ended_on",
        "The end date must be on or after the date we were notified",
    )
    checks.required("end_reason", end_reason.strip(), "Enter why the arrangement ended")
    checks.raise_if_any()
    arrangement.ended_on = ended_on
    arrangement.end_reason = end_reason.strip()
    arrangement.save(update_fields=["ended_on", "end_reason"])
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.ARRANGEMENT_ENDED,
        target=arrangement,
        subject_person_id=arrangement.person_id,
        new_values=snapshot(arrangement, ["ended_on"]),
    )
    return arrangement


# --- Young carers -----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_young_carer(
    *,
    acting_user: User,
    child: Person,
    identified_on: datetime.date,
    cares_for: str,
    caring_role: str,
    assessed_on: datetime.date | None = None,
    needs_support: bool | None = None,
    outcome: str = "",
) -> YoungCarerAssessment:
    """Record a young carer identified, and their needs assessment if it is done (s.17ZA)."""
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    checks = Checks()
    checks.happened("identified_on", identified_on, "The date identified", child=child)
    checks.required("cares_for", cares_for.strip(), "Enter who the child cares for")
    checks.required("caring_role", caring_role.strip(), "Enter what the child does as a carer")
    if assessed_on is not None:
        checks.happened("assessed_on", assessed_on, "The assessment date", child=child)
        checks.check(
            assessed_on >= identified_on,
            "assessed_on",
            "The assessment date must be on or after the date identified",
        )
        checks.check(
            needs_support is not None,
            "needs_support",
            "Select whether the assessment found needs for support",
        )
        checks.required("outcome", outcome.strip(), "Enter the outcome of the assessment")
    checks.raise_if_any()
    assessment = YoungCarerAssessment.objects.create(
        person=child,
        identified_on=identified_on,
        cares_for=cares_for.strip(),
        caring_role=caring_role.strip(),
        assessed_on=assessed_on,
        needs_support=needs_support if assessed_on else None,
        outcome=outcome.strip() if assessed_on else "",
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.YOUNG_CARER_ASSESSED,
        target=assessment,
        subject_person_id=child.pk,
        new_values=snapshot(assessment, ["identified_on", "assessed_on", "needs_support"]),
    )
    return assessment


@transaction.atomic(durable=True)
def complete_young_carer_assessment(
    *,
    acting_user: User,
    assessment: YoungCarerAssessment,
    assessed_on: datetime.date,
    needs_support: bool,
    outcome: str,
) -> YoungCarerAssessment:
    """Record that the needs assessment of a young carer already identified is done."""
    require_permission(acting_user, Permission.ASSESSMENT_RECORD)
    checks = Checks()
    checks.check(assessment.assessed_on is None, None, "This assessment is already done")
    checks.happened("assessed_on", assessed_on, "The assessment date", child=assessment.person)
    checks.check(
        assessed_on >= assessment.identified_on,
        "assessed_on",
        "The assessment date must be on or after the date identified",
    )
    checks.required("outcome", outcome.strip(), "Enter the outcome of the assessment")
    checks.raise_if_any()
    assessment.assessed_on = assessed_on
    assessment.needs_support = needs_support
    assessment.outcome = outcome.strip()
    assessment.save(update_fields=["assessed_on", "needs_support", "outcome"])
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.YOUNG_CARER_ASSESSED,
        target=assessment,
        subject_person_id=assessment.person_id,
        new_values=snapshot(assessment, ["assessed_on", "needs_support"]),
    )
    return assessment


@transaction.atomic(durable=True)
def record_young_carer_support(
    *,
    acting_user: User,
    assessment: YoungCarerAssessment,
    support: str,
    started_on: datetime.date,
    provider: str = "",
) -> YoungCarerSupport:
    """Record support given to a young carer after their assessment."""
    require_permission(acting_user, Permission.PLAN_RECORD)
    checks = Checks()
    checks.required("support", support.strip(), "Enter the support given")
    checks.happened("started_on", started_on, "The start date", child=assessment.person)
    checks.raise_if_any()
    row = YoungCarerSupport.objects.create(
        assessment=assessment,
        person=assessment.person,
        support=support.strip(),
        provider=provider.strip(),
        started_on=started_on,
        recorded_by=acting_user,
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.YOUNG_CARER_SUPPORT_RECORDED,
        target=row,
        subject_person_id=assessment.person_id,
        new_values=snapshot(row, ["support", "started_on"]),
    )
    return row


# --- Participation ----------------------------------------------------------------------------


@transaction.atomic(durable=True)
def record_participation(
    *,
    acting_user: User,
    child: Person,
    kind: str,
    on: datetime.date,
    subjects: list[str] | None = None,
    who: str = "",
    note: str = "",
) -> list[ParticipationRecord]:
    """Record that the child was told about one or more ways of having a say, was referred
    for advocacy, or was matched with an independent visitor: one row for each."""
    require_permission(acting_user, Permission.CARE_RECORD)
    return add_participation(
        acting_user=acting_user,
        child=child,
        kind=kind,
        on=on,
        subjects=subjects,
        who=who,
        note=note,
    )


def add_participation(
    *,
    acting_user: User,
    child: Person,
    kind: str,
    on: datetime.date,
    subjects: list[str] | None = None,
    who: str = "",
    note: str = "",
) -> list[ParticipationRecord]:
    """:func:`record_participation`'s checks and rows, for an action that has checked its own
    permission and holds the transaction (a visit or a review at which the child was told)."""
    checks = Checks()
    checks.check(kind in ParticipationKind.values, "kind", "Select what happened")
    checks.happened("on", on, "The date", child=child)
    told = kind == ParticipationKind.TOLD
    subjects = subjects or []
    if told:
        checks.check(
            bool(subjects) and all(s in Told.values for s in subjects),
            "subjects",
            "Select what the child was told about",
        )
    else:
        checks.required("who", who.strip(), "Enter the advocacy service or independent visitor")
    checks.raise_if_any()
    rows = [
        ParticipationRecord.objects.create(
            person=child,
            kind=kind,
            subject=subject,
            on=on,
            who=who.strip(),
            note=note.strip(),
            recorded_by=acting_user,
        )
        for subject in (subjects if told else [""])
    ]
    for row in rows:
        record_event(
            acting_user=acting_user,
            event_type=PrivateFosteringEvent.PARTICIPATION_RECORDED,
            target=row,
            subject_person_id=child.pk,
            new_values=snapshot(row, ["kind", "subject", "on"]),
        )
    return rows


# --- Surveys of children's views and the Children in Care Council --------------------------


@transaction.atomic(durable=True)
def create_survey(
    *, acting_user: User, title: str, opened_on: datetime.date, questions: list[str]
) -> Survey:
    """A survey and its questions (one a line), each answered on a five-point scale."""
    require_permission(acting_user, Permission.PARTICIPATION_MANAGE)
    checks = Checks()
    checks.required("title", title.strip(), "Enter the survey's title")
    checks.happened("opened_on", opened_on, "The date the survey opened")
    texts = [q.strip() for q in questions if q.strip()]
    checks.check(bool(texts), "questions", "Enter at least one question")
    checks.check(all(len(t) <= 300 for t in texts), "questions", "Keep each question short")
    checks.raise_if_any()
    survey = Survey.objects.create(title=title.strip(), opened_on=opened_on, created_by=acting_user)
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, number=n, text=text) for n, text in enumerate(texts, 1)
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.SURVEY_CREATED,
        target=survey,
        new_values={"title": survey.title, "opened_on": opened_on, "questions": len(texts)},
    )
    return survey


@transaction.atomic(durable=True)
def record_survey_response(
    *,
    acting_user: User,
    survey: Survey,
    responded_on: datetime.date,
    age_group: str,
    scores: dict[int, int],
) -> SurveyResponse:
    """One child's answers, by question id; anonymous (the age group, not the child)."""
    require_permission(acting_user, Permission.PARTICIPATION_MANAGE)
    questions = {q.pk for q in survey.questions.all()}
    checks = Checks()
    checks.happened("responded_on", responded_on, "The date of the response")
    checks.check(
        responded_on is None or responded_on >= survey.opened_on,
        "responded_on",
        "The response must be on or after the day the survey opened",
    )
    checks.check(age_group in AgeGroup.values, "age_group", "Select the child's age group")
    valid = {score for score, _ in SCORES}
    checks.check(
        bool(scores) and set(scores) <= questions and set(scores.values()) <= valid,
        None,
        "Answer at least one question, each from 1 to 5",
    )
    checks.raise_if_any()
    response = SurveyResponse.objects.create(
        survey=survey, responded_on=responded_on, age_group=age_group, recorded_by=acting_user
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question_id=q, score=score)
        for q, score in sorted(scores.items())
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.SURVEY_RESPONSE_RECORDED,
        target=response,
        new_values={"survey": survey.pk, "age_group": age_group, "answers": len(scores)},
    )
    return response


@transaction.atomic(durable=True)
def record_what_changed(
    *,
    acting_user: User,
    survey: Survey,
    what_changed: str,
    closed_on: datetime.date | None = None,
) -> Survey:
    """What changed as a result of the survey, and the day it closed."""
    require_permission(acting_user, Permission.PARTICIPATION_MANAGE)
    checks = Checks()
    checks.required("what_changed", what_changed.strip(), "Enter what changed as a result")
    checks.happened("closed_on", closed_on, "The date the survey closed")
    checks.check(
        closed_on is None or closed_on >= survey.opened_on,
        "closed_on",
        "The survey cannot close before it opened",
    )
    checks.raise_if_any()
    old = snapshot(survey, ["what_changed", "closed_on"])
    survey.what_changed = what_changed.strip()
    survey.closed_on = closed_on
    survey.save(update_fields=["what_changed", "closed_on"])
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.SURVEY_CHANGES_RECORDED,
        target=survey,
        old_values=old,
        new_values=snapshot(survey, ["what_changed", "closed_on"]),
    )
    return survey


@transaction.atomic(durable=True)
def add_council_member(
    *, acting_user: User, child: Person, joined_on: datetime.date
) -> CouncilMember:
    """A child or care leaver joins the Children in Care Council (recorded only where the
    council agreed that membership is recorded)."""
    require_permission(acting_user, Permission.PARTICIPATION_MANAGE)
    checks = Checks()
    checks.happened("joined_on", joined_on, "The date they joined", child=child)
    checks.check(
        not CouncilMember.objects.filter(person=child, left_on__isnull=True).exists(),
        None,
        f"{child.given_name} is already a member",
    )
    checks.raise_if_any()
    member = CouncilMember.objects.create(
        person=child, joined_on=joined_on, recorded_by=acting_user
    )
    record_event(
        acting_user=acting_user,
        event_type=PrivateFosteringEvent.COUNCIL_MEMBER_ADDED,
        target=member,
        subject_person_id=child.pk,
        new_values={"joined_on": joined_on},
    )
    return member


@transaction.atomic(durable=True)
def record_council_meeting(
    *,
    acting_user: User,
    meeting_on: datetime.date,
    attended: list[CouncilMember],
    notes: str = "",
) -> CouncilMeeting:
    """A meeting of the Children in Care Council and the members who attended."""
    require_permission(acting_user, Permission.PARTICIPATION_MANAGE)
    checks = Checks()
    checks.happened("meeting_on", meeting_on, "The date of the meeting")
    checks.check(
        all(m.joined_on <= meeting_on and (m.left_on is None or m.left_on >= meeting_on)
            for m in attended),
        "attended",
        "Only members on the day of the meeting can have attended",
    )  # fmt: skip
    checks.raise_if_any()
    meeting = CouncilMeeting.objects.create(
        meeting_on=meeting_on, notes=notes.strip(), recorded_by=acting_user
    )
    meeting.attended.set(attended)
    for member in attended:
        record_event(
            acting_user=acting_user,
            event_type=PrivateFosteringEvent.COUNCIL_MEETING_RECORDED,
            target=meeting,
            subject_person_id=member.person_id,
            new_values={"meeting_on": meeting_on},
        )
    if not attended:
        record_event(
            acting_user=acting_user,
            event_type=PrivateFosteringEvent.COUNCIL_MEETING_RECORDED,
            target=meeting,
            new_values={"meeting_on": meeting_on},
        )
    return meeting
