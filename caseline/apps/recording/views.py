"""Pages of the child's record for case notes, management oversight and supervision."""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import AuthenticatedRequest, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.core.paging import paged
from caseline.apps.people.queries import current_allocation, hide_restricted
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.recording import actions, queries
from caseline.apps.recording.forms import (
    ActionDoneForm,
    AmendNoteForm,
    ChildVoiceForm,
    NoteFilterForm,
    NoteForm,
    OversightForm,
    SupervisionActionFormSet,
    SupervisionForm,
)
from caseline.apps.recording.models import (
    CaseNote,
    ChildVoice,
    ManagementOversight,
    Supervision,
    SupervisionAction,
)

PAGE_SIZE = 50
NOTES_PAGE = "notes"
# Visits on one page of the visits and notes tab, newest first; a long history has hundreds.
VISITS_PER_PAGE = 20

F = TypeVar("F", bound=forms.BaseForm)


def _notes_url(person_id: int) -> str:
    return reverse("recording:record-notes", kwargs={"person_id": person_id})


class RecordPage(ChildRecordMixin, TemplateView):
    record_section = "notes"
    request: AuthenticatedRequest


class RecordFormPage(ChildRecordMixin, ActionFormView[F]):
    """A form on the child's visits and notes; a save goes back to them."""

    record_section = "notes"
    # The actions take the moment a note is about; the forms ask for its day and time.
    error_aliases = {"occurred_at": "occurred_on"}

    def get_success_url(self) -> str:
        return _notes_url(self.person.pk)


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
        # The visits above take ?page= (core.paging); the notes are paged by ?notes=.
        page = Paginator(notes, PAGE_SIZE).get_page(self.request.GET.get(NOTES_PAGE))
        query = self.request.GET.copy()
        query.pop(NOTES_PAGE, None)
        user = self.request.user
        today = timezone.localdate()
        visits = paged(
            queries.visits_of(self.person), self.request, VISITS_PER_PAGE, fragment="visits"
        )
        context.update(
            filter_form=form,
            page=page,
            query=query.urlencode(),
            filtered=bool(note_type or significant),
            can_record=user_can(user, Permission.NOTE_RECORD),
            can_oversee=user_can(user, Permission.OVERSIGHT_RECORD),
            today=today,
            visits=queries.visit_rows(self.person, visits.page.object_list),
            visits_paged=visits,
            visit_links=(
                queries.visit_links_for(self.person, today)
                if user_can(user, Permission.VISIT_RECORD)
                else []
            ),
        )
        return context


class NoteNewView(RecordFormPage[NoteForm]):
    permission = Permission.NOTE_RECORD
    template_name = "recording/note_form.html"
    form_class = NoteForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["related"] = hide_restricted(queries.related_people(self.person), self.request.user)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_oversee"] = user_can(self.request.user, Permission.OVERSIGHT_RECORD)
        return context

    def perform(self, form: NoteForm) -> CaseNote:
        data = form.cleaned_data
        return actions.record_note(
            acting_user=self.request.user,
            child=self.person,
            note_type=data["note_type"],
            occurred_at=form.occurred_at(),
            title=data["title"],
            body=data["body"],
            is_significant=data["is_significant"],
            significance=data["significance"],
            others_involved=data.get("others_involved") or [],
        )

    def get_success_message(self) -> str:
        return f"Note recorded: {self.result.title}"


class OversightNewView(RecordFormPage[OversightForm]):
    permission = Permission.OVERSIGHT_RECORD
    template_name = "recording/oversight_form.html"
    form_class = OversightForm
    success_message = "Management oversight recorded"

    def perform(self, form: OversightForm) -> ManagementOversight:
        data = form.cleaned_data
        return actions.record_management_oversight(
            acting_user=self.request.user,
            child=self.person,
            occurred_at=form.occurred_at(),
            decision=data["decision"],
            rationale=data["rationale"],
            next_review_date=data["next_review_date"],
            body=data["body"],
        )


