"""The frame of the plan apps' form pages, and the pages every SMART plan shares.

A form page of a child's plans or child protection record is a :class:`RecordFormPage`:
``ChildRecordMixin`` (the permission, then the child), then :meth:`~RecordFormPage.look_up`
for what the page is about (a plan, an enquiry: 404 for another child's), then
``ActionFormView`` (bind the form, call the action, redirect). Each app's section mixin
subclasses it with the record section "Back" and a save go to.

For a plan's outcomes and actions, :class:`AddOutcome`, :class:`AddAction` and
:class:`UpdateProgress` come before the app's section mixin: they need the permission the
shared actions need, bind the shared forms and call the shared actions with the app's
``kind``; the app's page says which plan, its words and where a save goes.
:func:`outcome_rows` gives the table of outcomes and actions that
``plans/includes/outcomes.html`` draws.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.text import capfirst

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.formviews import ActionFormView, F
from caseline.apps.people.models import Person
from caseline.apps.people.record import RECORD_SECTIONS, ChildRecordMixin
from caseline.apps.plans import actions, queries
from caseline.apps.plans.forms import (
    ActionForm,
    ActionStatusForm,
    MeetingProgressForm,
    OutcomeForm,
)
from caseline.apps.plans.kinds import SmartPlanKind
from caseline.apps.plans.models import SmartAction, SmartOutcome


def child_name(child: Person) -> str:
    """What the plan calls the child: the name they use."""
    return str(child.preferred_name or child.given_name)


class _LookUpAfterTheChild:
    """Runs :meth:`RecordFormPage.look_up` once the permission and the child are checked."""

    def look_up(self) -> None:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        self.look_up()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


class IdentityNeedsPage:
    """A form page with the plan's identity needs (``plans.forms.identity_field``): gives its
    form (an ``IdentityFormMixin``) what is known of the child's identity, to show beside the
    field. Put it before the page's form view in the bases."""

    person: Person

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["identity_found"] = queries.identity_found(self.person)
        return kwargs


class RecordFormPage(ChildRecordMixin, _LookUpAfterTheChild, ActionFormView[F]):
    """A form page of a child's plans or child protection record: the child, what the page
    is about, the form and its action, in the frame ``plans/form.html`` draws (an
    introduction under the heading, the back link's words). "Back", and a save unless the
    page says otherwise, go to the record's section (``record_section``)."""

    template_name: str | None = "plans/form.html"
    back_text: ClassVar[str] = "Back"

    def get_back_url(self) -> str:
        section = next(s for s in RECORD_SECTIONS if s.key == self.record_section)
        return reverse(section.url_name, kwargs={"person_id": self.person.pk})

    def get_success_url(self) -> str:
        return self.get_back_url()

    def look_up(self) -> None:
        """Look up what the page is about, scoped to ``self.person`` (override, calling
        ``super().look_up()``)."""

    def intro(self) -> str:
        """A sentence under the heading saying what the form is about, if it needs one."""
        return ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(intro=self.intro(), back_text=self.back_text)
        return context


class PlanPage(RecordFormPage[F]):
    """A form page about the child's plan ``plan_id``, of the page's ``kind``."""

    kind: ClassVar[SmartPlanKind[Any, Any, Any]]
    plan: Any

    def look_up(self) -> None:
        super().look_up()
        self.plan = queries.get_plan(self.kind, self.person, int(self.kwargs["plan_id"]))


class AddOutcome(PlanPage[OutcomeForm]):
    """Adds an outcome to the plan."""

    permission = Permission.PLAN_RECORD
    form_class = OutcomeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(
            label=capfirst(self.kind.outcome_called(child_name(self.person))),
            required_message=self.kind.outcome_missing,
        )
        return kwargs

    def perform(self, form: OutcomeForm) -> object:
        return actions.add_outcome(
            self.kind,
            acting_user=self.request.user,
            plan=self.plan,
            outcome=form.cleaned_data["outcome"],
        )


class AddAction(RecordFormPage[ActionForm]):
    """Adds a SMART action to the outcome ``outcome_id`` (on the plan ``plan_id`` if the
    URL names one)."""

    kind: ClassVar[SmartPlanKind[Any, Any, Any]]
    permission = Permission.PLAN_RECORD
    form_class = ActionForm
    title = "Add an action"
    button = "Add the action"
    success_message = "Action added to the plan"
    outcome: SmartOutcome

    def look_up(self) -> None:
        super().look_up()
        outcome_id, plan_id = int(self.kwargs["outcome_id"]), self.kwargs.get("plan_id")
        self.outcome = queries.get_outcome(self.kind, self.person, outcome_id, plan_id=plan_id)

    def intro(self) -> str:
        return f"Outcome: {self.outcome.outcome}"

    def perform(self, form: ActionForm) -> object:
        return actions.add_action(
            self.kind, acting_user=self.request.user, outcome=self.outcome, **form.cleaned_data
        )


class UpdateProgress(RecordFormPage[ActionStatusForm]):
    """Records how the action ``action_id`` is going (on the plan ``plan_id`` if the URL
    names one): dated, and with what was heard, where the kind hears it at meetings."""

    kind: ClassVar[SmartPlanKind[Any, Any, Any]]
    permission = Permission.PLAN_RECORD
    title = "Update progress on an action"
    button = "Save progress"
    success_message = "Progress saved"
    action: SmartAction

    def look_up(self) -> None:
        super().look_up()
        action_id, plan_id = int(self.kwargs["action_id"]), self.kwargs.get("plan_id")
        self.action = queries.get_action(self.kind, self.person, action_id, plan_id=plan_id)

    def get_form_class(self) -> type[ActionStatusForm]:
        return MeetingProgressForm if self.kind.progress_at_meetings else ActionStatusForm

    def get_initial(self) -> dict[str, Any]:
        return {
            "status": self.action.status,
            "status_note": self.action.status_note,
            "version": self.action.version,
        }

    def intro(self) -> str:
        return f"Action: {self.action.what} ({self.action.who})"

    def perform(self, form: ActionStatusForm) -> object:
        data = dict(form.cleaned_data)
        return actions.update_action_status(
            self.kind,
            acting_user=self.request.user,
            action=self.action,
            read_version=data.pop("version"),
            **data,
        )


@dataclass(frozen=True)
class ActionRow:
    action: SmartAction
    overdue: bool
    progress_url: str  # empty where the user may not record progress


@dataclass(frozen=True)
class OutcomeRow:
    number: int
    outcome: SmartOutcome
    actions: list[ActionRow]
    add_action_url: str  # empty where the user may not add actions


def outcome_rows(
    outcomes: Iterable[SmartOutcome],
    as_at: datetime.date,
    *,
    add_action_url: Callable[[SmartOutcome], str] | None,
    progress_url: Callable[[SmartAction], str] | None,
) -> list[OutcomeRow]:
    """The plan's outcomes with their actions (prefetched as ``actions``), numbered, each
    action marked overdue on ``as_at``, with the links for a user who may record (``None``
    for one who may not)."""
    return [
        OutcomeRow(
            number=number,
            outcome=outcome,
            actions=[
                ActionRow(
                    action=action,
                    overdue=action.is_overdue(as_at),
                    progress_url=progress_url(action) if progress_url else "",
                )
                for action in outcome.actions.all()  # type: ignore[attr-defined]
            ],
            add_action_url=add_action_url(outcome) if add_action_url else "",
        )
        for number, outcome in enumerate(outcomes, start=1)
    ]
