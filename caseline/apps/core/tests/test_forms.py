"""GOV.UK form rendering: labels, hints and errors tied to inputs for screen readers."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.test.html import parse_html

from caseline.apps.core.forms import GovukDateField, GovukForm, LongSelect


class ExampleForm(GovukForm):
    name = forms.CharField(label="Name", help_text="As they like to be called")
    reason = forms.CharField(label="Reason", widget=forms.Textarea)
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "A"), ("b", "B")],
        widget=forms.RadioSelect,
        help_text="Pick one",
    )
    seen = GovukDateField(label="Date seen")


def test_hint_and_error_ids_match_the_inputs_aria() -> None:
    form = ExampleForm({})
    assert not form.is_valid()
    html = str(form)
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert 'id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert 'aria-describedby="id_kind_helptext id_kind_error"' in html


def test_fields_without_hint_or_error_have_no_empty_describedby() -> None:
    html = str(ExampleForm({"name": "x", "reason": "y", "kind": "a"}))
    assert 'aria-describedby=""' not in html


@pytest.mark.parametrize(
    ("parts", "error"),
    [
        (("", "3", "2025"), "Date seen must include a day"),
        (("31", "2", "2025"), "Date seen must be a real date"),
        (("1", "1", "25"), "Date seen must be a real date"),
        (("x", "1", "2025"), "Date seen must be a real date"),
    ],
)
def test_date_errors_say_what_is_wrong(parts: tuple[str, str, str], error: str) -> None:
    day, month, year = parts
    form = ExampleForm({"seen_day": day, "seen_month": month, "seen_year": year})
    form.is_valid()
    assert form.errors["seen"] == [error]


def test_a_real_date_is_accepted_and_redisplayed() -> None:
    form = ExampleForm(
        {
            "name": "x",
            "reason": "y",
            "kind": "a",
            "seen_day": "29",
            "seen_month": "2",
            "seen_year": "2024",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["seen"] == datetime.date(2024, 2, 29)
    assert 'value="29"' in str(form["seen"])


def test_a_missing_required_date_asks_for_it() -> None:
    form = ExampleForm({"name": "x", "reason": "y", "kind": "a"})
    assert not form.is_valid()
    assert form.errors["seen"] == ["Enter date seen"]


def test_an_actions_errors_land_on_their_fields_or_at_the_top() -> None:
    from django.core.exceptions import ValidationError

    from caseline.apps.core.forms import add_action_errors

    form = ExampleForm({"name": "x", "reason": "y", "kind": "a"})
    form.is_valid()
    add_action_errors(
        form,
        ValidationError({"full_name": "Enter a shorter name", "elsewhere": "Try again"}),
        field_map={"full_name": "name"},
    )
    assert form.errors["name"] == ["Enter a shorter name"]
    assert form.non_field_errors() == ["Try again"]
    add_action_errors(form, ValidationError("Someone else changed this record"))
    assert form.non_field_errors() == ["Try again", "Someone else changed this record"]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("1", "1", "0001", "Date seen must be in 1900 or later"),
        ("31", "12", "1899", "Date seen must be in 1900 or later"),
        ("1", "1", "9999", "Date seen must be within 5 years from today"),
    ],
)
def test_a_date_outside_plausible_bounds_is_refused(
    day: str, month: str, year: str, message: str
) -> None:
    form = ExampleForm(
        {
            "name": "x",
            "reason": "y",
            "kind": "a",
            "seen_day": day,
            "seen_month": month,
            "seen_year": year,
        }
    )
    assert not form.is_valid()
    assert form.errors["seen"] == [message]


def test_the_first_plausible_day_is_accepted() -> None:
    form = ExampleForm(
        {
            "name": "x",
            "reason": "y",
            "kind": "a",
            "seen_day": "1",
            "seen_month": "1",
            "seen_year": "1900",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["seen"] == datetime.date(1900, 1, 1)


class ShortForm(GovukForm):
    referrer = forms.CharField(label="Referrer (optional)", max_length=10, required=False)
    note = forms.CharField(label="Note", max_length=20, widget=forms.Textarea)


def test_long_text_is_not_cut_by_the_browser_but_refused_with_the_limit() -> None:
    html = str(ShortForm())
    assert "maxlength" not in html
    form = ShortForm({"referrer": "x" * 11, "note": "y" * 25})
    assert not form.is_valid()
    assert form.errors["referrer"] == ["Referrer must be 10 characters or fewer (you entered 11)"]
    assert form.errors["note"] == ["Note must be 20 characters or fewer (you entered 25)"]
    assert "y" * 25 in str(form)


def test_text_at_its_limit_is_accepted() -> None:
    assert ShortForm({"referrer": "x" * 10, "note": "y" * 20}).is_valid()


class _ScopeForm(GovukForm):
    whose = forms.ChoiceField(
        label="Whose children",
        choices=[
            ("all", "Everyone"),
            ("Teams", [("team-1", "Brook & Vale <East>"), ("team-2", "O'Neill's team")]),
        ],
        widget=LongSelect,
    )


@pytest.mark.parametrize("chosen", ["all", "team-2", "nobody"])
def test_a_long_select_writes_what_djangos_select_writes(chosen: str) -> None:
    form = _ScopeForm({"whose": chosen})
    form.is_valid()
    written = str(form["whose"])
    field = form.fields["whose"]
    assert isinstance(field.widget, LongSelect)
    field.widget = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
    expected = str(form["whose"])
    assert parse_html(written) == parse_html(expected)  # the same elements and attributes
    assert 'class="govuk-select' in written
    assert "Brook &amp; Vale &lt;East&gt;" in written
