"""The one way to build a page whose form hands its data to an action.

A form page does four things: look up the record with the access helper, bind the form, call
the action, redirect. :class:`ActionFormView` does the last three; the lookup comes from a
mixin placed before it (``ChildRecordMixin`` for a page of a child's record, which checks the
permission, then visibility, and audits the read)::

    class VisitCreateView(ChildRecordMixin, ActionFormView[VisitForm]):
        permission = Permission.VISIT_RECORD
        form_class = VisitForm
        template_name = "cin/form.html"
        title = "Record a visit"
        success_message = "Visit recorded"

        def perform(self, form: VisitForm) -> object:
            return actions.record_visit(
                acting_user=self.request.user, child=self.person, **form.cleaned_data
            )

The action's ``ValidationError`` goes onto the form, beside the field it names (through
``error_aliases`` where the action's keyword differs from the field's name); an
``EditConflict`` goes on top; either way the page is shown again, with status 400 and
everything the user typed.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.generic import FormView

from caseline.apps.core import submissions
from caseline.apps.core.access import AuthenticatedRequest
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.core.forms import add_action_errors

F = TypeVar("F", bound=forms.BaseForm)
logger = logging.getLogger(__name__)


class ActionFormView(FormView, Generic[F]):  # type: ignore[type-arg]
    """A page with one form whose valid data :meth:`perform` passes to one action."""

    request: AuthenticatedRequest
    title: ClassVar[str] = ""
    button: ClassVar[str] = "Save"
    success_message: ClassVar[str] = ""
    # Action keyword -> form field, for actions whose names differ from the form's.
    error_aliases: ClassVar[dict[str, str]] = {}
    # What the action returned, for get_success_url and get_success_message.
    result: Any = None

    def perform(self, form: F) -> object:
        """Call the action with the form's cleaned data; return what it made, if anything."""
        raise NotImplementedError(f"{type(self).__name__} must define perform()")

    def get_back_url(self) -> str:
        """Where "Back" and "Cancel" go: by default where a save goes."""
        return self.get_success_url()

    def get_success_message(self) -> str:
        return self.success_message

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context.setdefault("button", self.button)
        context.setdefault("back_url", self.get_back_url())
        return context

    def form_invalid(self, form: F) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_form(self, form_class: Any = None) -> F:
        """The form, with the one-time token that makes it safe to send twice."""
        form: F = super().get_form(form_class)
        form.fields[submissions.TOKEN_FIELD] = submissions.token_field()
        return form

    def form_valid(self, form: F) -> HttpResponse:
        token = submissions.parse(form.cleaned_data.pop(submissions.TOKEN_FIELD, None))
        user_id = self.request.user.pk
        if token is not None:
            earlier = submissions.claim(user_id, token)
            if earlier is not None:
                if earlier.result_url:
                    messages.success(self.request, submissions.ALREADY_SENT)
                    return redirect(earlier.result_url)
                form.add_error(None, submissions.STILL_SAVING)
                return self.form_invalid(form)
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            self._release(token)
            add_action_errors(form, error, field_map=self.error_aliases)
            return self.form_invalid(form)
        except EditConflict as conflict:
            self._release(token)
            form.add_error(None, str(conflict))
            return self.form_invalid(form)
        except BaseException:
            self._release(token)
            raise
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        url = self.get_success_url()
        if token is not None:
            submissions.complete(user_id, token, url)
        return redirect(url)

    def _release(self, token: Any) -> None:
        if token is None:
            return
        try:
            submissions.release(self.request.user.pk, token)
        except DatabaseError:
            # The database is gone: the claim stays until it is old enough to take over.
            logger.warning("Could not give back form token %s", token)
