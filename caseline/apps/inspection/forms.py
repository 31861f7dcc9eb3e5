"""Forms of the inspection pages. The rules are the actions'; these only collect the values."""

from __future__ import annotations

from typing import Any

from django import forms

from caseline.apps.core.forms import GovukDateField, GovukForm, _say_when_too_long
from caseline.apps.inspection.models import ImprovementArea, PlanAction
from caseline.apps.inspection.reader import (
    FRAMEWORK_LABELS,
    GRADE_LABELS,
    ILACS_AREAS,
    AreaRead,
    JudgementRead,
    Reading,
    Timescale,
)

# Empty rows the review page offers for judgements or areas the reader missed.
SPARE_ROWS = 2
TIMESCALE_CHOICES = [("", "None set")] + [(t.value, t.value.capitalize()) for t in Timescale]


class ImportForm(GovukForm):
    report = forms.FileField(
        label="Upload the report",
        help_text="The report as published by Ofsted: a PDF, or its text as a .txt file",
        error_messages={
            "required": "Select the report file",
            "empty": "The selected file is empty",
        },
        widget=forms.ClearableFileInput(
            attrs={"class": "govuk-file-upload", "accept": ".pdf,.txt"}
        ),
    )


class ReviewForm(GovukForm):
    """What the reader made of the report, each value open to correction.

    Rows are built from the reading: ``judgement_<n>_section|area|grade``,
    ``area_<n>_section|text|timescale`` and ``recommendation_<n>``, with spare empty rows.
    A row whose area or text is left empty is dropped.
    """

    framework = forms.ChoiceField(
        label="Framework",
        choices=[("", "Select the framework")]
        + [(f.value, label) for f, label in FRAMEWORK_LABELS.items()],
        error_messages={"required": "Select the framework of the inspection"},
    )
    authority = forms.CharField(label="Authority inspected", max_length=200, required=False)
    start_date = GovukDateField(label="First day of the inspection", required=False)
    end_date = GovukDateField(label="Last day of the inspection", required=False)
    published_date = GovukDateField(label="Date published (optional)", required=False)

    def __init__(self, *args: Any, reading: Reading, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "framework": reading.framework,
            "authority": reading.authority,
            "start_date": reading.start_date,
            "end_date": reading.end_date,
            "published_date": reading.published_date,
        }
        grades = [("", "Select a grade")] + [(g.value, label) for g, label in GRADE_LABELS.items()]
        self.judgement_rows = len(reading.judgements) + SPARE_ROWS
        self.area_rows = len(reading.areas_for_improvement) + SPARE_ROWS
        self.recommendation_rows = len(reading.recommendations) + SPARE_ROWS
        extra: dict[str, forms.Field] = {}
        for n in range(self.judgement_rows):
            number = n + 1
            extra[f"judgement_{n}_section"] = forms.CharField(
                label=f"Judgement {number}: part of the report", required=False, max_length=100
            )
            extra[f"judgement_{n}_area"] = forms.CharField(
                label=f"Judgement {number}: area", required=False, max_length=200
            )
            extra[f"judgement_{n}_grade"] = forms.ChoiceField(
                label=f"Judgement {number}: grade", required=False, choices=grades
            )
            if n < len(reading.judgements):
                j = reading.judgements[n]
                initial.update(
                    {
                        f"judgement_{n}_section": j.section,
                        f"judgement_{n}_area": j.area,
                        f"judgement_{n}_grade": j.grade,
                    }
                )
        for n in range(self.area_rows):
            number = n + 1
            extra[f"area_{n}_section"] = forms.CharField(
                label=f"Area for improvement {number}: part of the report",
                required=False,
                max_length=100,
            )
            extra[f"area_{n}_text"] = forms.CharField(
                label=f"Area for improvement {number}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            extra[f"area_{n}_timescale"] = forms.ChoiceField(
                label=f"Area for improvement {number}: timescale",
                required=False,
                choices=TIMESCALE_CHOICES,
            )
            if n < len(reading.areas_for_improvement):
                a = reading.areas_for_improvement[n]
                initial.update(
                    {
                        f"area_{n}_section": a.section,
                        f"area_{n}_text": a.text,
                        f"area_{n}_timescale": a.timescale,
                    }
                )
        for n in range(self.recommendation_rows):
            extra[f"recommendation_{n}"] = forms.CharField(
                label=f"Recommendation {n + 1}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            if n < len(reading.recommendations):
                initial[f"recommendation_{n}"] = reading.recommendations[n]
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.fields.update(extra)
        # The rows were added after the mixin dressed the fields: dress them the same way.
        for field in extra.values():
            field.widget.attrs.setdefault("class", self._input_class(field.widget))
            _say_when_too_long(field)

    def rows(self, prefix: str, count: int, parts: tuple[str, ...]) -> list[list[forms.BoundField]]:
        return [[self[f"{prefix}_{n}_{part}"] for part in parts] for n in range(count)]

    @property
    def judgement_fields(self) -> list[list[forms.BoundField]]:
        return self.rows("judgement", self.judgement_rows, ("section", "area", "grade"))

    @property
    def area_fields(self) -> list[list[forms.BoundField]]:
        return self.rows("area", self.area_rows, ("section", "text", "timescale"))

    @property
    def recommendation_fields(self) -> list[forms.BoundField]:
        return [self[f"recommendation_{n}"] for n in range(self.recommendation_rows)]

    @property
    def head_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("framework", "authority", "start_date", "end_date", "published_date")
        ]

    def confirmed_reading(self) -> Reading:
        """The reading as the reviewer left it (rows left empty dropped)."""
        data = self.cleaned_data
        judgements = [
            JudgementRead(
                data[f"judgement_{n}_section"].strip(),
                data[f"judgement_{n}_area"].strip(),
                data[f"judgement_{n}_grade"],
            )
            for n in range(self.judgement_rows)
            if data[f"judgement_{n}_area"].strip() or data[f"judgement_{n}_grade"]
        ]
        areas = [
            AreaRead(
                data[f"area_{n}_section"].strip(),
                data[f"area_{n}_text"].strip(),
                data[f"area_{n}_timescale"],
            )
            for n in range(self.area_rows)
            if data[f"area_{n}_text"].strip()
        ]
        recommendations = [
            data[f"recommendation_{n}"].strip()
            for n in range(self.recommendation_rows)
            if data[f"recommendation_{n}"].strip()
        ]
        return Reading(
            framework=data["framework"],
            authority=data["authority"].strip(),
            start_date=data["start_date"],
            end_date=data["end_date"],
            published_date=data["published_date"],
            judgements=judgements,
            areas_for_improvement=areas,
            recommendations=recommendations,
        )


class AreaForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of heading",
        choices=ImprovementArea.Kind.choices,
        initial=ImprovementArea.Kind.COUNCIL,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of heading this is"},
    )
    text = forms.CharField(
        label="Heading", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    section = forms.CharField(label="Part of the report (optional)", max_length=100, required=False)
    timescale = forms.ChoiceField(label="Timescale", choices=TIMESCALE_CHOICES, required=False)


class ActionForm(GovukForm):
    area = forms.ModelChoiceField(
        label="Under",
        queryset=ImprovementArea.objects.none(),
        error_messages={"required": "Select the area the action is under"},
    )
    number = forms.IntegerField(label="Action number", min_value=1, max_value=9999, required=False)
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.CharField(
        label="Owner", max_length=200, required=False, help_text="A person or a post"
    )
    target_date = GovukDateField(label="Target date", required=False)
    created_on = GovukDateField(label="Entered the plan on", required=False)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = areas
        field.label_from_instance = lambda obj: obj.text[:120]  # type: ignore[method-assign]


class ProgressForm(GovukForm):
    entry_date = GovukDateField(label="Date of the update", required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "Unchanged"), *PlanAction.Status.choices],
        required=False,
    )
    note = forms.CharField(
        label="Progress note", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    revised_target_date = GovukDateField(label="Revised target date (optional)", required=False)
    revision_reason = forms.CharField(
        label="Why the target date was revised",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class EvidenceForm(GovukForm):
    title = forms.CharField(label="What the evidence is", max_length=200, required=False)
    url = forms.CharField(
        label="Link",
        max_length=500,
        required=False,
        help_text="An indicator, an audit or a document: https://... or a Caseline page starting /",
    )


class AsAtForm(GovukForm):
    as_at = GovukDateField(label="Progress up to", required=True)


class VisitForm(GovukForm):
    start_date = GovukDateField(label="First day of the visit", required=False)
    end_date = GovukDateField(label="Last day of the visit", required=False)
    letter_date = GovukDateField(label="Date of the letter (optional)", required=False)
    inspectors = forms.CharField(label="Inspectors (optional)", max_length=300, required=False)
    areas_examined = forms.CharField(
        label="Areas examined", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    summary = forms.CharField(
        label="Overview (optional)", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class FindingForm(GovukForm):
    area = forms.CharField(label="Area", max_length=200, required=False)
    finding = forms.CharField(
        label="Finding", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    actions = forms.ModelMultipleChoiceField(
        label="Plan actions it bears on (optional)",
        queryset=PlanAction.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, actions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["actions"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = actions
        field.label_from_instance = lambda obj: f"{obj.number}. {obj.text[:100]}"  # type: ignore[method-assign]


class SelfEvaluationForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, required=False)
    as_at = GovukDateField(label="Speaks for the service as at", required=False)


class EntryForm(GovukForm):
    judgement_area = forms.ChoiceField(
        label="Judgement area",
        choices=[("", "Select an area")] + [(a, a) for a in ILACS_AREAS],
        required=False,
    )
    what_we_know = forms.CharField(
        label="What we know", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    how_we_know = forms.CharField(
        label="How we know it",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The indicators, audits and feedback it rests on; add links to them after saving",
    )
    what_we_are_doing = forms.CharField(
        label="What we are doing about it", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
