"""Reads for private fostering, young carers and participation. The child's visibility is
checked by the page (``ChildRecordMixin``); these helpers scope every lookup to the child."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.shortcuts import get_object_or_404

from caseline.apps.people.models import Person
from caseline.apps.privatefostering.derive import next_visit_rule
from caseline.apps.privatefostering.models import (
    Arrangement,
    ParticipationKind,
    ParticipationRecord,
    Told,
    YoungCarerAssessment,
)
from caseline.apps.privatefostering.timescales import ASSESSMENT_DECISION, FIRST_VISIT
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import Timeliness, assess_timeliness


def arrangements_of(person: Person) -> list[Arrangement]:
    """The child's private fostering arrangements, latest first, with their visits."""
    return list(
        Arrangement.objects.filter(person=person)
        .prefetch_related("visits")
        .order_by("-notified_on", "-id")
    )


def get_arrangement(person: Person, arrangement_id: int) -> Arrangement:
    """The child's arrangement ``arrangement_id`` (404 if it is not theirs)."""
    return get_object_or_404(
        Arrangement.objects.select_related("person"), pk=arrangement_id, person=person
    )


def get_young_carer_assessment(person: Person, assessment_id: int) -> YoungCarerAssessment:
    """The child's young carer's assessment ``assessment_id`` (404 if it is not theirs)."""
    return get_object_or_404(
        YoungCarerAssessment.objects.select_related("person"), pk=assessment_id, person=person
    )


@dataclass(frozen=True)
class ArrangementState:
    """What is due on one arrangement: the first visit's timeliness (met or not), the next
    visit and the decision, as at a date."""

    arrangement: Arrangement
    first_visit: Timeliness
    next_visit: Timeliness | None
    next_visit_title: str
    decision: Timeliness


def arrangement_state(arrangement: Arrangement, as_at: datetime.date) -> ArrangementState:
    """Timeliness of the arrangement's first visit, next visit and decision."""
    visits = sorted(v.visit_date for v in arrangement.visits.all())
    rules = rules_in_force([FIRST_VISIT.code, ASSESSMENT_DECISION.code])
    first = rules[FIRST_VISIT.code].due_date(arrangement.notified_on)
    first_visit = assess_timeliness(first, visits[0] if visits else None, as_at)
    next_visit = None
    title = ""
    if arrangement.ended_on is None and visits:
        rule, trigger = next_visit_rule(arrangement.notified_on, visits[-1])
        next_visit = assess_timeliness(rule.due_date(trigger), None, as_at)
        title = rule.title
    decision = assess_timeliness(
        rules[ASSESSMENT_DECISION.code].due_date(arrangement.notified_on),
        arrangement.decision_date,
        as_at,
    )
    return ArrangementState(arrangement, first_visit, next_visit, title, decision)


def young_carer_assessments_of(person: Person) -> list[YoungCarerAssessment]:
    """The child's young carer's assessments, latest first, with their support."""
    return list(
        YoungCarerAssessment.objects.filter(person=person)
        .prefetch_related("support")
        .order_by("-identified_on", "-id")
    )


@dataclass(frozen=True)
class Participation:
    """When the child was last told about each way of having a say (None: never recorded),
    and their advocacy referrals and independent visitor matches."""

    told: list[tuple[str, datetime.date | None]]
    referrals_and_matches: list[ParticipationRecord]

    @property
    def told_about_cicc(self) -> datetime.date | None:
        return dict(self.told).get(Told.CICC.label)


def participation_of(person: Person) -> Participation:
    """The child's participation, in two queries."""
    last = dict(
        ParticipationRecord.objects.filter(person=person, kind=ParticipationKind.TOLD)
        .values("subject")
        .annotate(last=Max("on"))
        .values_list("subject", "last")
    )
    told = [(choice.label, last.get(choice.value)) for choice in Told]
    others = list(
        ParticipationRecord.objects.filter(person=person)
        .exclude(kind=ParticipationKind.TOLD)
        .order_by("-on", "-id")
    )
    return Participation(told, others)
