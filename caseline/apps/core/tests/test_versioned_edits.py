"""Every edit of an existing record refuses a stale version (issue 19): each versioned model's
edit forms carry a required ``VersionField``, and every form page in the URLs that has a
version field uses it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from caseline.apps.accounts.forms import UserDetailsForm
from caseline.apps.assessments.forms import AssessmentForm
from caseline.apps.cin.forms import PlanForm as CINPlanForm
from caseline.apps.core.forms import VersionField
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.core.models import VersionedModel
from caseline.apps.frontdoor.forms import ContactCorrectionForm, DecisionForm
from caseline.apps.lookedafter.forms import PenPictureForm, ProviderForm, ReviewForm, UASCForm
from caseline.apps.people.forms import PersonEditForm
from caseline.apps.plans.forms import ActionStatusForm, MeetingProgressForm
from caseline.apps.plans.views import UpdateProgress
from caseline.apps.protection.forms import PlanForm as ProtectionPlanForm
from caseline.apps.recording.forms import AmendNoteForm

# Each versioned model's edit forms, by model name.
EDIT_FORMS: dict[str, list[type[forms.Form]]] = {
    "Person": [PersonEditForm],
    "Contact": [ContactCorrectionForm, DecisionForm],
    "Assessment": [AssessmentForm],
    "CINPlan": [CINPlanForm],
    "PlanAction": [ActionStatusForm, MeetingProgressForm],
    "CaseNote": [AmendNoteForm],
    "ProtectionPlan": [ProtectionPlanForm],
    "ProtectionAction": [ActionStatusForm, MeetingProgressForm],
    "PlacementProvider": [ProviderForm],
    "LACReview": [ReviewForm],
    "User": [UserDetailsForm],
}
# One row per child, written then rewritten by the same page: its first save has no version,
# and the action refuses a rewrite without the version it read (``save_one_per_child``).
WRITTEN_OR_REWRITTEN: dict[str, list[type[forms.Form]]] = {
    "PenPicture": [PenPictureForm],
    "UASCDetails": [UASCForm],
}


def _form_pages() -> list[tuple[str, type[Any]]]:
    pages: list[tuple[str, type[Any]]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is not None and issubclass(view_class, ActionFormView):
                    pages.append((prefix + str(pattern.pattern), view_class))

    walk(get_resolver().url_patterns, "/")
    return pages


def _forms_of(view_class: type[Any]) -> list[type[forms.Form]]:
    if issubclass(view_class, UpdateProgress):
        return [ActionStatusForm, MeetingProgressForm]
    form_class = getattr(view_class, "form_class", None)
    return [form_class] if form_class is not None else []


def test_every_versioned_model_has_its_edit_forms_listed() -> None:
    versioned = {m.__name__ for m in apps.get_models() if issubclass(m, VersionedModel)}
    assert versioned == set(EDIT_FORMS) | set(WRITTEN_OR_REWRITTEN)


def test_every_edit_form_requires_the_version() -> None:
    for edit_forms in EDIT_FORMS.values():
        for form_class in edit_forms:
            field = form_class.base_fields.get("version")
            assert isinstance(field, VersionField), form_class
            assert field.required, form_class


def test_every_form_page_with_a_version_requires_it() -> None:
    pages = _form_pages()
    assert len(pages) > 50  # the walk found the form pages
    optional = {form for listed in WRITTEN_OR_REWRITTEN.values() for form in listed}
    used: set[type[forms.Form]] = set()
    for route, view_class in pages:
        for form_class in _forms_of(view_class):
            used.add(form_class)
            field = form_class.base_fields.get("version")
            if field is not None and form_class not in optional:
                assert isinstance(field, VersionField), (route, form_class)
                assert field.required, (route, form_class)
    # Every edit form is reached by a page in the URLs, so the walk covers them.
    for edit_forms in EDIT_FORMS.values():
        for form_class in edit_forms:
            assert form_class in used or any(issubclass(u, form_class) for u in used), form_class


def test_a_form_without_the_version_is_refused_with_a_clear_message() -> None:
    class Edit(forms.Form):
        version = VersionField()

    for data in ({}, {"version": ""}, {"version": "x"}, {"version": "0"}):
        form = Edit(data)
        assert not form.is_valid()
        assert str(form.errors["version"][0]).startswith("This page is out of date")
