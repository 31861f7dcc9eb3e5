"""Pages of the child's record for case notes, management oversight and supervision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import user_can
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.core.forms import add_action_errors
from caseline.apps.people.queries import current_allocation
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.recording import actions, queries
from caseline.apps.recording.forms import (
    ActionDoneForm,
    AmendNoteForm,
    NoteFilterForm,
    NoteForm,
    OversightForm,
    SupervisionActionFormSet,
    SupervisionForm,
)
from caseline.apps.recording.models import CaseNote, SupervisionAction

PAGE_SIZE = 50


_add_errors = add_action_errors


_OCCURRED = {"occurred_at": "occurred_on"}


class RecordPage(ChildRecordMixin, TemplateView):
    record_section = "notes"

    def notes_url(self) -> str:
        return reverse("recording:record-notes", kwargs={"person_id": self.person.pk})

    def render_invalid(self, **context: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(**context), status=400)


class NotesView(RecordPage):
    """The child's notes, newest first, filtered by type and significance."""

    template_name = "recording/record_notes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = NoteFilterForm(self.request.GET or None)
        note_type, significant = "", False
        if form.is_bound and form.is_valid():
            note_type = form.cleaned_data["note_type"]
            significant = form.cleaned_data["significant"]
        notes = queries.notes_for_person(
            self.person, note_type=note_type, significant_only=significant
        )
        page = Paginator(notes, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        user = self.request.user
        context.update(
            filter_form=form,
            page=page,
            query=query.urlencode(),
            filtered=bool(note_type or significant),
            can_record=user_can(user, Permission.NOTE_RECORD),
            can_oversee=user_can(user, Permission.OVERSIGHT_RECORD),
            today=timezone.localdate(),
        )
        return context


class NoteNewView(RecordPage):
    permission = Permission.NOTE_RECORD
    template_name = "recording/note_form.html"

    def make_form(self) -> NoteForm:
        return NoteForm(self.request.POST or None, related=queries.related_people(self.person))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", self.make_form())
        context = super().get_context_data(**kwargs)
        context["can_oversee"] = user_can(self.request.user, Permission.OVERSIGHT_RECORD)
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.make_form()
        if form.is_valid():
            data = form.cleaned_data
            try:
                note = actions.record_note(
                    acting_user=request.user,
                    person=self.person,
                    note_type=data["note_type"],
                    occurred_at=form.occurred_at(),
                    title=data["title"],
                    body=data["body"],
                    is_significant=data["is_significant"],
                    significance=data["significance"],
                    others_involved=data.get("others_involved") or [],
                )
            except ValidationError as error:
                _add_errors(form, error, field_map=_OCCURRED)
            else:
                messages.success(request, f"Note recorded: {note.title}")
                return HttpResponseRedirect(self.notes_url())
        return self.render_invalid(form=form)


class OversightNewView(RecordPage):
    permission = Permission.OVERSIGHT_RECORD
    template_name = "recording/oversight_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", OversightForm())
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = OversightForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.record_management_oversight(
                    acting_user=request.user,
                    person=self.person,
                    occurred_at=form.occurred_at(),
                    decision=data["decision"],
                    rationale=data["rationale"],
                    next_review_date=data["next_review_date"],
                    body=data["body"],
                )
            except ValidationError as error:
                _add_errors(form, error, field_map=_OCCURRED)
            else:
                messages.success(request, "Management oversight recorded")
                return HttpResponseRedirect(self.notes_url())
        return self.render_invalid(form=form)


def _workers() -> QuerySet[User]:
    """Who may be supervised: active users who record case notes."""
    return (
        User.objects.filter(is_active=True, groups__permissions__codename=Permission.NOTE_RECORD)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class SupervisionNewView(RecordPage):
    permission = Permission.OVERSIGHT_RECORD
    template_name = "recording/supervision_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if "form" not in kwargs:
            allocation = current_allocation(self.person)
            initial = {"supervisee": allocation.worker_id} if allocation else {}
            kwargs["form"] = SupervisionForm(initial=initial, workers=_workers())
            kwargs["formset"] = SupervisionActionFormSet(prefix="actions")
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = SupervisionForm(request.POST, workers=_workers())
        formset = SupervisionActionFormSet(request.POST, prefix="actions")
        forms_valid = form.is_valid()
        actions_valid = formset.is_valid()
        action_errors: list[str] = []
        if forms_valid and actions_valid:
            data = form.cleaned_data
            items = [i for i in (f.to_input() for f in formset.forms) if i is not None]
            try:
                actions.record_supervision(
                    acting_user=request.user,
                    person=self.person,
                    occurred_at=form.occurred_at(),
                    supervisee=data["supervisee"],
                    objectives=data["objectives"],
                    contingency=data["contingency"],
                    reflection=data["reflection"],
                    actions=items,
                )
            except ValidationError as error:
                action_errors = error.message_dict.pop("actions", [])
                _add_errors(form, error, field_map=_OCCURRED)
            else:
                messages.success(request, "Supervision recorded")
                return HttpResponseRedirect(self.notes_url())
        return self.render_invalid(form=form, formset=formset, action_errors=action_errors)


class NoteDetailView(RecordPage):
    template_name = "recording/note_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        note = queries.get_note_for_person(self.person, int(self.kwargs["note_id"]))
        context.update(note=note, can_amend=actions.can_amend(self.request.user, note))
        return context


class NoteAmendView(RecordPage):
    permission = Permission.NOTE_RECORD
    template_name = "recording/note_amend.html"

    def get_note(self) -> CaseNote:
        note = queries.get_note_for_person(self.person, int(self.kwargs["note_id"]))
        if not actions.can_amend(self.request.user, note):
            raise PermissionDenied
        return note

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        note = kwargs.setdefault("note", self.get_note())
        kwargs.setdefault(
            "form",
            AmendNoteForm(
                initial={"version": note.version, "title": note.title, "body": note.body}
            ),
        )
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        note = self.get_note()
        form = AmendNoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.amend_note(
                    acting_user=request.user,
                    note=note,
                    read_version=data["version"],
                    title=data["title"],
                    body=data["body"],
                    reason=data["reason"],
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
            except ValidationError as error:
                _add_errors(form, error, field_map={})
            else:
                messages.success(request, "Note amended. The previous version has been kept.")
                return HttpResponseRedirect(
                    reverse(
                        "recording:note-detail",
                        kwargs={"person_id": self.person.pk, "note_id": note.pk},
                    )
                )
        return self.render_invalid(form=form, note=note)


class ActionDoneView(RecordPage):
    permission = Permission.NOTE_RECORD
    template_name = "recording/action_done.html"

    def get_action(self) -> SupervisionAction:
        return queries.get_action_for_person(self.person, int(self.kwargs["action_id"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("action", self.get_action())
        kwargs.setdefault("form", ActionDoneForm(initial={"done_on": timezone.localdate()}))
        return super().get_context_data(**kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = self.get_action()
        form = ActionDoneForm(request.POST)
        if form.is_valid():
            try:
                actions.complete_supervision_action(
                    acting_user=request.user, action=action, done_on=form.cleaned_data["done_on"]
                )
            except ValidationError as error:
                _add_errors(form, error, field_map={})
            else:
                messages.success(request, "Action marked as done")
                return HttpResponseRedirect(self.notes_url())
        return self.render_invalid(form=form, action=action)
