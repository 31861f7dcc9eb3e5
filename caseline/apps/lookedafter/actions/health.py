"""Health and education: health assessments and checks, and personal education plans."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.db import transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks, Rule
from caseline.apps.lookedafter import derive
from caseline.apps.lookedafter.actions.common import lock, looked_after_on, record_new
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import HealthRecord, PersonalEducationPlan
from caseline.apps.people.models import Person

SDQ_MAX = 40  # a strengths and difficulties questionnaire scores 0 to 40
SDQ_AGES = range(4, 17)  # the questionnaire is for children of 4 to 16 (903 rules 157, 186)
DEVELOPMENT_CHECK_BELOW = 5  # development checks are for the under-5s (903 rules 545, 546)
# The age of criminal responsibility in England: Children and Young Persons Act 1933 s50.
CONVICTION_FROM = 10
OUT_OF_AGE_RANGE = "SDQ1"  # the SDQ reason for a child outside its ages

_SOURCE = "DfE SSDA903 validation rule {} (903_2025_26_rule_info.csv)"
SDQ_SCORE_RANGE = Rule(
    "903:180", _SOURCE.format("180"), f"The SDQ score must be between 0 and {SDQ_MAX}"
)
SDQ_SCORE_OR_REASON = Rule(
    "903:197a",
    _SOURCE.format("197a"),
    "Give the SDQ score or why there is none, not both (DfE rule 197a)",
)
SDQ1_ONLY_OUTSIDE_AGES = Rule(
    "903:157",
    _SOURCE.format("157") + "; Caseline judges the age on the day of the questionnaire",
    "SDQ1 is for a child under 4 or over 16, and {name} was {age}: choose another reason "
    "(DfE rule 157)",
)
DEVELOPMENT_UNDER_FIVE = Rule(
    "903:546",
    _SOURCE.format("546") + "; Caseline judges the age on the day of the check",
    "A development check is for a child under 5, and {name} was {age} on that date (DfE rule 546)",
)
CONVICTION_FROM_TEN = Rule(
    "903:542",
    _SOURCE.format("542") + "; Children and Young Persons Act 1933 s50 (no child under 10 "
    "can be guilty of an offence)",
    "{name} was {age} on that date: no child under 10 can be convicted (DfE rule 542)",
)
INTERVENTION_RECEIVED_NEEDED = Rule(
    "903:192",
    _SOURCE.format("192"),
    "Select whether {name} received an intervention for substance misuse (DfE rule 192)",
)
OFFERED_ONLY_IF_NOT_RECEIVED = Rule(
    "903:158",
    _SOURCE.format("158"),
    "Leave whether an intervention was offered blank: {name} received one (DfE rule 158)",
)
OFFERED_NEEDED_IF_NOT_RECEIVED = Rule(
    "903:159",
    _SOURCE.format("159"),
    "Select whether {name} was offered an intervention they did not take up (DfE rule 159)",
)
INTERVENTION_ONLY_FOR_MISUSE = Rule(
    "903:193",
    _SOURCE.format("193"),
    "An intervention is recorded only where substance misuse was identified (DfE rule 193)",
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
    if score is not None and reason:
        checks.broken(SDQ_SCORE_OR_REASON, "sdq_reason")
    elif score is not None:
        if not 0 <= score <= SDQ_MAX:
            checks.broken(SDQ_SCORE_RANGE, "sdq_score")
    elif not reason:
        checks.add("sdq_score", "Enter the SDQ score, or select why there is none")
    elif (
        checks.code(
            "sdq_reason",
            CodeListName.SDQ_REASON,
            reason,
            on=event.event_date,
            what="reason for no SDQ score",
        )
        and reason == OUT_OF_AGE_RANGE
    ):
        age = child.age_on(event.event_date)
        if age is not None and age in SDQ_AGES:
            checks.broken(SDQ1_ONLY_OUTSIDE_AGES, "sdq_reason", name=child.given_name, age=age)


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
        if received is not None or offered is not None:
            checks.broken(INTERVENTION_ONLY_FOR_MISUSE, "intervention_received")
        return
    name = child.given_name
    if received is None:
        checks.broken(INTERVENTION_RECEIVED_NEEDED, "intervention_received", name=name)
    elif received and offered is not None:
        checks.broken(OFFERED_ONLY_IF_NOT_RECEIVED, "intervention_offered", name=name)
    elif not received and offered is None:
        checks.broken(OFFERED_NEEDED_IF_NOT_RECEIVED, "intervention_offered", name=name)


def _check_age(checks: Checks, event: HealthEvent, child: Person) -> None:
    """A development check only under 5 (903 rule 546); a conviction only from 10 (542)."""
    age = child.age_on(event.event_date)
    if age is None or checks.has("event_date"):
        return
    if event.kind == HealthRecord.Kind.DEVELOPMENT and age >= DEVELOPMENT_CHECK_BELOW:
        checks.broken(DEVELOPMENT_UNDER_FIVE, "event_date", name=child.given_name, age=age)
    if event.kind == HealthRecord.Kind.CONVICTION and age < CONVICTION_FROM:
        checks.broken(CONVICTION_FROM_TEN, "event_date", name=child.given_name, age=age)


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
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    event = HealthEvent(
        kind=kind,
        event_date=event_date,
        immunisations_up_to_date=immunisations_up_to_date,
        sdq_score=sdq_score,
        sdq_reason=sdq_reason,
        substance_misuse=(
            True
            if kind == HealthRecord.Kind.SUBSTANCE_MISUSE and substance_misuse is None
            else substance_misuse
        ),
        intervention_received=intervention_received,
        intervention_offered=intervention_offered,
        health_plan=health_plan,
        notes=notes,
    )
    checks = Checks()
    checks.happened("event_date", event_date, "The date", child=child)
    _check_health(checks, event, child)
    looked_after_on(checks, child, event_date, "event_date", "The date")
    checks.raise_if_any()
    values = asdict(event)
    return record_new(
        HealthRecord,
        LookedAfterEvent.HEALTH_RECORDED,
        acting_user=acting_user,
        child=child,
        **values,
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
