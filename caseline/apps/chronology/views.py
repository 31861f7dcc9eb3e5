"""The chronology page of a child's record, its printable PDF, and manual entries."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.chronology.actions import record_agency_event
from caseline.apps.chronology.forms import AgencyEventForm, ChronologyFilterForm
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.chronology.queries import chronology_for, summarise
from caseline.apps.core.access import AuthenticatedRequest, requires
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.core.paging import paged
from caseline.apps.core.pdf import render_pdf
from caseline.apps.people.queries import (
    current_addresses,
    current_allocation,
    get_person_for_user,
)
from caseline.apps.people.record import ChildRecordMixin

# Entries on one page of the chronology on screen. The PDF and "show all" have every entry.
PAGE_SIZE = 100


class ChronologyView(ChildRecordMixin, TemplateView):
    """Every event in the child's record in date order, filterable, a page at a time
    (``?all=yes`` shows every entry on one page, for printing)."""

    record_section = "chronology"
    template_name = "chronology/chronology.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ChronologyFilterForm(self.request.GET or None)
        criteria = form.to_filter()
        entries = chronology_for(self.person, criteria, user=self.request.user)
        show_all = self.request.GET.get("all") == "yes"
        per_page = max(len(entries), 1) if show_all else PAGE_SIZE
        pages = paged(entries, self.request, per_page)
        filter_query = self.request.GET.copy()
        for key in ("page", "all"):
            filter_query.pop(key, None)
        context.update(
            form=form,
            entries=pages.page.object_list,
            paged=pages,
            show_all=show_all and len(entries) > PAGE_SIZE,
            page_size=PAGE_SIZE,
            query=filter_query.urlencode(),
            summary=summarise(entries, criteria),
        )
        return context


class AgencyEventCreateView(ChildRecordMixin, ActionFormView[AgencyEventForm]):
    """Add a significant event another agency reported."""

    permission = Permission.NOTE_RECORD
    record_section = "chronology"
    template_name = "chronology/agency_event_form.html"
    form_class = AgencyEventForm
    success_message = "The event has been added to the chronology"

    def perform(self, form: AgencyEventForm) -> AgencyEvent:
        return record_agency_event(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("chronology:record", kwargs={"person_id": self.person.pk})


@requires(Permission.CHILD_VIEW)
def chronology_pdf_view(request: AuthenticatedRequest, person_id: int) -> HttpResponseBase:
    """The chronology as a PDF (``core.pdf``); recorded as an export."""
    person = get_person_for_user(request.user, person_id)
    form = ChronologyFilterForm(request.GET or None)
    criteria = form.to_filter()
    entries = chronology_for(person, criteria, user=request.user)
    html = render_to_string(
        "chronology/chronology_pdf.html",
        {
            "person": person,
            "entries": entries,
            "summary": summarise(entries, criteria),
            "addresses": current_addresses(person),
            "allocation": current_allocation(person),
            "produced": timezone.localtime(),
            "user": request.user,
        },
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    record_export(
        acting_user=request.user,
        export_name="Chronology PDF",
        subject_person_ids=[person.pk],
        extra={"entries": len(entries)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chronology-{person.caseline_id}.pdf"'
    return response
