"""Subject access's pages: record a request, extend its deadline, assemble, redact, approve
and produce its pack, record its answer.

Open requests and their deadlines are listed on the handler's My work page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.core.access import (
    AuthenticatedRequest,
    PermissionRequiredMixin,
    requires,
    user_can,
)
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.core.paging import paged
from caseline.apps.core.pdf import render_pdf
from caseline.apps.people.models import Person
from caseline.apps.people.queries import get_person_for_user
from caseline.apps.subjectaccess import actions
from caseline.apps.subjectaccess.forms import (
    AddRedactionForm,
    ApprovePackForm,
    AssemblePackForm,
    CompleteRequestForm,
    ExtendRequestForm,
    RecordRequestForm,
    RemoveRedactionForm,
)
from caseline.apps.subjectaccess.models import AccessPack, Redaction, SubjectAccessRequest
from caseline.apps.subjectaccess.pack import MARKER, redacted_entries
from caseline.apps.subjectaccess.queries import active_terms, packs_awaiting_approval


class RecordRequestView(PermissionRequiredMixin, ActionFormView[RecordRequestForm]):
    """Record a request for what the council holds about a person; the handler is the user."""

    permission = Permission.SUBJECT_ACCESS_MANAGE
    template_name = "subjectaccess/form.html"
    form_class = RecordRequestForm
    title = "Record a subject access request"
    button = "Record the request"
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.person = get_person_for_user(request.user, kwargs["person_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        return context

    def perform(self, form: RecordRequestForm) -> SubjectAccessRequest:
        return actions.record_request(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )

    def get_success_message(self) -> str:
        return f"Subject access request recorded: answer by {self.result.due:%-d %B %Y}"

    def get_success_url(self) -> str:
        return reverse("mywork:mine")

    def get_back_url(self) -> str:
        return reverse("people:record", args=[self.person.pk])


class _RequestFormView(PermissionRequiredMixin, ActionFormView[Any]):
    permission = Permission.SUBJECT_ACCESS_MANAGE
    template_name = "subjectaccess/form.html"
    access_request: SubjectAccessRequest
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.access_request = get_object_or_404(
                SubjectAccessRequest, pk=kwargs["request_id"], completed_on__isnull=True
            )
            self.person = get_person_for_user(request.user, self.access_request.person_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, access_request=self.access_request)
        return context

    def get_success_url(self) -> str:
        return reverse("mywork:mine")


class ExtendRequestView(_RequestFormView):
    """Extend a complex request's deadline by one or two months, within the first month."""

    form_class = ExtendRequestForm
    title = "Extend the deadline"
    button = "Extend the deadline"

    def perform(self, form: ExtendRequestForm) -> SubjectAccessRequest:
        return actions.extend_request(
            acting_user=self.request.user,
            request=self.access_request,
            as_at=timezone.localdate(),
            **form.cleaned_data,
        )

    def get_success_message(self) -> str:
        return f"Deadline extended to {self.result.due:%-d %B %Y}"


class CompleteRequestView(_RequestFormView):
    """Record the day the answer was sent."""

    form_class = CompleteRequestForm
    title = "Record the answer sent"
    button = "Record the answer"
    success_message = "Subject access request answered"

    def perform(self, form: CompleteRequestForm) -> SubjectAccessRequest:
        return actions.complete_request(
            acting_user=self.request.user, request=self.access_request, **form.cleaned_data
        )


ENTRIES_PER_PAGE = 50


def _request_for(user: User, request_id: int) -> tuple[SubjectAccessRequest, Person]:
    access_request = get_object_or_404(
        SubjectAccessRequest.objects.select_related("person"), pk=request_id
    )
    return access_request, get_person_for_user(user, access_request.person_id)


def _pack_context(request: AuthenticatedRequest, pack: AccessPack) -> dict[str, Any]:
    """The pack's redactions and a page of its entries as they will be released; the read is
    audited as an export (the pack names the requester and entries from related records)."""
    redactions = list(pack.redactions.select_related("added_by", "removed_by"))
    terms = [r.text for r in redactions if r.active]
    entries = paged(
        redacted_entries(pack.entries, terms), request, ENTRIES_PER_PAGE, fragment="entries"
    )
    record_export(
        acting_user=request.user,
        export_name="Subject access pack (review)",
        subject_person_ids=[pack.request.person_id],
        extra={"pack": pack.pk, "page": entries.page.number},
    )
    return {
        "pack": pack,
        "active_redactions": [r for r in redactions if r.active],
        "removed_redactions": [r for r in redactions if not r.active],
        "entries": entries,
        "entry_rows": entries.page.object_list,
        "marker": MARKER,
    }


