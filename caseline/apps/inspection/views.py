"""The inspection pages: import and review a report, the inspection and its plan, the
committee's progress report (page and PDF), monitoring visits and the self-evaluation.

Every view declares its permission; the objects are looked up only after the check.
"""

from __future__ import annotations

import datetime
import tempfile
from functools import cached_property
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import (
    AuthenticatedRequest,
    PermissionRequiredMixin,
    requires,
    user_can,
)
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.core.pdf import render_pdf
from caseline.apps.inspection import actions, forms, queries
from caseline.apps.inspection.models import (
    ImprovementArea,
    Inspection,
    MonitoringVisit,
    PlanAction,
    ReportImport,
    SelfEvaluation,
    SelfEvaluationEntry,
)
from caseline.apps.inspection.plan import PlanAsAt, action_as_at
from caseline.apps.inspection.reader import ILACS_AREAS, Reading, ReportUnreadable, report_text
from caseline.apps.inspection.report import CommitteeReport, committee_report

FORM_TEMPLATE = "inspection/form.html"


class HomeView(PermissionRequiredMixin, TemplateView):
    """Inspections, imports waiting for review, and self-evaluations."""

    permission = Permission.INSPECTION_VIEW
    template_name = "inspection/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            inspections=list(queries.inspections()),
            pending=list(queries.pending_imports()),
            self_evaluations=list(queries.self_evaluations()),
            can_manage=user_can(self.request.user, Permission.INSPECTION_MANAGE),
        )
        return context


class ImportView(PermissionRequiredMixin, ActionFormView[forms.ImportForm]):
    permission = Permission.INSPECTION_MANAGE
    form_class = forms.ImportForm
    template_name = "inspection/import.html"
    title = "Import an inspection report"
    button = "Read the report"
    error_aliases = {"report": "report"}

    def perform(self, form: forms.ImportForm) -> ReportImport:
        upload = form.cleaned_data["report"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "report"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                text = report_text(path)
            except ReportUnreadable as error:
                raise ValidationError(
                    {"report": str(error).replace("report ", f"{upload.name} ", 1)}
                ) from None
        return actions.import_report(
            acting_user=self.request.user, file_name=upload.name, text=text
        )

    def get_success_url(self) -> str:
        if self.result is None:
            return reverse("inspection:home")
        return reverse("inspection:review", args=[self.result.pk])


class ReviewView(PermissionRequiredMixin, ActionFormView[forms.ReviewForm]):
    """What was read, beside the report's own text; the reviewer corrects and confirms."""

    permission = Permission.INSPECTION_MANAGE
    form_class = forms.ReviewForm
    template_name = "inspection/review.html"
    title = "Check what was read from the report"
    button = "Confirm and save the inspection"
    success_message = "Inspection saved"

    @cached_property
    def report_import(self) -> ReportImport:
        return get_object_or_404(ReportImport, pk=self.kwargs["import_id"])

    @cached_property
    def reading(self) -> Reading:
        return Reading.from_json(self.report_import.reading)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.report_import.inspection_id is not None:
            return redirect("inspection:inspection", self.report_import.inspection_id)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "reading": self.reading}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(report_import=self.report_import, flags=self.reading.flags)
        return context

    def perform(self, form: forms.ReviewForm) -> Inspection:
        return actions.confirm_import(
            acting_user=self.request.user,
            report_import=self.report_import,
            reading=form.confirmed_reading(),
        )

    def get_success_url(self) -> str:
        return reverse("inspection:inspection", args=[self.result.pk])

    def get_back_url(self) -> str:
        return reverse("inspection:home")


