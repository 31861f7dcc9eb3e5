"""The analyst's SSD export: ask for one, watch it being written, download it (audited)."""

from __future__ import annotations

import tempfile
import zipfile
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import PermissionRequiredMixin, requires
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.returns.actions import fail_stopped_runs
from caseline.apps.returns.models import ReturnRun
from caseline.apps.returns.runs import run_folder
from caseline.apps.ssd import actions, queries
from caseline.apps.ssd.forms import ExportRunForm
from caseline.apps.ssd.runs import EXTRACT_FOLDER


class ExportHomeView(PermissionRequiredMixin, ActionFormView[ExportRunForm]):
    """Ask for the extract; the exports so far."""

    permission = Permission.SSD_EXPORT
    template_name = "ssd/home.html"
    form_class = ExportRunForm
    title = "Standard Safeguarding Dataset export"
    button = "Export the record"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        fail_stopped_runs()  # an export whose worker died shows as failed, not in progress
        context["runs"] = queries.recent_runs()
        return context

    def perform(self, form: ExportRunForm) -> ReturnRun:
        return actions.request_export_run(acting_user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("ssd:run", args=[self.result.pk])

    def get_back_url(self) -> str:
        return reverse("core:home")


class ExportRunView(PermissionRequiredMixin, TemplateView):
    """One export: its progress, then its tables and rows."""

    permission = Permission.SSD_EXPORT
    template_name = "ssd/run.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        fail_stopped_runs()
        try:
            context["run"] = queries.export_run(kwargs["run_id"])
        except ReturnRun.DoesNotExist:
            raise Http404("No such export") from None
        return context


@requires(Permission.SSD_EXPORT)
def download_run(request: HttpRequest, run_id: int) -> FileResponse:
    """The extract's files in one zip; audited as an export of every person on the record."""
    try:
        run = queries.export_run(run_id)
    except ReturnRun.DoesNotExist:
        raise Http404("No such export") from None
    folder = run_folder(run) / EXTRACT_FOLDER
    files = [folder / name for name in run.files]
    if run.status != ReturnRun.Status.DONE or not files or not all(p.is_file() for p in files):
        raise Http404("The files of this export are no longer kept")
    record_export(
        acting_user=request.user,
        export_name=f"{actions.EXPORT_NAME} download",
        subject_person_ids=run.person_ids,
        extra={"run": run.pk},
    )
    bundle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    bundle.seek(0)
    name = f"ssd_extract_{run.requested_at:%Y%m%d_%H%M}.zip"
    return FileResponse(bundle, as_attachment=True, filename=name)
