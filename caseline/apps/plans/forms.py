"""The forms every SMART plan shares, and the field builders the plan apps' forms use.

Business rules live in the actions; these say only what is asked and how it is labelled.
"""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.core.forms import GovukDateField, GovukForm, VersionField
from caseline.apps.plans.identity import FIELD, IDENTITY_HINT, IDENTITY_NEEDS_RULE
from caseline.apps.plans.models import SmartAction
from caseline.apps.plans.queries import IdentityFound

YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no(value: str) -> bool | None:
    """``"yes"`` and ``"no"`` as booleans; anything else (``"unknown"``, blank) as ``None``."""
    return {"yes": True, "no": False}.get(value)


def text_field(label: str, required_message: str, *, help_text: str = "", rows: int = 4) -> Any:
    """A required text area."""
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message},
    )


def date_field(label: str, required_message: str, *, required: bool = True) -> GovukDateField:
    """A GOV.UK date input, with an example in its hint."""
    return GovukDateField(
        label=label,
        help_text="For example 27 3 2025",
        required=required,
        error_messages={"required": required_message},
    )


def radios(label: str, choices: Any, required_message: str, **kwargs: Any) -> Any:
    """A required choice shown as radios."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
        **kwargs,
    )


def identity_field(*, required: bool = True, help_text: str = IDENTITY_HINT) -> Any:
    """How the plan meets the child's identity needs: a text area drawn beside what is known
    of the child's identity (``plans/includes/identity_field.html``). Its form inherits
    :class:`IdentityFormMixin`, which names the child in its label."""
    field = text_field(
        "How the plan meets the child's identity needs",
        IDENTITY_NEEDS_RULE.says(),
        help_text=help_text,
        rows=5,
    )
    field.required = required
    field.template_name = "plans/includes/identity_field.html"
    return field


class IdentityFormMixin:
    """A form with an :func:`identity_field` named ``identity_needs``. It takes what is known
    of the child's identity (``identity_found``, given by ``plans.views.IdentityNeedsPage``),
    which the field's template shows beside it, and names the child in the field's label."""

    fields: dict[str, forms.Field]
    identity_found: IdentityFound | None

    def __init__(self, *args: Any, identity_found: IdentityFound | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.identity_found = identity_found
        if identity_found is not None and FIELD in self.fields:
            self.fields[FIELD].label = f"How the plan meets {identity_found.name}'s identity needs"


class OutcomeForm(GovukForm):
    """What needs to be different for the child, in the words of the kind of plan."""

    outcome = text_field("", "", help_text="In words the child and family would use", rows=3)

    def __init__(self, *args: Any, label: str, required_message: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].label = label
        self.fields["outcome"].error_messages["required"] = required_message


class ActionForm(GovukForm):
    """A SMART action: what will happen, who does it, by when, how we will know."""

    what = text_field("What will happen", "Enter what will happen", rows=3)
    who = forms.CharField(
        label="Who will do it",
        help_text="Their name and role, for example Mum (Sarah) or Health visitor",
        max_length=200,
        error_messages={
            "required": (
                "Enter who will do it, with their name or role, for example Mum (Sarah) or "
                "Health visitor"
            )
        },
    )
    by_when = date_field("By when", "Enter the date by when it will be done")
    how_we_will_know = text_field(
        "How we will know it has worked", "Enter how we will know it has worked", rows=3
    )


class ActionStatusForm(GovukForm):
    """How an action is going, recorded today; a note says why if it was not done."""

    status = radios(
        "How is the action going?",
        SmartAction.Status.choices,
        "Select the progress on this action",
    )
    status_note = forms.CharField(
        label="Note (optional if done or in progress)",
        help_text="Say why, if the action was not done",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = VersionField()


class MeetingProgressForm(ActionStatusForm):
    """How an action is going, as heard at a meeting on a given day."""

    updated_on = date_field("Date of this update", "Enter the date of this update")
    status_note = text_field(
        "Progress made",
        "Enter the progress made",
        help_text="For example what the core group heard, and from whom",
        rows=3,
    )
    field_order = ["status", "updated_on", "status_note"]