def _as_at(request: HttpRequest) -> tuple[datetime.date, forms.AsAtForm]:
    """The date a plan or report is read at: the form's, or today."""
    form = forms.AsAtForm(request.GET if "as_at_day" in request.GET else None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["as_at"], form
    if not form.is_bound:
        form = forms.AsAtForm(initial={"as_at": timezone.localdate()})
    return timezone.localdate(), form


class InspectionMixin(PermissionRequiredMixin):
    """Looks up ``inspection_id`` after the permission check."""

    kwargs: dict[str, Any]

    @cached_property
    def inspection(self) -> Inspection:
        return queries.get_inspection(self.kwargs["inspection_id"])


class InspectionView(InspectionMixin, TemplateView):
    """The inspection's judgements, its plan as it stands, and its monitoring visits."""

    permission = Permission.INSPECTION_VIEW
    template_name = "inspection/inspection.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        as_at, as_at_form = _as_at(self.request)
        plan: PlanAsAt = queries.plan_for(self.inspection, as_at)
        context.update(
            inspection=self.inspection,
            judgements=list(self.inspection.judgements.all()),
            plan=plan,
            visits=list(queries.visits_of(self.inspection)),
            as_at_form=as_at_form,
            can_manage=user_can(self.request.user, Permission.INSPECTION_MANAGE),
        )
        return context


class InspectionFormView(InspectionMixin, ActionFormView[Any]):
    permission = Permission.INSPECTION_MANAGE
    template_name = FORM_TEMPLATE
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = str(self.inspection)
        return context

    def get_success_url(self) -> str:
        return reverse("inspection:inspection", args=[self.inspection.pk])


class AreaCreateView(InspectionFormView):
    form_class = forms.AreaForm
    title = "Add a heading to the plan"
    button = "Add the heading"
    success_message = "Heading added"

    def perform(self, form: forms.AreaForm) -> ImprovementArea:
        return actions.add_area(
            acting_user=self.request.user, inspection=self.inspection, **form.cleaned_data
        )


class ActionCreateView(InspectionFormView):
    form_class = forms.ActionForm
    title = "Add an action to the plan"
    button = "Add the action"
    success_message = "Action added"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "areas": self.inspection.areas.all()}

    def get_initial(self) -> dict[str, Any]:
        area = self.request.GET.get("area", "")
        return {"area": int(area)} if area.isdigit() else {}

    def perform(self, form: forms.ActionForm) -> PlanAction:
        return actions.add_plan_action(acting_user=self.request.user, **form.cleaned_data)


class ActionMixin(PermissionRequiredMixin):
    kwargs: dict[str, Any]

    @cached_property
    def action(self) -> PlanAction:
        return queries.get_action(self.kwargs["action_id"])


class ActionView(ActionMixin, TemplateView):
    """One action: its target, revisions, status, notes and evidence as they stand."""

    permission = Permission.INSPECTION_VIEW
    template_name = "inspection/action.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = list(self.action.progress.all())
        context.update(
            action=self.action,
            state=action_as_at(self.action, entries, timezone.localdate()),
            entries=entries,
            evidence=list(self.action.evidence.all()),
            can_manage=user_can(self.request.user, Permission.INSPECTION_MANAGE),
        )
        return context


class ActionFormBase(ActionMixin, ActionFormView[Any]):
    permission = Permission.INSPECTION_MANAGE
    template_name = FORM_TEMPLATE
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = f"Action {self.action.number}"
        return context

    def get_success_url(self) -> str:
        return reverse("inspection:action", args=[self.action.pk])


class ProgressCreateView(ActionFormBase):
    form_class = forms.ProgressForm
    title = "Record progress"
    button = "Record the progress"
    success_message = "Progress recorded"

    def perform(self, form: forms.ProgressForm) -> object:
        return actions.record_progress(
            acting_user=self.request.user, action=self.action, **form.cleaned_data
        )


class ActionEvidenceView(ActionFormBase):
    form_class = forms.EvidenceForm
    title = "Add evidence"
    button = "Add the link"
    success_message = "Evidence added"

    def perform(self, form: forms.EvidenceForm) -> object:
        return actions.add_evidence(
            acting_user=self.request.user, action=self.action, **form.cleaned_data
        )


class CommitteeReportView(InspectionMixin, TemplateView):
    """The council's progress report on the plan up to a date, as a page."""

    permission = Permission.INSPECTION_VIEW
    template_name = "inspection/committee_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        as_at, as_at_form = _as_at(self.request)
        context.update(
            report=committee_report(self.inspection, queries.plan_for(self.inspection, as_at)),
            as_at_form=as_at_form,
            pdf_query=self.request.GET.urlencode(),
        )
        return context


