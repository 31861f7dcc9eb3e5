"""The director's page, the team manager's weekly analysis and the child's journey: thin views
over ``dashboards``, ``team_week`` and ``journey``; every figure links to its drill-down (an
audited read)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin
from caseline.apps.core.links import url_builder
from caseline.apps.core.paging import Paged, paged
from caseline.apps.indicators import actions, dashboards, journey, queries, team_week, trends
from caseline.apps.indicators.forms import as_at_form
from caseline.apps.indicators.views import ROWS_PER_PAGE, _form, _query
from caseline.apps.people.queries import hidden_among


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
            "neighbours": trend.neighbours.value if trend.neighbours else None,
        }
    return charts


class DirectorView(PermissionRequiredMixin, TemplateView):
    """The headline measures: trend, England, worst teams, change since last month."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/director.html"
    request: AuthenticatedRequest
    # Figures only (ADR 0029): no child is shown, so the read audit need not walk the counted
    # rows behind every headline, trend point and team.
    children_shown_from: tuple[str, ...] = ()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _form(request)
        if not form.is_valid():
            context = self.get_context_data(form=form, query=_query(form))
            return self.render_to_response(context, status=400)
        scope = form.the_scope()
        headlines = dashboards.director_page(scope, form.cleaned_data["as_at"])
        being_counted = trends.not_counted([line.trend for line in headlines])
        actions.ask_for_trends(scope, being_counted)
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
            charts=_chart_data(headlines, scope.name),
            comparators=trends.comparators(),
            scope=scope,
            being_counted=being_counted,
            counted_at=dashboards.oldest_count(headlines),
            query=_query(form),
        )
        return self.render_to_response(context)


# Rows on one page of each of the team week's lists (overdue, most overdue first; falling due
# next week; visits overdue); the counts cover every row. ``?all=yes`` shows every row, for
# printing.
WEEK_ROWS_PER_PAGE = 50


class TeamWeekView(PermissionRequiredMixin, TemplateView):
    """A team manager's week: last week's timeliness, overdue (counted by worker and by kind,
    then listed a page at a time), due next week and visits out of standard (each a page at a
    time), caseloads. Printable: ``?all=yes`` shows every row of the three lists."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/team_week.html"
    request: AuthenticatedRequest
    # The lists of children the page shows (people.shown, ADR 0029): the pages of the three
    # paged lists, not the rest of the team's work behind the counts.
    children_shown_from = ("overdue_rows", "due_next_rows", "not_visited_rows")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = as_at_form(request.GET, timezone.localdate())
        if not form.is_valid():
            context = self.get_context_data(form=form, query=_query(form))
            return self.render_to_response(context, status=400)
        week = team_week.analysis(self.request.user, form.cleaned_data["as_at"])
        show_all = request.GET.get("all") == "yes"

        def page(rows: list[Any], fragment: str, parameter: str) -> Paged:
            per_page = max(len(rows), 1) if show_all else WEEK_ROWS_PER_PAGE
            return paged(rows, request, per_page, fragment=fragment, parameter=parameter)

        overdue = page(week.work.overdue_rows, "overdue-work", "page")
        due_next = page(week.due_next_week, "next-week-work", "due")
        not_visited = page(week.not_visited, "not-visited-work", "visits")
        lists_query = request.GET.copy()
        for key in ("page", "due", "visits", "all"):
            lists_query.pop(key, None)
        context = self.get_context_data(
            form=form,
            week=week,
            overdue=overdue,
            overdue_rows=overdue.page.object_list,
            due_next=due_next,
            due_next_rows=due_next.page.object_list,
            not_visited=not_visited,
            not_visited_rows=not_visited.page.object_list,
            show_all=show_all,
            per_page=WEEK_ROWS_PER_PAGE,
            lists_query=lists_query.urlencode(),
            query=_query(form),
        )
        return self.render_to_response(context)


class JourneyView(PermissionRequiredMixin, TemplateView):
    """Each child's path over a period, as a diagram whose bands open onto their children."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/journey.html"
    request: AuthenticatedRequest
    # Counts of children only; each band's children are a separate, audited page.
    children_shown_from: tuple[str, ...] = ()

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


class JourneyBandView(PermissionRequiredMixin, TemplateView):
    """One band's children (those the user may see), each with their day in the band, linking
    to the record; with ``?to=`` another band, those of them who went on to it (a flow).
    Reading the list is audited child by child, as a drill-down is."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/journey_band.html"
    request: AuthenticatedRequest

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        spec = journey.spec_of(kwargs["band"])
        if spec is None:
            raise Http404("No such band")
        onward = journey.spec_of(request.GET["to"]) if "to" in request.GET else None
        if "to" in request.GET and onward is None:
            raise Http404("No such band")
        form = _form(request)
        if not form.is_valid():
            context = self.get_context_data(form=form, spec=spec, onward=onward, query=_query(form))
            return self.render_to_response(context, status=400)
        flow = journey.flow(form.cleaned_data["as_at"], form.the_period(), form.the_scope())
        band = flow.band(spec.key.value)
        assert band is not None
        days = band.days if onward is None else flow.onward(band.key, onward.key.value)
        user = self.request.user
        seen = days.keys() - hidden_among(user, days)
        names = queries.names_of(seen)
        ordered = sorted(seen, key=lambda pk: (days[pk], names.get(pk, ""), pk))
        page = paged(ordered, request, ROWS_PER_PAGE, fragment="children")
        shown = list(page.page.object_list)
        queries.audit_children_read(
            user,
            shown,
            {
                "journey": spec.key.value,
                **({"to": onward.key.value} if onward else {}),
                "as_at": flow.as_at.isoformat(),
                "period": [flow.period.start.isoformat(), flow.period.end.isoformat()],
                "scope": flow.scope.name,
            },
        )
        record = url_builder("people:record", "person_id")
        rows = [
            {"name": names.get(pk, ""), "href": record(person_id=pk), "day": days[pk]}
            for pk in shown
        ]
        context = self.get_context_data(
            form=form,
            spec=spec,
            onward=onward,
            band=band,
            children=len(days),
            flow=flow,
            page=page,
            rows=rows,
            hidden_children=len(days) - len(seen),
            query=_query(form),
        )
        return self.render_to_response(context)
