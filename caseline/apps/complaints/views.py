"""The complaints officer's pages: the work list, a complaint and its stages, a child's
complaints, and the annual report (page and CSV, an audited export)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.complaints import actions, forms, queries
from caseline.apps.complaints.models import Complaint
from caseline.apps.core.access import PermissionRequiredMixin, requires, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.people.shown import children_shown


class WorkListView(PermissionRequiredMixin, TemplateView):
    permission = Permission.COMPLAINTS_MANAGE
    template_name = "complaints/work_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        everyone = self.request.GET.get("show") == "all"
        user = self.request.user
        context.update(
            rows=queries.work_list(user, None if everyone else user.pk, timezone.localdate()),
            everyone=everyone,
        )
        return context


class ChildComplaintsView(ChildRecordMixin, TemplateView):
    permission = Permission.COMPLAINTS_MANAGE
    template_name = "complaints/child.html"
    record_section = "complaints"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["complaints"] = queries.complaints_about(self.person)
        return context


class ComplaintNewView(ChildRecordMixin, ActionFormView[forms.ComplaintForm]):
    permission = Permission.COMPLAINTS_MANAGE
    form_class = forms.ComplaintForm
    template_name = "complaints/record_form.html"
    record_section = "complaints"
    title = "Record a complaint"
    success_message = "Complaint recorded"

    def perform(self, form: forms.ComplaintForm) -> object:
        return actions.record_complaint(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        if self.result is None:
            return reverse("complaints:child", args=[self.person.pk])
        return reverse("complaints:complaint", args=[self.result.pk])


class _ComplaintMixin(PermissionRequiredMixin):
    """Looks up the complaint (and checks its child is visible) after the permission."""

    permission = Permission.COMPLAINTS_MANAGE
    complaint: Complaint

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.complaint = queries.get_complaint_for_user(
                request.user, int(kwargs["complaint_id"])
            )
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return reverse("complaints:complaint", args=[self.complaint.pk])


class ComplaintView(_ComplaintMixin, TemplateView):
    template_name = "complaints/complaint.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        complaint = self.complaint
        children_shown(self.request, subject=complaint.person_id, section="complaints")
        today = timezone.localdate()
        stages = list(complaint.stages.prefetch_related("findings"))
        context.update(
            complaint=complaint,
            stages=[(s, queries.stage_timeliness(s, today)) for s in stages],
            open_stage=next((s for s in stages if s.completed_date is None), None),
            can_escalate=bool(stages)
            and stages[-1].completed_date is not None
            and stages[-1].stage < 3,
            lessons=list(complaint.lessons.all()),
        )
        return context


class _StepView(_ComplaintMixin, ActionFormView[Any]):
    template_name = "complaints/form.html"


class ExtendView(_StepView):
    form_class = forms.ExtendForm
    title = "Extend the stage"
    success_message = "Stage extended"

    def perform(self, form: Any) -> object:
        return actions.extend_stage(
            acting_user=self.request.user, complaint=self.complaint, **form.cleaned_data
        )


class CompleteView(_StepView):
    form_class = forms.CompleteForm
    title = "Record the response"
    success_message = "Response recorded"

    def perform(self, form: Any) -> object:
        return actions.complete_stage(
            acting_user=self.request.user, complaint=self.complaint, **form.cleaned_data
        )


class EscalateView(_StepView):
    form_class = forms.EscalateForm
    title = "Start the next stage"
    success_message = "Next stage started"

    def perform(self, form: Any) -> object:
        return actions.escalate(
            acting_user=self.request.user, complaint=self.complaint, **form.cleaned_data
        )


class FindingView(_StepView):
    form_class = forms.FindingForm
    title = "Record a finding"
    success_message = "Finding recorded"

    def perform(self, form: Any) -> object:
        return actions.record_finding(
            acting_user=self.request.user, complaint=self.complaint, **form.cleaned_data
        )


class LessonView(_StepView):
    form_class = forms.LessonForm
    title = "Record a lesson learned"
    success_message = "Lesson recorded"

    def perform(self, form: Any) -> object:
        return actions.record_lesson(
            acting_user=self.request.user, complaint=self.complaint, **form.cleaned_data
        )


def _year(request: Any) -> tuple[forms.ReportYearForm, int]:
    today = timezone.localdate()
    default = today.year if today.month >= 4 else today.year - 1
    form = forms.ReportYearForm(request.GET if "year" in request.GET else {"year": default})
    year = form.cleaned_data["year"] if form.is_valid() else default
    return form, year


class ReportView(PermissionRequiredMixin, TemplateView):
    permission = Permission.COMPLAINTS_MANAGE
    template_name = "complaints/report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form, year = _year(self.request)
        context.update(form=form, report=queries.annual_report(year, timezone.localdate()))
        return context


@requires(Permission.COMPLAINTS_MANAGE)
def report_csv(request: Any) -> HttpResponse:
    """The annual report's figures as CSV (counts only, no names); audited as an export."""
    form, year = _year(request)
    if not form.is_valid():
        return HttpResponse("Enter the reporting year as a number.", status=400)
    report = queries.annual_report(year, timezone.localdate())
    record_export(
        acting_user=request.user, export_name="complaints annual report", extra={"year": year}
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Measure", "Category", "Count"])
    writer.writerows(report.rows())
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="complaints_report_{year}.csv"'
    return response