@requires(Permission.INSPECTION_VIEW)
def committee_report_pdf(request: AuthenticatedRequest, inspection_id: int) -> HttpResponseBase:
    """The committee's progress report as a PDF (``core.pdf``); recorded as an export."""
    inspection = queries.get_inspection(inspection_id)
    as_at, _ = _as_at(request)
    report: CommitteeReport = committee_report(inspection, queries.plan_for(inspection, as_at))
    html = render_to_string(
        "inspection/committee_report_pdf.html", {"report": report}, request=request
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    record_export(
        acting_user=request.user,
        export_name="inspection committee progress report",
        extra={"inspection": inspection.pk, "as_at": as_at.isoformat()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="improvement-plan-progress-{as_at.isoformat()}.pdf"'
    )
    return response


class VisitCreateView(InspectionFormView):
    form_class = forms.VisitForm
    title = "Record a monitoring visit"
    button = "Record the visit"
    success_message = "Monitoring visit recorded"

    def perform(self, form: forms.VisitForm) -> MonitoringVisit:
        return actions.record_monitoring_visit(
            acting_user=self.request.user, inspection=self.inspection, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        if self.result is not None:
            return reverse("inspection:visit", args=[self.result.pk])
        return super().get_success_url()


class VisitMixin(PermissionRequiredMixin):
    kwargs: dict[str, Any]

    @cached_property
    def visit(self) -> MonitoringVisit:
        return queries.get_visit(self.kwargs["visit_id"])


class VisitView(VisitMixin, TemplateView):
    permission = Permission.INSPECTION_VIEW
    template_name = "inspection/visit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            visit=self.visit,
            findings=list(self.visit.findings.prefetch_related("actions")),
            can_manage=user_can(self.request.user, Permission.INSPECTION_MANAGE),
        )
        return context


class FindingCreateView(VisitMixin, ActionFormView[forms.FindingForm]):
    permission = Permission.INSPECTION_MANAGE
    form_class = forms.FindingForm
    template_name = FORM_TEMPLATE
    title = "Record a finding"
    button = "Record the finding"
    success_message = "Finding recorded"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "actions": self.visit.inspection.actions.all()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = str(self.visit)
        return context

    def perform(self, form: forms.FindingForm) -> object:
        return actions.record_visit_finding(
            acting_user=self.request.user, visit=self.visit, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("inspection:visit", args=[self.visit.pk])


class SelfEvaluationCreateView(PermissionRequiredMixin, ActionFormView[forms.SelfEvaluationForm]):
    permission = Permission.INSPECTION_MANAGE
    form_class = forms.SelfEvaluationForm
    template_name = FORM_TEMPLATE
    title = "Start a self-evaluation"
    button = "Start the self-evaluation"
    success_message = "Self-evaluation started"

    def perform(self, form: forms.SelfEvaluationForm) -> SelfEvaluation:
        return actions.start_self_evaluation(acting_user=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        if self.result is not None:
            return reverse("inspection:self-evaluation", args=[self.result.pk])
        return reverse("inspection:home")


class SelfEvaluationMixin(PermissionRequiredMixin):
    kwargs: dict[str, Any]

    @cached_property
    def evaluation(self) -> SelfEvaluation:
        return queries.get_self_evaluation(self.kwargs["evaluation_id"])


class SelfEvaluationView(SelfEvaluationMixin, TemplateView):
    """The self-evaluation, one section per ILACS judgement area."""

    permission = Permission.INSPECTION_VIEW
    template_name = "inspection/self_evaluation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        entries = queries.entries_of(self.evaluation)
        context.update(
            evaluation=self.evaluation,
            sections=[
                (number, area, entries.get(area))
                for number, area in enumerate(ILACS_AREAS, start=1)
            ],
            can_manage=user_can(self.request.user, Permission.INSPECTION_MANAGE),
        )
        return context


class EntryRecordView(SelfEvaluationMixin, ActionFormView[forms.EntryForm]):
    permission = Permission.INSPECTION_MANAGE
    form_class = forms.EntryForm
    template_name = FORM_TEMPLATE
    title = "Write a judgement area's section"
    button = "Save the section"
    success_message = "Section saved"

    def get_initial(self) -> dict[str, Any]:
        area = self.request.GET.get("area", "")
        if area not in ILACS_AREAS:
            return {}
        entry = queries.entries_of(self.evaluation).get(area)
        initial: dict[str, Any] = {"judgement_area": area}
        if entry is not None:
            initial.update(
                what_we_know=entry.what_we_know,
                how_we_know=entry.how_we_know,
                what_we_are_doing=entry.what_we_are_doing,
            )
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.evaluation.title
        return context

    def perform(self, form: forms.EntryForm) -> SelfEvaluationEntry:
        return actions.record_self_evaluation_entry(
            acting_user=self.request.user, self_evaluation=self.evaluation, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("inspection:self-evaluation", args=[self.evaluation.pk])


class EntryEvidenceView(PermissionRequiredMixin, ActionFormView[forms.EvidenceForm]):
    permission = Permission.INSPECTION_MANAGE
    form_class = forms.EvidenceForm
    template_name = FORM_TEMPLATE
    title = "Add evidence"
    button = "Add the link"
    success_message = "Evidence added"

    @cached_property
    def entry(self) -> SelfEvaluationEntry:
        return queries.get_entry(self.kwargs["entry_id"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.entry.judgement_area
        return context

    def perform(self, form: forms.EvidenceForm) -> object:
        return actions.add_evidence(
            acting_user=self.request.user, entry=self.entry, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("inspection:self-evaluation", args=[self.entry.self_evaluation_id])
