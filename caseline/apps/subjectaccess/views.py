"""Subject access's pages: record a request, extend its deadline, record its answer.

Open requests and their deadlines are listed on the handler's My work page."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.people.models import Person
from caseline.apps.people.queries import get_person_for_user
from caseline.apps.subjectaccess import actions
from caseline.apps.subjectaccess.forms import (
    CompleteRequestForm,
    ExtendRequestForm,
    RecordRequestForm,
)
from caseline.apps.subjectaccess.models import SubjectAccessRequest


class RecordRequestView(PermissionRequiredMixin, ActionFormView[RecordRequestForm]):
    """Record a request for what the council holds about a person; the handler is the user."""

    permission = Permission.SUBJECT_ACCESS_MANAGE
    template_name = "subjectaccess/form.html"
    form_class = RecordRequestForm
    title = "Record a subject access request"
    button = "Record the request"
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.person = get_person_for_user(request.user, kwargs["person_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        return context

    def perform(self, form: RecordRequestForm) -> SubjectAccessRequest:
        return actions.record_request(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )

    def get_success_message(self) -> str:
        return f"Subject access request recorded: answer by {self.result.due:%-d %B %Y}"

    def get_success_url(self) -> str:
        return reverse("mywork:mine")

    def get_back_url(self) -> str:
        return reverse("people:record", args=[self.person.pk])


class _RequestFormView(PermissionRequiredMixin, ActionFormView[Any]):
    permission = Permission.SUBJECT_ACCESS_MANAGE
    template_name = "subjectaccess/form.html"
    access_request: SubjectAccessRequest
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.access_request = get_object_or_404(
                SubjectAccessRequest, pk=kwargs["request_id"], completed_on__isnull=True
            )
            self.person = get_person_for_user(request.user, self.access_request.person_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, access_request=self.access_request)
        return context

    def get_success_url(self) -> str:
        return reverse("mywork:mine")


class ExtendRequestView(_RequestFormView):
    """Extend a complex request's deadline by one or two months, within the first month."""

    form_class = ExtendRequestForm
    title = "Extend the deadline"
    button = "Extend the deadline"

    def perform(self, form: ExtendRequestForm) -> SubjectAccessRequest:
        return actions.extend_request(
            acting_user=self.request.user,
            request=self.access_request,
            as_at=timezone.localdate(),
            **form.cleaned_data,
        )

    def get_success_message(self) -> str:
        return f"Deadline extended to {self.result.due:%-d %B %Y}"


class CompleteRequestView(_RequestFormView):
    """Record the day the answer was sent."""

    form_class = CompleteRequestForm
    title = "Record the answer sent"
    button = "Record the answer"
    success_message = "Subject access request answered"

    def perform(self, form: CompleteRequestForm) -> SubjectAccessRequest:
        return actions.complete_request(
            acting_user=self.request.user, request=self.access_request, **form.cleaned_data
        )
