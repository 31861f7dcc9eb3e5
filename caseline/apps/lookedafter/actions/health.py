"""Health and education: health assessments and checks, and personal education plans."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks, RowRefused
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.actions.common import (
    lock,
    looked_after_on,
    periods_of,
    record_many,
    record_new,
)
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import HealthRecord, PersonalEducationPlan
from caseline.apps.people.models import Person
from caseline.apps.returns.rules.ssda903_health import (
    SDQ_MAX,
    SDQ_OUT_OF_AGE_RANGE,
    SSDA903Rule157,
    SSDA903Rule158,
    SSDA903Rule159,
    SSDA903Rule180,
    SSDA903Rule192,
    SSDA903Rule193,
    SSDA903Rule197a,
    SSDA903Rule542,
    SSDA903Rule546,
)


@dataclass(frozen=True)
class HealthEvent:
    """What a health record says, as given to :func:`record_health` (and checked)."""

    kind: str
    event_date: datetime.date
    immunisations_up_to_date: bool | None = None
    sdq_score: int | None = None
    sdq_reason: str = ""
    substance_misuse: bool | None = None
    intervention_received: bool | None = None
    intervention_offered: bool | None = None
    health_plan: str = ""
    notes: str = ""


def _check_sdq(checks: Checks, event: HealthEvent, child: Person) -> None:
    """A questionnaire has a score (0 to 40) or a reason for none, never both (903 rules 180,
    196, 197a); SDQ1 only for a child outside its ages (rule 157). No other record has
    either."""
    score, reason = event.sdq_score, event.sdq_reason
    if event.kind != HealthRecord.Kind.SDQ:
        checks.check(
            score is None,
            "sdq_score",
            "Only a strengths and difficulties questionnaire has a score",
        )
        checks.check(
            not reason,
            "sdq_reason",
            "Only a strengths and difficulties questionnaire has a reason for no score",
        )
        return
    day, name = event.event_date, child.given_name
    if score is not None and reason:
        SSDA903Rule197a.check(
            checks,
            "sdq_reason",
            broken=SSDA903Rule197a.breaks(score=score, reason=reason),
            on=day,
            explain="Give the SDQ score or why there is none, not both",
        )
    elif score is not None:
        SSDA903Rule180.check(
            checks,
            "sdq_score",
            broken=SSDA903Rule180.breaks(score=score),
            on=day,
            explain=f"The SDQ score must be between 0 and {SDQ_MAX}",
        )
    elif not reason:
        checks.add("sdq_score", "Enter the SDQ score, or select why there is none")
    elif (
        checks.code(
            "sdq_reason", CodeListName.SDQ_REASON, reason, on=day, what="reason for no SDQ score"
        )
        and reason == SDQ_OUT_OF_AGE_RANGE
        and child.date_of_birth is not None
        and day >= child.date_of_birth
    ):
        SSDA903Rule157.check(
            checks,
            "sdq_reason",
            broken=SSDA903Rule157.breaks(reason=reason, born=child.date_of_birth, on=day),
            on=day,
            explain=f"SDQ1 is for a child under 4 or over 16, and {name} was "
            f"{child.age_on(day)}: choose another reason",
        )


def _check_substance_misuse(checks: Checks, event: HealthEvent, child: Person) -> None:
    """Where substance misuse was identified, whether an intervention was received, and if
    not, whether one was offered (903 rules 158, 159, 192); neither where it was not (193)."""
    received, offered = event.intervention_received, event.intervention_offered
    if event.kind == HealthRecord.Kind.SUBSTANCE_MISUSE:
        checks.check(
            event.substance_misuse is not False,
            "substance_misuse",
            "A record of substance misuse says it was identified: select yes",
        )
    elif not event.substance_misuse:
        SSDA903Rule193.check(
            checks,
            "intervention_received",
            broken=SSDA903Rule193.breaks(
                substance_misuse=event.substance_misuse, received=received, offered=offered
            ),
            on=event.event_date,
            explain="An intervention is recorded only where substance misuse was identified",
        )
        return
    name, day = child.given_name, event.event_date
    if not SSDA903Rule192.check(
        checks,
        "intervention_received",
        broken=SSDA903Rule192.breaks(substance_misuse=True, received=received),
        on=day,
        explain=f"Select whether {name} received an intervention for substance misuse",
    ):
        return
    SSDA903Rule158.check(
        checks,
        "intervention_offered",
        broken=SSDA903Rule158.breaks(received=received, offered=offered),
        on=day,
        explain=f"Leave whether an intervention was offered blank: {name} received one",
    )
    SSDA903Rule159.check(
        checks,
        "intervention_offered",
        broken=SSDA903Rule159.breaks(received=received, offered=offered),
        on=day,
        explain=f"Select whether {name} was offered an intervention they did not take up",
    )


def _check_age(checks: Checks, event: HealthEvent, child: Person) -> None:
    """A development check only under 5 (903 rule 546); a conviction only from 10 (542)."""
    born, day = child.date_of_birth, event.event_date
    if born is None or day < born or checks.has("event_date"):
        return
    name, age = child.given_name, child.age_on(day)
    if event.kind == HealthRecord.Kind.DEVELOPMENT:
        SSDA903Rule546.check(
            checks,
            "event_date",
            broken=SSDA903Rule546.breaks(born=born, checked_on=day),
            on=day,
            explain=f"A development check is for a child under 5, and {name} was {age} on that "
            "date",
        )
    if event.kind == HealthRecord.Kind.CONVICTION:
        SSDA903Rule542.check(
            checks,
            "event_date",
            broken=SSDA903Rule542.breaks(born=born, convicted_on=day),
            on=day,
            explain=f"{name} was {age} on that date: no child under 10 can be convicted",
        )


def _check_health(checks: Checks, event: HealthEvent, child: Person) -> None:
    """What each kind of health record needs: a score or a reason for an SDQ (and only for
    one), an answer for immunisations, a plan from a health assessment, what a conviction was
    for, the intervention for substance misuse, and an age that fits a development check or a
    conviction."""
    kind = event.kind
    if not checks.check(kind in HealthRecord.Kind.values, "kind", "Select what is being recorded"):
        return
    _check_sdq(checks, event, child)
    if kind == HealthRecord.Kind.IMMUNISATIONS:
        checks.required(
            "immunisations_up_to_date",
            event.immunisations_up_to_date,
            "Select whether immunisations are up to date",
        )
    if kind in derive.HEALTH_ASSESSMENTS:
        checks.required(
            "health_plan", event.health_plan, "Enter the health plan from the assessment"
        )
    if kind == HealthRecord.Kind.CONVICTION:
        checks.required("notes", event.notes, "Enter what the conviction was for")
    _check_substance_misuse(checks, event, child)
    _check_age(checks, event, child)


class HealthRefused(RowRefused):
    """One of the records given to ``record_health_records`` was refused: ``index`` says
    which (the messages are its own, keyed by field as ``record_health`` keys them)."""


@transaction.atomic(durable=True)
def record_health(
    *,
    acting_user: User,
    child: Person,
    kind: str,
    event_date: datetime.date,
    immunisations_up_to_date: bool | None = None,
    sdq_score: int | None = None,
    sdq_reason: str = "",
    substance_misuse: bool | None = None,
    intervention_received: bool | None = None,
    intervention_offered: bool | None = None,
    health_plan: str = "",
    notes: str = "",
) -> HealthRecord:
    """A health event while looked after: a health assessment, dental, immunisations or
    development check, an SDQ (or why there is none), a conviction, or substance misuse
    identified and the intervention for it (the 903 OC2 columns)."""
    event = HealthEvent(
        kind=kind,
        event_date=event_date,
        immunisations_up_to_date=immunisations_up_to_date,
        sdq_score=sdq_score,
        sdq_reason=sdq_reason,
        substance_misuse=substance_misuse,
        intervention_received=intervention_received,
        intervention_offered=intervention_offered,
        health_plan=health_plan,
        notes=notes,
    )
    try:
        return _record_health(acting_user=acting_user, child=child, events=[event])[0]
    except HealthRefused as refused:
        raise ValidationError(refused.error_dict) from None


@transaction.atomic(durable=True)
def record_health_records(
    *, acting_user: User, child: Person, events: Sequence[HealthEvent]
) -> list[HealthRecord]:
    """Record several health events of the child at once (a bulk import), each checked and
    audited as ``record_health`` does; ``HealthRefused`` names the first refused, and none is
    kept."""
    return _record_health(acting_user=acting_user, child=child, events=events)


def _record_health(
    *, acting_user: User, child: Person, events: Sequence[HealthEvent]
) -> list[HealthRecord]:
    """The events checked against one read of the child's periods of care, inserted together
    and audited. Substance misuse is identified by a record of it, unless it says otherwise."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    periods = periods_of(child)
    events = [
        replace(event, substance_misuse=True)
        if event.kind == HealthRecord.Kind.SUBSTANCE_MISUSE and event.substance_misuse is None
        else event
        for event in events
    ]
    for index, event in enumerate(events):
        checks = Checks()
        checks.happened("event_date", event.event_date, "The date", child=child)
        _check_health(checks, event, child)
        looked_after_on(checks, child, event.event_date, "event_date", "The date", periods=periods)
        try:
            checks.raise_if_any()
        except ValidationError as error:
            raise HealthRefused(index, error) from None
    return record_many(
        HealthRecord,
        LookedAfterEvent.HEALTH_RECORDED,
        acting_user=acting_user,
        child=child,
        rows=[asdict(event) for event in events],
    )


@transaction.atomic(durable=True)
def record_pep(
    *,
    acting_user: User,
    child: Person,
    pep_date: datetime.date,
    school: str,
    virtual_school_contact: str,
    quality: str,
    attainment: str,
    child_views: str,
) -> PersonalEducationPlan:
    """A personal education plan meeting, while looked after."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("pep_date", pep_date, "The PEP date", child=child)
    checks.required("school", school, "Enter the school or setting")
    checks.required(
        "virtual_school_contact", virtual_school_contact, "Enter the virtual school contact"
    )
    checks.check(
        quality in PersonalEducationPlan.Quality.values,
        "quality",
        "Select the quality rating of the PEP",
    )
    checks.required("attainment", attainment, "Enter attainment and progress")
    checks.required(
        "child_views", child_views, f"Enter {child.given_name}'s views on their education"
    )
    looked_after_on(checks, child, pep_date, "pep_date", "The PEP date")
    checks.raise_if_any()
    return record_new(
        PersonalEducationPlan,
        LookedAfterEvent.PEP_RECORDED,
        acting_user=acting_user,
        child=child,
        pep_date=pep_date,
        school=school,
        virtual_school_contact=virtual_school_contact,
        quality=quality,
        attainment=attainment,
        child_views=child_views,
    )
