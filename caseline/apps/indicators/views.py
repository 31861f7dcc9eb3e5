"""The analyst's indicators: every indicator with its definition and source for the chosen
as-at date, period and scope; a drill-down per indicator listing the children counted with the
dates that decided it (an audited read); CSV and Excel downloads (an audited export)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin, requires
from caseline.apps.core.links import url_builder
from caseline.apps.core.paging import paged
from caseline.apps.indicators import catalogue, export, queries, trends
from caseline.apps.indicators.engine import Context, Indicator, Result, compute, compute_all
from caseline.apps.indicators.forms import IndicatorQueryForm, initial_for

ROWS_PER_PAGE = 50
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _form(request: HttpRequest) -> IndicatorQueryForm:
    """The controls as the query string sets them; with none, the user's first choices."""
    data = request.GET if "as_at_year" in request.GET else None
    user = request.user
    assert user.is_authenticated
    return IndicatorQueryForm(data or initial_for(user, timezone.localdate()))


def _context(form: IndicatorQueryForm) -> Context:
    return Context(form.cleaned_data["as_at"], form.the_period())


def _query(form: forms.Form) -> str:
    """The controls as a query string, for links that keep them."""
    query = QueryDict(mutable=True)
    for key in form.data:
        if key != "page":
            query[key] = form.data[key]
    return query.urlencode()


class IndicatorsHomeView(PermissionRequiredMixin, TemplateView):
    """Every indicator, its figures for the controls chosen, definition and source."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/home.html"
    request: AuthenticatedRequest
    # Figures only: no child is shown, so the read audit need not walk every counted row.
    children_shown_from: tuple[str, ...] = ()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _form(request)
        results: list[Result] = []
        if form.is_valid():
            results = compute_all(catalogue.INDICATORS, _context(form), form.the_scope())
        # Each figure with England's and the statistical neighbours' for the same measure.
        areas: dict[str, list[dict[str, Any]]] = {}
        for result in results:
            areas.setdefault(result.indicator.area.value, []).append(
                {
                    "result": result,
                    "england": trends.england_for(result.indicator),
                    "neighbours": trends.neighbours_for(result.indicator),
                }
            )
        context = self.get_context_data(
            form=form,
            areas=list(areas.items()),
            comparators=trends.comparators(),
            indicators=catalogue.INDICATORS,
            query=_query(form),
        )
        return self.render_to_response(context, status=200 if form.is_valid() else 400)


class IndicatorDetailView(PermissionRequiredMixin, TemplateView):
    """One indicator's children: numerator and denominator, with the dates that decided it."""

    permission = Permission.INDICATORS_VIEW
    template_name = "indicators/detail.html"
    request: AuthenticatedRequest
    # The page's rows are the children shown (audited by ``queries.audit_drill_down``); the
    # whole result beside them is not walked.
    children_shown_from = ("rows",)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        indicator = _indicator(kwargs["code"])
        form = _form(request)
        if not form.is_valid():
            context = self.get_context_data(form=form, indicator=indicator, query=_query(form))
            return self.render_to_response(context, status=400)
        result = compute(indicator, _context(form), form.the_scope())
        drill = queries.drill_down(self.request.user, result)
        page = paged(drill.rows, request, ROWS_PER_PAGE, fragment="children")
        shown = list(page.page.object_list)
        queries.audit_drill_down(self.request.user, result, shown)
        names = queries.names_of(row.person_id for row in shown)
        record = url_builder("people:record", "person_id")
        columns = export.drill_columns(result)[5:]
        rows = [
            {
                "row": row,
                "name": names.get(row.person_id, ""),
                "href": record(person_id=row.person_id),
                "dates": [dict(row.decided_by).get(label) for label in columns],
            }
            for row in shown
        ]
        context = self.get_context_data(
            form=form,
            indicator=indicator,
            result=result,
            drill=drill,
            page=page,
            rows=rows,
            columns=columns,
            query=_query(form),
        )
        return self.render_to_response(context)


def _indicator(code: str) -> Indicator:
    indicator = catalogue.get(code)
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


def _download(content: bytes | str, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@requires(Permission.INDICATORS_VIEW)
def download_summary(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every indicator's figures as CSV or Excel; audited as an export (figures only)."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Choose a valid as-at date and period.", status=400)
    results = compute_all(catalogue.INDICATORS, _context(form), form.the_scope())
    record_export(
        acting_user=request.user,
        export_name=f"indicators {fmt}",
        extra={"as_at": form.cleaned_data["as_at"].isoformat(), "scope": form.the_scope().name},
    )
    rows = export.summary_rows(results)
    name = f"indicators_{form.cleaned_data['as_at']:%Y-%m-%d}"
    if fmt == "csv":
        return _download(export.csv_text(export.SUMMARY_COLUMNS, rows), fmt, name)
    return _download(export.xlsx_bytes("Indicators", export.SUMMARY_COLUMNS, rows), fmt, name)


@requires(Permission.INDICATORS_VIEW)
def download_indicator(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """One indicator's children (those the user may see) as CSV or Excel; audited as an
    export naming every child in it."""
    if fmt not in FORMATS:
        raise Http404("No such format")
    indicator = _indicator(code)
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("Choose a valid as-at date and period.", status=400)
    result = compute(indicator, _context(form), form.the_scope())
    user = request.user
    assert user.is_authenticated
    drill = queries.drill_down(user, result)
    visible = Result(result.indicator, result.as_at, result.period, result.scope, tuple(drill.rows))
    record_export(
        acting_user=user,
        export_name=f"indicator {indicator.code} {fmt}",
        subject_person_ids=visible.denominator_ids,
        extra={"as_at": result.as_at.isoformat(), "scope": result.scope.name},
    )
    columns = export.drill_columns(visible)
    rows = export.drill_rows(visible, queries.names_of(visible.denominator_ids))
    name = f"indicator_{indicator.code}_{result.as_at:%Y-%m-%d}"
    if fmt == "csv":
        return _download(export.csv_text(columns, rows), fmt, name)
    return _download(export.xlsx_bytes(indicator.code, columns, rows), fmt, name)
