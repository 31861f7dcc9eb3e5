"""Reading for plans: a SMART plan's outcomes and actions, scoped to a child already checked
for visibility (``ChildRecordMixin``; each lookup raises 404 for another child's), and what
is known of the child's identity when a plan is written. Who may lead a child's plan is
who can hold cases: ``accounts.queries.case_holders``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.http import Http404

from caseline.apps.assessments.models import Assessment
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.people.models import Person
from caseline.apps.plans.kinds import ActionT, OutcomeT, PlanT, SmartPlanKind

RowT = TypeVar("RowT", bound=models.Model)


def get_plan(kind: SmartPlanKind[PlanT, OutcomeT, ActionT], child: Person, plan_id: int) -> PlanT:
    """The child's plan with this id, or 404."""
    plans = kind.plan_model._default_manager.select_related(*kind.plan_related)
    plan = plans.filter(pk=plan_id, person=child).first()
    if plan is None:
        raise Http404("No such plan for this child")
    return plan


def get_outcome(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    child: Person,
    outcome_id: int,
    *,
    plan_id: int | None = None,
) -> OutcomeT:
    """The child's outcome with this id (on the plan ``plan_id``, if given), or 404."""
    return _of_child(kind.outcome_model, "plan", child, outcome_id, plan_id)


def get_action(
    kind: SmartPlanKind[PlanT, OutcomeT, ActionT],
    child: Person,
    action_id: int,
    *,
    plan_id: int | None = None,
) -> ActionT:
    """The child's action with this id (on the plan ``plan_id``, if given), or 404."""
    return _of_child(kind.action_model, "outcome__plan", child, action_id, plan_id)


def _of_child(model: type[RowT], to_plan: str, child: Person, pk: int, plan_id: int | None) -> RowT:
    rows = model._default_manager.filter(pk=pk, **{f"{to_plan}__person": child})
    if plan_id is not None:
        rows = rows.filter(**{f"{to_plan}_id": plan_id})
    row = rows.select_related(to_plan).first()
    if row is None:
        raise Http404(f"No such {model._meta.verbose_name} for this child")
    return row


# --- The child's identity ------------------------------------------------------------------


@dataclass(frozen=True)
class IdentityFound:
    """What is known of the child's identity when a plan is written: what their latest
    authorised assessment found (its identity section) and the identity details on their
    record, each as (what, the detail) where recorded."""

    name: str  # what the plan calls the child
    assessed_on: datetime.date | None  # when the latest authorised assessment was authorised
    assessment: str  # its identity section ("" for none, or nothing written)
    details: tuple[tuple[str, str], ...]


def identity_found(child: Person) -> IdentityFound:
    """What the child's latest authorised assessment found about their identity, and the
    identity details on their record. One query (the assessment)."""
    latest = (
        Assessment.objects.filter(person=child, status=Assessment.Status.AUTHORISED)
        .order_by("-authorised_on", "-id")
        .values_list("authorised_on", "identity")
        .first()
    )
    assessed_on, assessment = latest if latest is not None else (None, "")
    return IdentityFound(
        name=str(child.preferred_name or child.given_name),
        assessed_on=assessed_on,
        assessment=assessment.strip(),
        details=identity_details(child),
    )


def identity_details(child: Person) -> tuple[tuple[str, str], ...]:
    """The identity details on the child's record, as (what, the detail), where recorded."""
    labels = {
        name: code_list(name).label
        for name in (CodeListName.ETHNICITY, CodeListName.RELIGION, CodeListName.GENDER_IDENTITY)
    }
    language = child.first_language + (
        " (needs an interpreter)" if child.first_language and child.interpreter_needed else ""
    )
    disability = code_list(CodeListName.DISABILITY)
    details = (
        ("Ethnicity", labels[CodeListName.ETHNICITY](child.ethnicity) if child.ethnicity else ""),
        ("Religion", labels[CodeListName.RELIGION](child.religion) if child.religion else ""),
        ("First language", language),
        ("Disability", ", ".join(disability.label(code) for code in child.disabilities)),
        (
            "Gender identity",
            labels[CodeListName.GENDER_IDENTITY](child.gender_identity)
            if child.gender_identity
            else "",
        ),
        ("Identity, culture and heritage", child.identity_notes.strip()),
    )
    return tuple((what, detail) for what, detail in details if detail)
