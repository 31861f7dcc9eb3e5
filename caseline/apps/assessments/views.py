"""Assessment pages: thin views that look up, bind the form, call the action, redirect."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.assessments import actions
from caseline.apps.assessments.checks import authorisation_gaps, late_reason_gap, missing_sections
from caseline.apps.assessments.forms import (
    AssessmentForm,
    AuthoriseForm,
    ReturnForm,
    StartAssessmentForm,
    SubmitForm,
)
from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import (
    assessments_for_person,
    awaiting_authorisation,
    dfe_duration_working_days,
    get_assessment_for_user,
    next_step,
    timeliness,
    timescale,
)
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.frontdoor.queries import open_referral_for
from caseline.apps.people.queries import current_allocation
from caseline.apps.people.record import ChildRecordMixin

SECTION = "assessments"

F = TypeVar("F", bound=forms.BaseForm)


class RecordListView(ChildRecordMixin, TemplateView):
    """The assessments section of a child's record."""

    request: AuthenticatedRequest

    record_section = SECTION
    template_name = "assessments/record_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        rows = [(a, timeliness(a, today)) for a in assessments_for_person(self.person)]
        context["rows"] = rows
        open_referral = open_referral_for(self.person)
        context["can_start"] = (
            open_referral is not None
            and user_can(self.request.user, Permission.ASSESSMENT_RECORD)
            and not any(a.is_open and a.referral_id == open_referral.pk for a, _ in rows)
        )
        return context


class NewAssessmentView(ChildRecordMixin, ActionFormView[StartAssessmentForm]):
    permission = Permission.ASSESSMENT_RECORD
    record_section = SECTION
    template_name = "assessments/new.html"
    form_class = StartAssessmentForm
    success_message = "Assessment started"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["referral"] = open_referral_for(self.person)
        return context

    def perform(self, form: StartAssessmentForm) -> Assessment:
        return actions.start_assessment(
            acting_user=self.request.user,
            child=self.person,
            start_date=form.cleaned_data["start_date"],
        )

    def get_success_url(self) -> str:
        return reverse("assessments:edit", kwargs={"pk": self.result.pk})

    def get_back_url(self) -> str:
        return reverse("assessments:record-list", kwargs={"person_id": self.person.pk})


class AssessmentMixin(ChildRecordMixin):
    """A page about one assessment, framed by the child's record.

    Permission first, then the assessment's visibility; ``ChildRecordMixin`` then checks the
    child, audits the read and fills the identity bar.
    """

    permission: ClassVar[Permission] = Permission.CHILD_VIEW
    record_section = SECTION
    assessment: Assessment

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
    request: AuthenticatedRequest
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
        if self.assessment.status == Assessment.Status.SUBMITTED and not context["can_authorise"]:
            # Say who is to do it: the manager of the team the child is allocated to.
            allocation = current_allocation(self.person)
            context["authorising_manager"] = (
                allocation.team.manager if allocation is not None else None
            )
        step = next_step(self.assessment)
        context["next_step"] = step
        context["can_take_next_step"] = step is not None and user_can(user, step.permission)
        return context


class AssessmentFormView(AssessmentMixin, ActionFormView[F]):
    """A form about one assessment; a save goes back to the assessment."""

    def get_success_url(self) -> str:
        return reverse("assessments:detail", kwargs={"pk": self.assessment.pk})


class EditView(AssessmentFormView[AssessmentForm]):
    permission = Permission.ASSESSMENT_RECORD
    template_name = "assessments/edit.html"
    form_class = AssessmentForm
    success_message = "Assessment saved"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.assessment.is_editable:
            messages.info(request, "This assessment cannot be changed now")
            return redirect("assessments:detail", pk=self.assessment.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return AssessmentForm.initial_from(self.assessment)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["assessment"] = self.assessment
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["returns"] = self.assessment.returns.select_related("returned_by")
        context["timescale"] = timescale(self.assessment)
        return context

    def perform(self, form: AssessmentForm) -> Assessment:
        return actions.save_assessment(
            acting_user=self.request.user,
            assessment=self.assessment,
            read_version=form.cleaned_data["version"],
            values=form.values(),
        )

    def get_success_url(self) -> str:
        if "submit" in self.request.POST:
            return reverse("assessments:submit", kwargs={"pk": self.assessment.pk})
        return super().get_success_url()


class SubmitView(AssessmentFormView[SubmitForm]):
    permission = Permission.ASSESSMENT_RECORD
    template_name = "assessments/submit.html"
    form_class = SubmitForm
    success_message = "Assessment submitted for authorisation"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # What stops it being submitted (the sections authorising needs too), and, apart, the
        # reason for lateness the manager will need if it is already late.
        context["gaps"] = missing_sections(self.assessment)
        context["late_gap"] = late_reason_gap(self.assessment, timezone.localdate())
        return context

    def perform(self, form: SubmitForm) -> Assessment:
        return actions.submit_assessment(acting_user=self.request.user, assessment=self.assessment)


class AuthoriseView(AssessmentFormView[AuthoriseForm]):
    """The manager's sign-off: the checklist of what is missing, then the date."""

    permission = Permission.ASSESSMENT_AUTHORISE
    template_name = "assessments/authorise.html"
    form_class = AuthoriseForm
    success_message = "Assessment authorised"

    def get_initial(self) -> dict[str, Any]:
        return {"authorised_on": timezone.localdate(), "late_reason": self.assessment.late_reason}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The checklist is for the date the manager typed, once it is a real date.
        form = context["form"]
        on = getattr(form, "cleaned_data", {}).get("authorised_on") or timezone.localdate()
        context["gaps"] = authorisation_gaps(self.assessment, on)
        context["is_own"] = self.request.user.pk in {
            self.assessment.submitted_by_id,
            self.assessment.recorded_by_id,
        }
        context["is_submitted"] = self.assessment.status == Assessment.Status.SUBMITTED
        return context

    def perform(self, form: AuthoriseForm) -> Assessment:
        return actions.authorise_assessment(
            acting_user=self.request.user, assessment=self.assessment, **form.cleaned_data
        )


class ReturnView(AssessmentFormView[ReturnForm]):
    permission = Permission.ASSESSMENT_AUTHORISE
    template_name = "assessments/return.html"
    form_class = ReturnForm
    success_message = "Assessment returned to the social worker"

    def perform(self, form: ReturnForm) -> Assessment:
        return actions.return_assessment(
            acting_user=self.request.user,
            assessment=self.assessment,
            reasons=form.cleaned_data["reasons"],
        )

    def get_success_url(self) -> str:
        return reverse("assessments:awaiting-authorisation")

    def get_back_url(self) -> str:
        return reverse("assessments:detail", kwargs={"pk": self.assessment.pk})


class AwaitingAuthorisationView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedRequest
    permission = Permission.ASSESSMENT_AUTHORISE
    template_name = "assessments/awaiting.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [
            (a, timeliness(a, today)) for a in awaiting_authorisation(self.request.user)
        ]
        return context
