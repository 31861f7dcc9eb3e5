"""The director's page, the team manager's weekly analysis and the child's journey: thin views
over ``dashboards``, ``team_week`` and ``journey``; every figure links to its drill-down (an
audited read)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin
from caseline.apps.indicators import dashboards, journey, team_week
from caseline.apps.indicators.views import _form, _query


def _chart_data(headlines: list[dashboards.Headline], scope_name: str) -> dict[str, Any]:
    """Each headline's trend as the chart script reads it (a json_script element)."""
    charts: dict[str, Any] = {}
    for line in headlines:
        trend = line.trend
        charts[trend.indicator.code] = {
            "title": trend.indicator.name,
            "scope": scope_name,
            "unit": trend.indicator.kind.value,
            "labels": [f"{point.as_at:%b %Y}" for point in trend.points],
            "values": [point.value for point in trend.points],
            "england": trend.england.value if trend.england else None,
            "england_label": (
                f"England {trend.england.period} ({trend.england.source})" if trend.england else ""
            ),
        }
    return charts


class DirectorView(PermissionRequiredMixin, TemplateView):
    """The headline measures: trend, England, worst teams, change since last month."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/director.html"
    request: AuthenticatedRequest

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _form(request)
        if not form.is_valid():
            context = self.get_context_data(form=form, query=_query(form))
            return self.render_to_response(context, status=400)
        headlines = dashboards.director_page(form.the_scope(), form.cleaned_data["as_at"])
        lines = [
            {
                "headline": line,
                "href": dashboards.result_href(line.result),
                "previous_href": (
                    dashboards.result_href(line.trend.previous) if line.trend.previous else ""
                ),
                "points": [(point, dashboards.result_href(point)) for point in line.trend.points],
                "worst": [(team, dashboards.result_href(team)) for team in line.worst],
            }
            for line in headlines
        ]
        context = self.get_context_data(
            form=form,
            lines=lines,
            charts=_chart_data(headlines, form.the_scope().name),
            scope=form.the_scope(),
            query=_query(form),
        )
        return self.render_to_response(context)


class TeamWeekView(PermissionRequiredMixin, TemplateView):
    """A team manager's week: last week's timeliness, overdue, due next week, caseloads,
    visits out of standard. Printable."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/team_week.html"
    request: AuthenticatedRequest

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _form(request)
        if not form.is_valid():
            context = self.get_context_data(form=form, query=_query(form))
            return self.render_to_response(context, status=400)
        week = team_week.analysis(self.request.user, form.cleaned_data["as_at"])
        context = self.get_context_data(form=form, week=week, query=_query(form))
        return self.render_to_response(context)


class JourneyView(PermissionRequiredMixin, TemplateView):
    """The child's journey over a period, as a diagram whose bands open onto the children."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/journey.html"
    request: AuthenticatedRequest

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _form(request)
        if not form.is_valid():
            context = self.get_context_data(form=form, query=_query(form))
            return self.render_to_response(context, status=400)
        flow = journey.flow(form.cleaned_data["as_at"], form.the_period(), form.the_scope())
        context = self.get_context_data(
            form=form, flow=flow, diagram=journey.diagram(flow), query=_query(form)
        )
        return self.render_to_response(context)