class ChildVoiceNewView(RecordFormPage[ChildVoiceForm]):
    """The child's answers to the SSD's voice-of-the-child questions."""

    permission = Permission.NOTE_RECORD
    template_name = "recording/child_voice_form.html"
    form_class = ChildVoiceForm
    success_message = "The child's answers recorded"
    error_aliases = {"answers": "explained_worries"}

    def perform(self, form: ChildVoiceForm) -> ChildVoice:
        return actions.record_child_voice(
            acting_user=self.request.user,
            child=self.person,
            asked_on=form.cleaned_data["asked_on"],
            answers=form.answers(),
        )


def _workers() -> QuerySet[User]:
    """Who may be supervised: active users who record case notes."""
    return (
        User.objects.filter(is_active=True, groups__permissions__codename=Permission.NOTE_RECORD)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class SupervisionNewView(RecordFormPage[SupervisionForm]):
    """Supervision: its form, and the actions agreed (a formset) that the same action saves."""

    permission = Permission.OVERSIGHT_RECORD
    template_name = "recording/supervision_form.html"
    form_class = SupervisionForm
    success_message = "Supervision recorded"
    # The action's problems with the actions agreed, shown beside them.
    action_errors: list[str] = []

    @cached_property
    def formset(self) -> Any:
        data = self.request.POST if self.request.method == "POST" else None
        return SupervisionActionFormSet(data, prefix="actions")

    def get_initial(self) -> dict[str, Any]:
        allocation = current_allocation(self.person)
        return {"supervisee": allocation.worker_id} if allocation else {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["workers"] = _workers()
        return kwargs

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form()
        form_valid = form.is_valid()
        if self.formset.is_valid() and form_valid:
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(formset=self.formset, action_errors=self.action_errors)
        return context

    def perform(self, form: SupervisionForm) -> Supervision:
        data = form.cleaned_data
        items = [i for i in (f.to_input() for f in self.formset.forms) if i is not None]
        try:
            return actions.record_supervision(
                acting_user=self.request.user,
                child=self.person,
                occurred_at=form.occurred_at(),
                supervisee=data["supervisee"],
                objectives=data["objectives"],
                contingency=data["contingency"],
                reflection=data["reflection"],
                actions=items,
            )
        except ValidationError as error:
            problems = error.message_dict
            self.action_errors = problems.pop("actions", [])
            raise ValidationError(problems) from None


class NoteDetailView(RecordPage):
    template_name = "recording/note_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        note = queries.get_note_for_person(self.person, int(self.kwargs["note_id"]))
        context.update(
            note=note,
            can_amend=queries.can_amend(self.request.user, note),
            # For "Mark as done" on a supervision's actions, as the notes list offers it.
            can_record=user_can(self.request.user, Permission.NOTE_RECORD),
        )
        return context


class NoteAmendView(RecordFormPage[AmendNoteForm]):
    permission = Permission.NOTE_RECORD
    template_name = "recording/note_amend.html"
    form_class = AmendNoteForm
    success_message = "Note amended. The previous version has been kept."

    @cached_property
    def note(self) -> CaseNote:
        note = queries.get_note_for_person(self.person, int(self.kwargs["note_id"]))
        if not queries.can_amend(self.request.user, note):
            raise PermissionDenied
        return note

    def get_initial(self) -> dict[str, Any]:
        note = self.note
        return {"version": note.version, "title": note.title, "body": note.body}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["note"] = self.note
        return context

    def perform(self, form: AmendNoteForm) -> object:
        data = form.cleaned_data
        return actions.amend_note(
            acting_user=self.request.user,
            note=self.note,
            read_version=data["version"],
            title=data["title"],
            body=data["body"],
            reason=data["reason"],
        )

    def get_success_url(self) -> str:
        return reverse(
            "recording:note-detail",
            kwargs={"person_id": self.person.pk, "note_id": self.note.pk},
        )


class ActionDoneView(RecordFormPage[ActionDoneForm]):
    permission = Permission.NOTE_RECORD
    template_name = "recording/action_done.html"
    form_class = ActionDoneForm
    success_message = "Action marked as done"

    @cached_property
    def action(self) -> SupervisionAction:
        return queries.get_action_for_person(self.person, int(self.kwargs["action_id"]))

    def get_initial(self) -> dict[str, Any]:
        return {"done_on": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        return context

    def perform(self, form: ActionDoneForm) -> SupervisionAction:
        return actions.complete_supervision_action(
            acting_user=self.request.user,
            action=self.action,
            done_on=form.cleaned_data["done_on"],
        )
