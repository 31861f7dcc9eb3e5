"""The designated officer's pages: the work list, an allegation and its steps, the
allegations naming a child, and the annual report (page and CSV, an audited export)."""

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
from caseline.apps.core.access import PermissionRequiredMixin, requires, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.lado import actions, forms, queries
from caseline.apps.lado.models import Allegation
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.people.shown import children_shown


class WorkListView(PermissionRequiredMixin, TemplateView):
    permission = Permission.LADO_MANAGE
    template_name = "lado/work_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        everyone = self.request.GET.get("show") == "all"
        officer = None if everyone else self.request.user.pk
        context.update(rows=queries.work_list(officer, timezone.localdate()), everyone=everyone)
        return context


class AllegationNewView(PermissionRequiredMixin, ActionFormView[forms.AllegationForm]):
    permission = Permission.LADO_MANAGE
    form_class = forms.AllegationForm
    template_name = "lado/form.html"
    title = "Record an allegation"
    success_message = "Allegation recorded"

    def perform(self, form: forms.AllegationForm) -> object:
        return actions.record_allegation(acting_user=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        if self.result is None:
            return reverse("lado:allegations")
        return reverse("lado:allegation", args=[self.result.pk])


class _AllegationMixin(PermissionRequiredMixin):
    """Looks up the allegation once the permission has been checked."""

    permission = Permission.LADO_MANAGE
    allegation: Allegation

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.allegation = queries.get_allegation(int(kwargs["allegation_id"]))
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return reverse("lado:allegation", args=[self.allegation.pk])


class AllegationView(_AllegationMixin, TemplateView):
    template_name = "lado/allegation.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        allegation = self.allegation
        meetings = list(allegation.strategy_meetings.all())
        first = meetings[0].meeting_date if meetings else None
        children, hidden = queries.children_of(self.request.user, allegation)
        # One audit event for the response, naming every child shown (people.middleware).
        children_shown(
            self.request,
            [child.pk for child in children],
            subject=children[0].pk if len(children) == 1 else None,
            section="lado-allegation",  # with one child: a page of their record
        )
        context.update(
            allegation=allegation,
            meetings=meetings,
            stages=queries.stages(allegation, first, timezone.localdate()),
            children=children,
            hidden_children=hidden,
        )
        return context


class InitialConsiderationView(_AllegationMixin, ActionFormView[forms.InitialConsiderationForm]):
    form_class = forms.InitialConsiderationForm
    template_name = "lado/form.html"
    title = "Record the initial consideration"
    success_message = "Initial consideration recorded"

    def perform(self, form: forms.InitialConsiderationForm) -> object:
        return actions.record_initial_consideration(
            acting_user=self.request.user, allegation=self.allegation, **form.cleaned_data
        )


class StrategyMeetingNewView(_AllegationMixin, ActionFormView[forms.StrategyMeetingForm]):
    form_class = forms.StrategyMeetingForm
    template_name = "lado/form.html"
    title = "Record a strategy meeting"
    success_message = "Strategy meeting recorded"

    def perform(self, form: forms.StrategyMeetingForm) -> object:
        return actions.record_strategy_meeting(
            acting_user=self.request.user, allegation=self.allegation, **form.cleaned_data
        )


class OutcomeView(_AllegationMixin, ActionFormView[forms.OutcomeForm]):
    form_class = forms.OutcomeForm
    template_name = "lado/form.html"
    title = "Record actions and the outcome"
    success_message = "Outcome recorded"

    def get_initial(self) -> dict[str, Any]:
        return {
            "police_action": self.allegation.police_action,
            "employer_action": self.allegation.employer_action,
        }

    def perform(self, form: forms.OutcomeForm) -> object:
        return actions.record_outcome(
            acting_user=self.request.user, allegation=self.allegation, **form.cleaned_data
        )


class ChildAllegationsView(ChildRecordMixin, TemplateView):
    """The allegations naming a child, from the child's record (no adult is named here)."""

    permission = Permission.LADO_MANAGE
    template_name = "lado/child.html"
    record_section = "allegations"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["allegations"] = queries.allegations_about(self.person)
        return context


def _year(request: Any) -> tuple[forms.ReportYearForm, int]:
    today = timezone.localdate()
    default = today.year if today.month >= 4 else today.year - 1
    form = forms.ReportYearForm(request.GET if "year" in request.GET else {"year": default})
    year = form.cleaned_data["year"] if form.is_valid() else default
    return form, year


class ReportView(PermissionRequiredMixin, TemplateView):
    permission = Permission.LADO_MANAGE
    template_name = "lado/report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form, year = _year(self.request)
        report = queries.annual_report(year, timezone.localdate())
        context.update(form=form, report=report)
        return context


@requires(Permission.LADO_MANAGE)
def report_csv(request: Any) -> HttpResponse:
    """The annual report's figures as CSV (counts only, no names); audited as an export."""
    form, year = _year(request)
    if not form.is_valid():
        return HttpResponse("Enter the reporting year as a number.", status=400)
    report = queries.annual_report(year, timezone.localdate())
    record_export(acting_user=request.user, export_name="lado annual report", extra={"year": year})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Measure", "Category", "Count"])
    writer.writerows(report.rows())
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lado_report_{year}.csv"'
    return response
