"""The analyst's returns: ask for one, watch it being made, read what the validator found,
follow each error to the child's record, download the files (an audited export)."""

from __future__ import annotations

import tempfile
import zipfile
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import PermissionRequiredMixin, requires
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.core.paging import paged
from caseline.apps.returns import actions, queries, validation
from caseline.apps.returns.forms import ReturnRunForm
from caseline.apps.returns.identifiers import person_id_from_child_id
from caseline.apps.returns.models import ReturnRun
from caseline.apps.returns.runs import report_of, run_folder

CHILDREN_PER_PAGE = 50


class ReturnsHomeView(PermissionRequiredMixin, ActionFormView[ReturnRunForm]):
    """Ask for a return for a year; the runs so far."""

    permission = Permission.RETURNS_EXPORT
    template_name = "returns/home.html"
    form_class = ReturnRunForm
    title = "Statutory returns"
    button = "Produce and check the return"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actions.fail_stopped_runs()  # a run whose worker died shows as failed, not in progress
        context["runs"] = queries.recent_runs()
        return context

    def perform(self, form: ReturnRunForm) -> ReturnRun:
        return actions.request_return_run(acting_user=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("returns:run", args=[self.result.pk])

    def get_back_url(self) -> str:
        return reverse("core:home")


class ReturnRunView(PermissionRequiredMixin, TemplateView):
    """One run: its progress, then the validator's findings by rule and by child."""

    permission = Permission.RETURNS_EXPORT
    template_name = "returns/run.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        actions.fail_stopped_runs()  # a run whose worker died shows as failed, not in progress
        runs = ReturnRun.objects.select_related("requested_by")
        run = get_object_or_404(runs, pk=kwargs["run_id"])
        report = report_of(run)
        context.update(run=run, report=report)
        if report is None:
            return context
        children = list(report.children().values())
        page = paged(children, self.request, CHILDREN_PER_PAGE, fragment="by-child")
        names = queries.names_of(
            self.request.user,
            [child.person_id for child in page.page.object_list if child.person_id is not None],
        )
        # The errors on care leavers whose care lies beyond the validator's two years, each
        # with the record it names, as the report by child links them.
        beyond = [
            (found, person_id_from_child_id(found.child_reference))
            for found in report.beyond_two_years
        ]
        beyond_names = queries.names_of(
            self.request.user, (pk for _, pk in beyond if pk is not None)
        )
        context.update(
            beyond_two_years=[
                {"found": found, "person_id": pk, "name": beyond_names.get(pk or 0)}
                for found, pk in beyond
            ],
            beyond_two_years_people=len({found.child_reference for found, _ in beyond}),
            children_page=page,
            child_rows=[
                {"child": child, "name": names.get(child.person_id or 0)}
                for child in page.page.object_list
            ],
            whole_return=[failure for failure in report.failures if failure.whole_return],
        )
        previous = queries.previous_finished_run(run)
        previous_report = report_of(previous) if previous else None
        if previous_report is not None:
            context.update(previous=previous, changes=validation.compare(previous_report, report))
        return context


@requires(Permission.RETURNS_EXPORT)
def download_run(request: HttpRequest, run_id: int) -> FileResponse:
    """The run's file, or its tables in one zip file; audited as an export of every child."""
    run = get_object_or_404(ReturnRun, pk=run_id, status=ReturnRun.Status.DONE)
    folder = run_folder(run)
    files = [folder / name for name in run.files]
    if not files or not all(path.is_file() for path in files):
        raise Http404("The files of this run are no longer kept")
    record_export(
        acting_user=request.user,
        export_name=f"{run.return_slug} {run.as_at or run.year} download",
        subject_person_ids=run.person_ids,
        extra={"run": run.pk},
    )
    if len(files) == 1:
        return FileResponse(files[0].open("rb"), as_attachment=True, filename=files[0].name)
    bundle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    bundle.seek(0)
    name = f"{run.return_slug.replace('-', '_')}_{run.year}.zip"
    return FileResponse(bundle, as_attachment=True, filename=name)
