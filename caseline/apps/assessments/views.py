"""Assessment pages: thin views that look up, bind the form, call the action, redirect."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.assessments import actions
from caseline.apps.assessments.checks import authorisation_gaps
from caseline.apps.assessments.forms import (
    AssessmentForm,
    AuthoriseForm,
    ReturnForm,
    StartAssessmentForm,
)
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import (
    assessments_for_person,
    awaiting_authorisation,
    dfe_duration_working_days,
    get_assessment_for_user,
    timeliness,
)
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import PermissionRequiredMixin, user_can
from caseline.apps.core.concurrency import EditConflict
from caseline.apps.core.forms import add_action_errors
from caseline.apps.frontdoor.models import Referral
from caseline.apps.people.record import ChildRecordMixin

SECTION = "assessments"


_add_errors = add_action_errors


class RecordListView(ChildRecordMixin, TemplateView):
    """The assessments section of a child's record."""

    record_section = SECTION
    template_name = "assessments/record_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = [(a, timeliness(a, today)) for a in assessments_for_person(self.person)]
        context["rows"] = rows
        open_referral = Referral.objects.filter(person=self.person, closed_on__isnull=True).first()
        context["can_start"] = (
            open_referral is not None
            and user_can(self.request.user, Permission.ASSESSMENT_RECORD)
            and not any(a.is_open and a.referral_id == open_referral.pk for a, _ in rows)
        )
        return context


class NewAssessmentView(ChildRecordMixin, TemplateView):
    permission = Permission.ASSESSMENT_RECORD
    record_section = SECTION
    template_name = "assessments/new.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", StartAssessmentForm())
        context["referral"] = Referral.objects.filter(
            person=self.person, closed_on__isnull=True
        ).first()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = StartAssessmentForm(request.POST)
        if form.is_valid():
            try:
                assessment = actions.start_assessment(
                    acting_user=request.user,  # type: ignore[arg-type]
                    person=self.person,
                    start_date=form.cleaned_data["start_date"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Assessment started")
                return redirect("assessments:edit", pk=assessment.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AssessmentMixin(ChildRecordMixin):
    """A page about one assessment, framed by the child's record.

    Permission first, then the assessment's visibility; ``ChildRecordMixin`` then checks the
    child, audits the read and fills the identity bar.
    """

    permission: ClassVar[Permission] = Permission.CHILD_VIEW
    record_section = SECTION
    assessment: Assessment
    request: HttpRequest

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if user_can(request.user, self.permission):
            self.assessment = get_assessment_for_user(request.user, int(kwargs["pk"]))
            kwargs["person_id"] = self.assessment.person_id
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assessment = self.assessment
        context["assessment"] = assessment
        context["timeliness"] = timeliness(assessment)
        if assessment.authorised_on is not None:
            context["dfe_duration"] = dfe_duration_working_days(
                assessment.start_date, assessment.authorised_on
            )
        return context


class DetailView(AssessmentMixin, TemplateView):
    template_name = "assessments/detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        factor_list = code_list(CodeListName.ASSESSMENT_FACTOR)
        context["factor_labels"] = [
            f"{code} - {factor_list.label(code)}" for code in self.assessment.factors
        ]
        context["returns"] = self.assessment.returns.select_related("returned_by")
        context["can_edit"] = self.assessment.is_editable and user_can(
            user, Permission.ASSESSMENT_RECORD
        )
        context["can_authorise"] = (
            self.assessment.status == Assessment.Status.SUBMITTED
            and user_can(user, Permission.ASSESSMENT_AUTHORISE)
        )
        return context


class EditView(AssessmentMixin, TemplateView):
    permission = Permission.ASSESSMENT_RECORD
    template_name = "assessments/edit.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.assessment.is_editable:
            messages.info(request, "This assessment cannot be changed now")
            return redirect("assessments:detail", pk=self.assessment.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AssessmentForm(assessment=self.assessment))
        context["returns"] = self.assessment.returns.select_related("returned_by")
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AssessmentForm(request.POST, assessment=self.assessment)
        if form.is_valid():
            try:
                actions.save_assessment(
                    acting_user=request.user,  # type: ignore[arg-type]
                    assessment=self.assessment,
                    read_version=form.cleaned_data["version"],
                    values=form.values(),
                )
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Assessment saved")
                if "submit" in request.POST:
                    return redirect("assessments:submit", pk=self.assessment.pk)
                return redirect("assessments:detail", pk=self.assessment.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SubmitView(AssessmentMixin, TemplateView):
    permission = Permission.ASSESSMENT_RECORD
    template_name = "assessments/submit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["gaps"] = authorisation_gaps(self.assessment, timezone.localdate())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            actions.submit_assessment(
                acting_user=request.user,  # type: ignore[arg-type]
                assessment=self.assessment,
            )
        except ValidationError as error:
            return self.render_to_response(
                self.get_context_data(action_errors=error.messages), status=400
            )
        messages.success(request, "Assessment submitted for authorisation")
        return redirect("assessments:detail", pk=self.assessment.pk)


class AuthoriseView(AssessmentMixin, TemplateView):
    """The manager's sign-off: the checklist of what is missing, then the date."""

    permission = Permission.ASSESSMENT_AUTHORISE
    template_name = "assessments/authorise.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        form = context.setdefault(
            "form", AuthoriseForm(today=today, late_reason=self.assessment.late_reason)
        )
        # The checklist is for the date the manager typed, once it is a real date.
        on = getattr(form, "cleaned_data", {}).get("authorised_on") or today
        context["gaps"] = authorisation_gaps(self.assessment, on)
        context["is_own"] = self.request.user.pk in {
            self.assessment.submitted_by_id,
            self.assessment.recorded_by_id,
        }
        context["is_submitted"] = self.assessment.status == Assessment.Status.SUBMITTED
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = AuthoriseForm(request.POST, today=timezone.localdate())
        if form.is_valid():
            try:
                actions.authorise_assessment(
                    acting_user=request.user,  # type: ignore[arg-type]
                    assessment=self.assessment,
                    authorised_on=form.cleaned_data["authorised_on"],
                    late_reason=form.cleaned_data["late_reason"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Assessment authorised")
                return redirect("assessments:detail", pk=self.assessment.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ReturnView(AssessmentMixin, TemplateView):
    permission = Permission.ASSESSMENT_AUTHORISE
    template_name = "assessments/return.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ReturnForm())
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                actions.return_assessment(
                    acting_user=request.user,  # type: ignore[arg-type]
                    assessment=self.assessment,
                    reasons=form.cleaned_data["reasons"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, "Assessment returned to the social worker")
                return redirect("assessments:awaiting-authorisation")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class AwaitingAuthorisationView(PermissionRequiredMixin, TemplateView):
    permission = Permission.ASSESSMENT_AUTHORISE
    template_name = "assessments/awaiting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [
            (a, timeliness(a, today)) for a in awaiting_authorisation(self.request.user)
        ]
        return context
