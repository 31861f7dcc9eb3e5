"""Every write to the education records: they come only from an SSD import, so each action
needs the SSD import permission. Each is audited in its transaction, on the child it is about.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db import models, transaction

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_event, snapshot
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.education.events import EducationEvent
from caseline.apps.education.models import (
    EhcpActivePlan,
    EhcpAssessment,
    EhcpNamedPlan,
    EhcpRequest,
    SendRecord,
    SenNeed,
)
from caseline.apps.people.models import Person

M = TypeVar("M", bound=models.Model)


def _add(model: type[M], *, acting_user: User, person_id: int, **values: Any) -> M:
    require_permission(acting_user, Permission.SSD_IMPORT)
    row = model._default_manager.create(**values)
    record_event(
        acting_user=acting_user,
        event_type=EducationEvent.RECORD_IMPORTED,
        target=row,
        subject_person_id=person_id,
        new_values=snapshot(row, list(values)),
    )
    return row


def _in_order(
    first: datetime.date | None, then: datetime.date | None, field: str, says: str
) -> None:
    checks = Checks()
    if first is not None and then is not None:
        checks.check(then >= first, field, says)
    checks.raise_if_any()


@transaction.atomic(durable=True)
def add_send_record(
    *, acting_user: User, child: Person, upn: str = "", uln: str = "", upn_unknown: str = ""
) -> SendRecord:
    """The child as the education service knows them."""
    return _add(
        SendRecord,
        acting_user=acting_user,
        person_id=child.pk,
        person=child,
        upn=upn,
        uln=uln,
        upn_unknown=upn_unknown,
    )


@transaction.atomic(durable=True)
def add_ehcp_request(
    *,
    acting_user: User,
    send_record: SendRecord,
    requested_on: datetime.date | None,
    outcome_on: datetime.date | None = None,
    outcome: str = "",
) -> EhcpRequest:
    """A request for an EHC needs assessment; its outcome not before the request."""
    _in_order(requested_on, outcome_on, "outcome_on", "The outcome cannot be before the request")
    return _add(
        EhcpRequest,
        acting_user=acting_user,
        person_id=send_record.person_id,
        send_record=send_record,
        requested_on=requested_on,
        outcome_on=outcome_on,
        outcome=outcome,
    )


@transaction.atomic(durable=True)
def add_ehcp_assessment(
    *,
    acting_user: User,
    request: EhcpRequest,
    outcome_on: datetime.date | None,
    outcome: str = "",
    exceptions: str = "",
) -> EhcpAssessment:
    """An EHC needs assessment; its outcome not before the request."""
    _in_order(
        request.requested_on, outcome_on, "outcome_on", "The outcome cannot be before the request"
    )
    return _add(
        EhcpAssessment,
        acting_user=acting_user,
        person_id=request.send_record.person_id,
        request=request,
        outcome_on=outcome_on,
        outcome=outcome,
        exceptions=exceptions,
    )


@transaction.atomic(durable=True)
def add_ehcp_named_plan(
    *,
    acting_user: User,
    assessment: EhcpAssessment,
    start_date: datetime.date | None,
    ceased_on: datetime.date | None = None,
    ceased_reason: str = "",
) -> EhcpNamedPlan:
    """An EHC plan from an assessment; ceasing not before it started."""
    _in_order(start_date, ceased_on, "ceased_on", "The plan cannot cease before it started")
    return _add(
        EhcpNamedPlan,
        acting_user=acting_user,
        person_id=assessment.request.send_record.person_id,
        assessment=assessment,
        start_date=start_date,
        ceased_on=ceased_on,
        ceased_reason=ceased_reason,
    )


@transaction.atomic(durable=True)
def add_ehcp_active_plan(
    *, acting_user: User, request: EhcpRequest, last_reviewed_on: datetime.date | None
) -> EhcpActivePlan:
    """An EHC plan in force, with the day of its last annual review."""
    return _add(
        EhcpActivePlan,
        acting_user=acting_user,
        person_id=request.send_record.person_id,
        request=request,
        last_reviewed_on=last_reviewed_on,
    )


@transaction.atomic(durable=True)
def add_sen_need(
    *,
    acting_user: User,
    active_plan: EhcpActivePlan,
    need_type: str,
    is_primary: bool | None = None,
) -> SenNeed:
    """A need the plan in force names, and whether it is the primary one."""
    return _add(
        SenNeed,
        acting_user=acting_user,
        person_id=active_plan.request.send_record.person_id,
        active_plan=active_plan,
        need_type=need_type,
        is_primary=is_primary,
    )