class PackView(PermissionRequiredMixin, TemplateView):
    """The request's pack: assemble it, review its redactions, see it as it will be released,
    and download it once a second person has approved it."""

    request: AuthenticatedRequest
    permission = Permission.SUBJECT_ACCESS_MANAGE
    template_name = "subjectaccess/pack.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        access_request, person = _request_for(self.request.user, kwargs["request_id"])
        context.update(access_request=access_request, person=person)
        pack = AccessPack.objects.filter(request=access_request).first()
        if pack is not None:
            context.update(_pack_context(self.request, pack))
            context["editable"] = not pack.approved and access_request.completed_on is None
        return context


class _PackFormView(_RequestFormView):
    template_name = "subjectaccess/form.html"

    def get_success_url(self) -> str:
        return reverse("subjectaccess:pack", args=[self.access_request.pk])

    def get_back_url(self) -> str:
        return self.get_success_url()

    @property
    def pack(self) -> AccessPack:
        return get_object_or_404(AccessPack, request=self.access_request)


class AssemblePackView(_PackFormView):
    """Assemble the pack: every record about and mentioning the requester."""

    form_class = AssemblePackForm
    title = "Assemble the pack"
    button = "Assemble the pack"
    success_message = "Pack assembled: review the proposed redactions"

    def perform(self, form: AssemblePackForm) -> AccessPack:
        return actions.assemble_pack(acting_user=self.request.user, request=self.access_request)


class AddRedactionView(_PackFormView):
    form_class = AddRedactionForm
    title = "Add a redaction"
    button = "Add the redaction"
    success_message = "Redaction added"

    def perform(self, form: AddRedactionForm) -> Redaction:
        return actions.add_redaction(
            acting_user=self.request.user, pack=self.pack, **form.cleaned_data
        )


class RemoveRedactionView(_PackFormView):
    form_class = RemoveRedactionForm
    title = "Remove a redaction"
    button = "Remove the redaction"
    success_message = "Redaction removed"
    redaction: Redaction

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.redaction = get_object_or_404(
                Redaction.objects.select_related("pack"), pk=kwargs["redaction_id"]
            )
            kwargs["request_id"] = self.redaction.pack.request_id
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["redaction"] = self.redaction
        return context

    def perform(self, form: RemoveRedactionForm) -> Redaction:
        return actions.remove_redaction(
            acting_user=self.request.user, redaction=self.redaction, **form.cleaned_data
        )


class ApprovePackView(_PackFormView):
    """The second person reviews the pack and approves its release."""

    permission = Permission.SUBJECT_ACCESS_APPROVE
    form_class = ApprovePackForm
    template_name = "subjectaccess/approve.html"
    title = "Approve the pack"
    button = "Approve the pack"
    success_message = "Pack approved: it may now be produced"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_pack_context(self.request, self.pack))
        return context

    def perform(self, form: ApprovePackForm) -> AccessPack:
        return actions.approve_pack(
            acting_user=self.request.user, pack=self.pack, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("subjectaccess:approvals")


class ApprovalsView(PermissionRequiredMixin, TemplateView):
    """Packs awaiting a second person's approval."""

    request: AuthenticatedRequest
    permission = Permission.SUBJECT_ACCESS_APPROVE
    template_name = "subjectaccess/approvals.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["packs"] = packs_awaiting_approval(self.request.user)
        return context


@requires(Permission.SUBJECT_ACCESS_MANAGE)
def pack_pdf_view(request: AuthenticatedRequest, request_id: int) -> HttpResponseBase:
    """The approved pack as a paginated, bookmarked PDF; producing it is recorded as an
    export. Refused until a second person has approved it."""
    access_request, person = _request_for(request.user, request_id)
    pack = get_object_or_404(AccessPack, request=access_request)
    if not pack.approved:
        messages.error(request, "The pack cannot be produced until a second person approves it")
        return redirect("subjectaccess:pack", request_id=access_request.pk)
    pdf = produce_pdf(pack, produced_by=request.user)
    record_export(
        acting_user=request.user,
        export_name="Subject access pack PDF",
        subject_person_ids=[person.pk],
        extra={"pack": pack.pk, "entries": len(pack.entries)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{person.caseline_id}-{access_request.pk}.pdf"'
    )
    return response


def produce_pdf(pack: AccessPack, *, produced_by: User) -> bytes:
    """The pack as PDF: a cover sheet, an index of entries by year (bookmarked, with page
    numbers), and the entries with their redactions blanked out."""
    entries = redacted_entries(pack.entries, active_terms(pack))
    years: dict[int, list[dict[str, Any]]] = {}
    for number, entry in enumerate(entries, start=1):
        entry["number"] = number
        years.setdefault(entry["date"].year, []).append(entry)
    html = render_to_string(
        "subjectaccess/pack_pdf.html",
        {
            "pack": pack,
            "access_request": pack.request,
            "person": pack.request.person,
            "years": sorted(years.items()),
            "total": len(entries),
            "redactions": len(active_terms(pack)),
            "marker": MARKER,
            "produced": timezone.localtime(),
            "produced_by": produced_by,
        },
    )
    return render_pdf(html)
