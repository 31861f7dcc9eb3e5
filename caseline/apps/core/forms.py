"""GOV.UK Design System forms, rendered by our own templates (ADR 0003).

Forms inherit :class:`GovukForm` (or :class:`GovukModelForm`); ``{{ form }}`` then renders each
field through ``govuk/field.html`` with its label, hint, error message and GOV.UK classes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from caseline.apps.core.checks import (
    EARLIEST_PLAUSIBLE_DATE,
    NOT_BEFORE_1900,
    NOT_TOO_FAR_AHEAD,
    furthest_plausible_date,
)

_INPUT_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "longselect": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "govukdate": "",
}


_ERROR_CLASSES = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
}


class GovukFormRenderer(TemplatesSetting):
    """Renders forms and fields with the GOV.UK templates."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukDateWidget(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes."""

    template_name = "govuk/widgets/date.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with GOV.UK's error messages."""

    widget = GovukDateWidget

    def __init__(self, **kwargs: Any) -> None:
        # The parts are optional one by one, so that ``compress`` can say which is missing.
        parts = (forms.CharField(required=False) for _ in range(3))
        super().__init__(fields=tuple(parts), require_all_fields=False, **kwargs)
        label = str(self.label or "the date").lower()
        self.error_messages.setdefault("required", f"Enter {label}")
        if self.error_messages["required"] == forms.Field.default_error_messages["required"]:
            self.error_messages["required"] = f"Enter {label}"

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (part.strip() if part else "" for part in data_list)
        label = (self.label or "The date").lower()
        missing = [
            name for name, part in zip(("day", "month", "year"), data_list, strict=True) if not part
        ]
        if missing:
            raise ValidationError(f"{label.capitalize()} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError(f"{label.capitalize()} must be a real date")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{label.capitalize()} must be a real date") from None
        # Whatever the form is for, a date outside these bounds is a typing slip; the action
        # checks the bounds that depend on what the date is (the past, the child's birth).
        if value < EARLIEST_PLAUSIBLE_DATE:
            raise ValidationError(NOT_BEFORE_1900.says(what=label))
        if value > furthest_plausible_date():
            raise ValidationError(NOT_TOO_FAR_AHEAD.says(what=label))
        return value


def _say_when_too_long(field: forms.Field) -> None:
    """Let a browser take text of any length and say, on the page, when it is too long.

    A ``maxlength`` attribute makes the browser cut what is typed or pasted at the limit
    without a word, so the end of a long note is lost. GOV.UK asks instead for an error that
    says the limit and keeps the text, for the user to shorten.
    """
    limit = getattr(field, "max_length", None)
    if limit is None:
        return
    field.widget.attrs.pop("maxlength", None)
    label = str(field.label or "This").rstrip(" ?").removesuffix(" (optional)")
    message = f"{label} must be {limit} characters or fewer (you entered %(show_value)d)"
    field.validators = [
        validators.MaxLengthValidator(limit, message)
        if isinstance(validator, validators.MaxLengthValidator)
        else validator
        for validator in field.validators
    ]


class LongSelect(forms.Select):
    """A select of hundreds of options (every worker, say), written in Python: the same HTML
    as Django's select, whose template renders a template of its own for each option (about
    20 ms for the indicators' 370 scopes, a fifth of a drill-down page)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = []
        for group, options, _ in widget["optgroups"]:
            written = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, written)
                if group
                else written
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            SafeString("".join(parts)),
        )


class GovukFormMixin:
    """Adds GOV.UK classes and error states to every widget before rendering."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", self._input_class(field.widget))
            _say_when_too_long(field)

    def full_clean(self) -> None:
        """Validate, then mark fields in error with GOV.UK's error classes."""
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "_errors", None) or {}:
            field = self.fields.get(name)
            if field is None:
                continue
            base = field.widget.attrs.get("class", "")
            error_class = _ERROR_CLASSES.get(base)
            if error_class and error_class not in base:
                field.widget.attrs["class"] = f"{base} {error_class}"

    @staticmethod
    def _input_class(widget: forms.Widget) -> str:
        name = type(widget).__name__.lower().removesuffix("widget").removesuffix("input")
        if name in _INPUT_CLASSES:
            return _INPUT_CLASSES[name]
        return "govuk-input"


# The version field's message when an edit comes without the version its page was read at.
VERSION_MISSING = (
    "This page is out of date and your changes have not been saved: "
    "copy them, reload the page and try again"
)


class VersionField(forms.IntegerField):
    """The version of the record an edit page was read at (hidden, required): without it an
    edit could overwrite someone else's (``core.concurrency.save_versioned``)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages", {"required": VERSION_MISSING, "invalid": VERSION_MISSING}
        )
        super().__init__(required=True, min_value=1, **kwargs)
        self.error_messages["min_value"] = VERSION_MISSING


class GovukForm(GovukFormMixin, forms.Form):
    """A plain form rendered in the GOV.UK style."""


class GovukModelForm(GovukFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """A model form rendered in the GOV.UK style."""


def add_action_errors(
    form: forms.BaseForm, error: ValidationError, *, field_map: dict[str, str] | None = None
) -> None:
    """Show an action's ``ValidationError`` on a form: on its field where the form has one
    (``field_map`` renames an action's argument to the form's field), otherwise at the top."""
    renames = field_map or {}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = renames.get(field, field)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
