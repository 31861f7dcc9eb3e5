"""Retention's writes: list what has reached its date, approve its destruction, hold it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.people.models import Person
from caseline.apps.retention import destruction, queries
from caseline.apps.retention.events import RetentionEvent
from caseline.apps.retention.models import LegalHold, RetentionReview
from caseline.apps.retention.schedule import governing_rule

REASON_LIMIT = 2000


@dataclass(frozen=True)
class ReviewRun:
    """What the daily review did: reviews listed, reviews withdrawn, records held back."""

    listed: int
    withdrawn: int
    held: int


@transaction.atomic(durable=True)
def list_due_records(*, as_at: datetime.date) -> ReviewRun:
    """The daily job: list for review every record whose retention has ended and that no
    hold stops, and withdraw reviews no longer due (a hold placed, a new record that keeps
    it longer). The system acts; each listing is audited with the rule, never content."""
    falling = queries.falling_due(as_at, as_at)
    open_by_person = {r.subject_person_id: r for r in queries.open_reviews()}
    due_now = {f.person_id: f for f in falling if not f.held}
    listed = 0
    for person_id, found in due_now.items():
        if person_id in open_by_person:
            continue
        review = RetentionReview.objects.create(
            subject_person_id=person_id,
            rule_code=found.governing.rule.code,
            rule_version=found.governing.rule.version,
            keep_until=found.governing.keep_until,
            listed_on=as_at,
        )
        record_event(
            acting_user=None,
            event_type=RetentionEvent.REVIEW_LISTED,
            target=review,
            subject_person_id=person_id,
            new_values={"rule": review.rule_code, "keep_until": review.keep_until},
        )
        listed += 1
    withdrawn = 0
    for person_id, review in open_by_person.items():
        if person_id in due_now:
            continue
        review.status = RetentionReview.Status.WITHDRAWN
        review.save(update_fields=["status"])
        record_event(
            acting_user=None,
            event_type=RetentionEvent.REVIEW_WITHDRAWN,
            target=review,
            subject_person_id=person_id,
            new_values={"status": review.status},
        )
        withdrawn += 1
    return ReviewRun(listed=listed, withdrawn=withdrawn, held=len(falling) - len(due_now))


@transaction.atomic(durable=True)
def approve_destruction(
    *, acting_user: User, review: RetentionReview, as_at: datetime.date | None = None
) -> RetentionReview:
    """Destroy the record a review lists, in this one transaction: every row of it, the
    audit trail's content about it, keeping the review (the rule, the date, who approved,
    rows per table) and one audit event saying so. Refused if a hold stops it or the
    schedule no longer finds it due."""
    require_permission(acting_user, Permission.RETENTION_APPROVE)
    day = as_at or timezone.localdate()
    review = RetentionReview.objects.select_for_update().get(pk=review.pk)
    person_id = review.subject_person_id
    checks = Checks()
    checks.check(
        review.status == RetentionReview.Status.DUE,
        None,
        f"This review is {review.get_status_display().lower()}: there is nothing to approve",
    )
    checks.raise_if_any()
    hold = (
        LegalHold.objects.filter(person_id=person_id, lifted_at__isnull=True)
        .order_by("placed_at")
        .first()
    )
    if hold is not None:
        raise ValidationError(
            f"A legal hold placed on {timezone.localtime(hold.placed_at):%-d %B %Y} stops "
            "destruction: lift it first if it no longer applies"
        )
    facts = queries.facts_for([person_id]).get(person_id)
    governing = governing_rule(facts, day) if facts is not None else None
    if governing is None or governing.keep_until > day:
        until = f"until {governing.keep_until:%-d %B %Y}" if governing else "with no date"
        raise ValidationError(
            f"The schedule now keeps this record {until}: it is not due for destruction"
        )
    found = destruction.find_record(person_id)
    erased = destruction.destroy(found)
    review.status = RetentionReview.Status.DESTROYED
    review.decided_by = acting_user
    review.decided_at = timezone.now()
    review.rule_code = governing.rule.code
    review.rule_version = governing.rule.version
    review.keep_until = governing.keep_until
    review.rows_destroyed = found.counts()
    review.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "rule_code",
            "rule_version",
            "keep_until",
            "rows_destroyed",
        ]
    )
    record_event(
        acting_user=acting_user,
        event_type=RetentionEvent.RECORD_DESTROYED,
        target=review,
        subject_person_id=person_id,
        new_values={
            "rule": review.rule_code,
            "rule_version": review.rule_version,
            "keep_until": review.keep_until,
            "rows_destroyed": review.rows_destroyed,
            "audit_events_erased": erased,
        },
    )
    return review


@transaction.atomic(durable=True)
def place_hold(*, acting_user: User, person: Person, reason: str) -> LegalHold:
    """Stop the destruction of a child's record until the hold is lifted."""
    require_permission(acting_user, Permission.RETENTION_APPROVE)
    checks = Checks()
    reason = reason.strip()
    checks.required("reason", reason, "Enter why the record must be kept")
    checks.check(
        len(reason) <= REASON_LIMIT,
        "reason",
        f"The reason must be {REASON_LIMIT} characters or fewer",
    )
    checks.raise_if_any()
    hold = LegalHold.objects.create(person=person, reason=reason, placed_by=acting_user)
    record_event(
        acting_user=acting_user,
        event_type=RetentionEvent.HOLD_PLACED,
        target=hold,
        subject_person_id=person.pk,
        new_values={"reason": reason},
    )
    return hold


@transaction.atomic(durable=True)
def lift_hold(*, acting_user: User, hold: LegalHold, reason: str) -> LegalHold:
    """Lift a legal hold, saying why; the record falls due again at the next daily review."""
    require_permission(acting_user, Permission.RETENTION_APPROVE)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    checks = Checks()
    reason = reason.strip()
    checks.check(hold.lifted_at is None, None, "This hold has already been lifted")
    checks.required("reason", reason, "Enter why the hold can be lifted")
    checks.check(
        len(reason) <= REASON_LIMIT,
        "reason",
        f"The reason must be {REASON_LIMIT} characters or fewer",
    )
    checks.raise_if_any()
    hold.lifted_by = acting_user
    hold.lifted_at = timezone.now()
    hold.lift_reason = reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    record_event(
        acting_user=acting_user,
        event_type=RetentionEvent.HOLD_LIFTED,
        target=hold,
        subject_person_id=hold.person_id,
        new_values={"lift_reason": reason},
    )
    return hold
