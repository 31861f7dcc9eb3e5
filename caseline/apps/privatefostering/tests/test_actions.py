"""Actions: what they write, the audit row, refusals, nothing partial."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Role
from caseline.apps.audit.models import AuditEvent
from caseline.apps.people.models import Person
from caseline.apps.privatefostering import actions
from caseline.apps.privatefostering.models import (
    Arrangement,
    ParticipationRecord,
    YoungCarerAssessment,
)

D = datetime.date


def notify(user: User, child: Person, **extra: object) -> Arrangement:
    fields: dict[str, object] = {
        "notified_on": D(2025, 3, 3),
        "notified_by": "professional",
        "notifier_name": "Head of Year 8",
        "carer_name": "Bea Okafor",
        "parent_name": "Chidi Okafor",
        "started_on": D(2025, 2, 1),
        **extra,
    }
    return actions.record_notification(acting_user=user, child=child, **fields)  # type: ignore[arg-type]


def test_notification_is_recorded_and_audited(worker: User, child: Person) -> None:
    arrangement = notify(worker, child)
    assert arrangement.carer_name == "Bea Okafor"
    event = AuditEvent.objects.get(event_type="privatefostering.notification-recorded")
    assert event.subject_person_id == child.pk
    assert event.new_values["notified_by"] == "professional"


def test_notification_refuses_bad_input_with_every_problem(worker: User, child: Person) -> None:
    with pytest.raises(ValidationError) as error:
        notify(worker, child, notified_on=D(2099, 1, 1), notified_by="cat", carer_name=" ")
    assert set(error.value.message_dict) == {"notified_on", "notified_by", "carer_name"}
    assert not Arrangement.objects.exists()


def test_a_second_open_arrangement_is_refused(worker: User, child: Person) -> None:
    notify(worker, child)
    with pytest.raises(ValidationError, match="already has an open"):
        notify(worker, child)


def test_front_door_worker_cannot_record_a_notification(
    make_user: Callable[..., User], child: Person
) -> None:
    with pytest.raises(PermissionDenied):
        notify(make_user(Role.FRONT_DOOR), child)


def test_visit_decision_and_end(worker: User, manager: User, child: Person) -> None:
    arrangement = notify(worker, child)
    with pytest.raises(ValidationError, match="Record the visit"):
        actions.record_decision(
            acting_user=manager,
            arrangement=arrangement,
            decision="suitable",
            decision_date=D(2025, 3, 20),
            decision_reasons="Safe and settled",
        )
    with pytest.raises(ValidationError) as error:
        actions.record_private_fostering_visit(
            acting_user=worker,
            arrangement=arrangement,
            visit_date=D(2025, 3, 1),
            child_seen=False,
            child_seen_alone=True,
            observations="",
        )
    assert set(error.value.message_dict) == {"visit_date", "child_seen_alone", "observations"}
    actions.record_private_fostering_visit(
        acting_user=worker,
        arrangement=arrangement,
        visit_date=D(2025, 3, 10),
        child_seen=True,
        child_seen_alone=True,
        observations="A tidy home; Ada has her own room.",
    )
    with pytest.raises(PermissionDenied):  # the decision is a manager's
        actions.record_decision(
            acting_user=worker,
            arrangement=arrangement,
            decision="suitable",
            decision_date=D(2025, 3, 20),
            decision_reasons="Safe and settled",
        )
    actions.record_decision(
        acting_user=manager,
        arrangement=arrangement,
        decision="suitable",
        decision_date=D(2025, 3, 20),
        decision_reasons="Safe and settled",
    )
    arrangement.refresh_from_db()
    assert (arrangement.decision, arrangement.decided_by) == ("suitable", manager)
    event = AuditEvent.objects.get(event_type="privatefostering.decision-recorded")
    assert event.old_values == {"decision": "", "decision_date": None}
    actions.end_arrangement(
        acting_user=worker, arrangement=arrangement, ended_on=D(2025, 7, 20), end_reason="Home"
    )
    with pytest.raises(ValidationError, match="already ended"):
        actions.end_arrangement(
            acting_user=worker, arrangement=arrangement, ended_on=D(2025, 7, 21), end_reason="x"
        )
    assert Arrangement.objects.get().ended_on == D(2025, 7, 20)


def test_young_carer_assessed_and_supported(worker: User, child: Person) -> None:
    assessment = actions.record_young_carer(
        acting_user=worker,
        child=child,
        identified_on=D(2025, 5, 1),
        cares_for="Mum",
        caring_role="Cooks, helps mum with her medication",
    )
    assert assessment.assessed_on is None
    with pytest.raises(ValidationError) as error:
        actions.complete_young_carer_assessment(
            acting_user=worker,
            assessment=assessment,
            assessed_on=D(2025, 4, 1),
            needs_support=True,
            outcome="",
        )
    assert set(error.value.message_dict) == {"assessed_on", "outcome"}
    actions.complete_young_carer_assessment(
        acting_user=worker,
        assessment=assessment,
        assessed_on=D(2025, 6, 2),
        needs_support=True,
        outcome="Needs a break and help at school",
    )
    actions.record_young_carer_support(
        acting_user=worker,
        assessment=assessment,
        support="Young carers' group",
        started_on=D(2025, 6, 9),
    )
    assessment = YoungCarerAssessment.objects.get()
    assert assessment.needs_support is True
    assert [s.support for s in assessment.support.all()] == ["Young carers' group"]
    assert AuditEvent.objects.filter(subject_person_id=child.pk).count() == 3


def test_participation_told_writes_a_row_per_subject(worker: User, child: Person) -> None:
    rows = actions.record_participation(
        acting_user=worker,
        child=child,
        kind="told",
        on=D(2025, 6, 1),
        subjects=["cicc", "complaints"],
    )
    assert [r.subject for r in rows] == ["cicc", "complaints"]
    with pytest.raises(ValidationError) as error:
        actions.record_participation(
            acting_user=worker, child=child, kind="advocacy-referral", on=D(2025, 6, 1)
        )
    assert set(error.value.message_dict) == {"who"}
    assert ParticipationRecord.objects.count() == 2
    assert (
        AuditEvent.objects.filter(event_type="privatefostering.participation-recorded").count() == 2
    )
