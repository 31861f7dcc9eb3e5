"""Forms for adoption, previous permanence and deprivation of liberty orders. Fields check
shape; the actions (``actions.permanence``) check the 903 rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.forms import GovukDateWidget, GovukForm
from caseline.apps.lookedafter.actions import PartialDate
from caseline.apps.lookedafter.forms import date_field, notes_field, radios, text, yes_no


def _codes(name: CodeListName) -> list[tuple[str, str]]:
    return [(c.code, f"{c.label} ({c.code})") for c in code_list(name).current()]


class PartialDateWidget(GovukDateWidget):
    """The GOV.UK date input, for a date of which some parts may be left blank."""

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, PartialDate):
            return [value.day, value.month, value.year]
        return super().decompress(value)


class PartialDateField(forms.MultiValueField):
    """Day, month and year, each of which may be left blank when it is not known: a
    :class:`PartialDate`. The action judges whether the parts make a date."""

    widget = PartialDateWidget

    def __init__(self, **kwargs: Any) -> None:
        parts = (forms.CharField(required=False) for _ in range(3))
        super().__init__(fields=tuple(parts), require_all_fields=False, required=False, **kwargs)

    def compress(self, data_list: list[str]) -> PartialDate:
        if not data_list:
            return PartialDate()
        label = str(self.label or "The date")
        numbers: list[int | None] = []
        for part in data_list:
            part = (part or "").strip()
            if part and not part.isdigit():
                raise ValidationError(f"{label} must be numbers, or left blank where not known")
            numbers.append(int(part) if part else None)
        day, month, year = numbers
        return PartialDate(year=year, month=month, day=day)


class AdoptionDecisionForm(GovukForm):
    decided_on = date_field(
        "Date of the decision that the child should be placed for adoption",
        "Enter the date of the decision",
        "The date the agency decision maker endorsed the adoption plan. For example, 27 3 2025",
    )
    decided_by = text(
        "Agency decision maker",
        "Enter the name of the agency decision maker",
        max_length=200,
    )
    notes = notes_field()


class AdoptionMatchForm(GovukForm):
    matched_on = date_field(
        "Date the child was matched with prospective adopters",
        "Enter the date of the match",
        "The date the local authority decided the child should be placed with these "
        "prospective adopters. For example, 27 3 2025",
    )
    adopters_sex = radios(
        "Who are the prospective adopters?",
        _codes(CodeListName.ADOPTER_SEX),
        "Select who the prospective adopters are",
    )
    adopters_legal_status = radios(
        "Their legal status",
        _codes(CodeListName.ADOPTER_LEGAL_STATUS),
        "Select the legal status of the prospective adopters",
    )
    adopted_by_foster_carers = yes_no(
        "Are they the child's foster carers?",
        message="Select whether the prospective adopters are the child's foster carers",
    )


class AdoptionCeasedForm(GovukForm):
    ceased_on = date_field(
        "Date of the decision that the child should no longer be placed for adoption",
        "Enter the date of the decision",
    )
    reason_ceased = radios(
        "Why should the child no longer be placed for adoption?",
        _codes(CodeListName.REASON_PLACED_CEASED),
        "Select why the child should no longer be placed for adoption",
    )


class PreviousPermanenceForm(GovukForm):
    option = radios(
        "Before this period of care, did the child leave care under a permanence order?",
        _codes(CodeListName.PREVIOUS_PERMANENCE),
        "Select whether the child had a previous permanence order",
        help_text=(
            "Only orders made when the child left care: not an order for a child who was not "
            "looked after"
        ),
    )
    arranged_by = text(
        "Local authority that arranged it",
        required=False,
        max_length=3,
        help_text=(
            "Its three-digit DfE number, or WAL (Wales), SCO (Scotland), NIR (Northern "
            "Ireland) or NUK (outside the UK). Leave blank if there was no order"
        ),
    )
    order_date = PartialDateField(
        label="Date of the order",
        help_text=(
            "Leave blank the parts not known: a month and year, or a year, will do. Leave it "
            "all blank if there was no order"
        ),
    )


class DeprivationOfLibertyForm(GovukForm):
    start_date = date_field("Date the order started", "Enter the date the order started")
    end_date = date_field(
        "Date the order ended",
        "",
        "Leave blank if it is still in force. For example, 27 3 2025",
        required=False,
    )
    notes = notes_field()


class DeprivationOfLibertyEndForm(GovukForm):
    end_date = date_field("Date the order ended", "Enter the date the order ended")
