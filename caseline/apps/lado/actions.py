"""Every write about allegations: each audited, refused without ``LADO_MANAGE``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Model

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import changed_values, record_event, snapshot
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lado.events import LadoEvent
from caseline.apps.lado.models import (
    Allegation,
    AllegationChild,
    Outcome,
    Sector,
    Source,
    StrategyMeeting,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import visible_among

_ALLEGATION_FIELDS = [
    "received_date",
    "source",
    "sector",
    "officer",
]


def _audit(
    acting_user: User,
    event: LadoEvent,
    allegation: Allegation,
    target: Model,
    new_values: dict[str, object],
    old_values: dict[str, object] | None = None,
) -> None:
    """One audit row for each child the allegation names (each child's record holds it)."""
    child_ids: list[int | None] = list(allegation.children.values_list("person_id", flat=True)) or [
        None
    ]
    for person_id in child_ids:
        record_event(
            acting_user=acting_user,
            event_type=event,
            target=target,
            subject_person_id=person_id,
            old_values=old_values,
            new_values=new_values,
        )


@transaction.atomic(durable=True)
def record_allegation(
    *,
    acting_user: User,
    received_date: datetime.date | None,
    source: str,
    adult_name: str,
    adult_employer: str,
    adult_role: str,
    sector: str,
    what_was_alleged: str,
    child_ids: Sequence[int],
) -> Allegation:
    """Record an allegation the designated officer has received; they hold it."""
    require_permission(acting_user, Permission.LADO_MANAGE)
    checks = Checks()
    checks.required("received_date", received_date, "Enter the date the allegation was received")
    checks.happened("received_date", received_date, "The date received")
    checks.check(source in Source.values, "source", "Select how the allegation came in")
    checks.required("adult_name", adult_name, "Enter the adult's name")
    checks.required("adult_employer", adult_employer, "Enter the adult's employer")
    checks.required("adult_role", adult_role, "Enter the adult's role")
    checks.check(sector in Sector.values, "sector", "Select the sector the adult works in")
    checks.required("what_was_alleged", what_was_alleged, "Enter what was alleged")
    ids = sorted(set(child_ids))
    if not ids:
        checks.add("child_ids", "Enter the record number of at least one child")
    else:
        found = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
        seen = visible_among(acting_user, found)
        missing = [str(i) for i in ids if i not in seen]
        if missing:
            checks.add(
                "child_ids", f"No child you may see has the record number {', '.join(missing)}"
            )
    checks.raise_if_any()
    assert received_date is not None
    allegation = Allegation.objects.create(
        received_date=received_date,
        source=source,
        adult_name=adult_name.strip(),
        adult_employer=adult_employer.strip(),
        adult_role=adult_role.strip(),
        sector=sector,
        what_was_alleged=what_was_alleged.strip(),
        officer=acting_user,
        recorded_by=acting_user,
    )
    AllegationChild.objects.bulk_create(
        AllegationChild(allegation=allegation, person_id=i) for i in ids
    )
    # The adult's name is not copied into the audit trail, which others may read.
    _audit(
        acting_user,
        LadoEvent.ALLEGATION_RECORDED,
        allegation,
        allegation,
        {**snapshot(allegation, _ALLEGATION_FIELDS), "children": ids},
    )
    return allegation


@transaction.atomic(durable=True)
def record_initial_consideration(
    *,
    acting_user: User,
    allegation: Allegation,
    consideration_date: datetime.date | None,
    threshold_met: bool | None,
    notes: str = "",
) -> Allegation:
    """Record the designated officer's initial consideration: is the threshold met?"""
    require_permission(acting_user, Permission.LADO_MANAGE)
    checks = Checks()
    checks.required(
        "consideration_date", consideration_date, "Enter the date of the initial consideration"
    )
    checks.happened("consideration_date", consideration_date, "The initial consideration date")
    if consideration_date and consideration_date < allegation.received_date:
        checks.add(
            "consideration_date",
            "The initial consideration must be on or after the date the allegation was received",
        )
    checks.required("threshold_met", threshold_met, "Select whether the threshold is met")
    checks.raise_if_any()
    before = snapshot(allegation, ["initial_consideration_date", "threshold_met"])
    allegation.initial_consideration_date = consideration_date
    allegation.threshold_met = threshold_met
    allegation.initial_consideration_notes = notes.strip()
    allegation.save(
        update_fields=["initial_consideration_date", "threshold_met", "initial_consideration_notes"]
    )
    old, new = changed_values(
        before, snapshot(allegation, ["initial_consideration_date", "threshold_met"])
    )
    _audit(acting_user, LadoEvent.INITIAL_CONSIDERATION_RECORDED, allegation, allegation, new, old)
    return allegation


@transaction.atomic(durable=True)
def record_strategy_meeting(
    *,
    acting_user: User,
    allegation: Allegation,
    meeting_date: datetime.date | None,
    attendees: str,
    decisions: str,
) -> StrategyMeeting:
    """Record a strategy (allegation management) meeting and who attended it."""
    require_permission(acting_user, Permission.LADO_MANAGE)
    checks = Checks()
    checks.required("meeting_date", meeting_date, "Enter the date of the meeting")
    checks.happened("meeting_date", meeting_date, "The meeting date")
    if meeting_date and meeting_date < allegation.received_date:
        checks.add(
            "meeting_date",
            "The meeting must be on or after the date the allegation was received",
        )
    checks.required("attendees", attendees, "Enter who attended")
    checks.required("decisions", decisions, "Enter what the meeting decided")
    checks.raise_if_any()
    assert meeting_date is not None
    meeting = StrategyMeeting.objects.create(
        allegation=allegation,
        meeting_date=meeting_date,
        attendees=attendees.strip(),
        decisions=decisions.strip(),
        recorded_by=acting_user,
    )
    _audit(
        acting_user,
        LadoEvent.STRATEGY_MEETING_RECORDED,
        allegation,
        meeting,
        snapshot(meeting, ["allegation", "meeting_date"]),
    )
    return meeting


@transaction.atomic(durable=True)
def record_outcome(
    *,
    acting_user: User,
    allegation: Allegation,
    police_action: str,
    employer_action: str,
    outcome: str,
    outcome_date: datetime.date | None,
) -> Allegation:
    """Record the police and employer actions and the outcome, which closes the allegation."""
    require_permission(acting_user, Permission.LADO_MANAGE)
    checks = Checks()
    checks.check(outcome in Outcome.values, "outcome", "Select the outcome")
    checks.required("outcome_date", outcome_date, "Enter the date of the outcome")
    checks.happened("outcome_date", outcome_date, "The outcome date")
    if outcome_date and outcome_date < allegation.received_date:
        checks.add(
            "outcome_date",
            "The outcome date must be on or after the date the allegation was received",
        )
    if allegation.initial_consideration_date is None:
        checks.add(None, "Record the initial consideration before the outcome")
    checks.raise_if_any()
    fields = ["police_action", "employer_action", "outcome", "outcome_date"]
    before = snapshot(allegation, ["outcome", "outcome_date"])
    allegation.police_action = police_action.strip()
    allegation.employer_action = employer_action.strip()
    allegation.outcome = outcome
    allegation.outcome_date = outcome_date
    allegation.save(update_fields=fields)
    old, new = changed_values(before, snapshot(allegation, ["outcome", "outcome_date"]))
    _audit(acting_user, LadoEvent.OUTCOME_RECORDED, allegation, allegation, new, old)
    return allegation
