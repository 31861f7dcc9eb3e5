"""The chronology page of a child's record, its printable PDF, and manual entries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.chronology.actions import record_agency_event
from caseline.apps.chronology.forms import AgencyEventForm, ChronologyFilterForm
from caseline.apps.chronology.queries import chronology_for, summarise
from caseline.apps.core.access import requires
from caseline.apps.core.forms import add_action_errors
from caseline.apps.people.queries import (
    current_addresses,
    current_allocation,
    get_person_for_user,
)
from caseline.apps.people.record import ChildRecordMixin


class ChronologyView(ChildRecordMixin, TemplateView):
    """Every event in the child's record in date order, filterable."""

    record_section = "chronology"
    template_name = "chronology/chronology.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = ChronologyFilterForm(self.request.GET or None)
        criteria = form.to_filter()
        entries = chronology_for(self.person, criteria)
        query = self.request.GET.urlencode()
        context.update(
            form=form, entries=entries, query=query, summary=summarise(entries, criteria)
        )
        return context


class AgencyEventCreateView(ChildRecordMixin, FormView):  # type: ignore[type-arg]
    """Add a significant event another agency reported."""

    permission = Permission.NOTE_RECORD
    record_section = "chronology"
    template_name = "chronology/agency_event_form.html"
    form_class = AgencyEventForm

    def form_valid(self, form: AgencyEventForm) -> HttpResponse:
        try:
            record_agency_event(
                acting_user=self.request.user, person=self.person, **form.cleaned_data
            )
        except ValidationError as error:
            add_action_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "The event has been added to the chronology")
        return redirect("chronology:record", person_id=self.person.pk)

    def form_invalid(self, form: AgencyEventForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@requires(Permission.CHILD_VIEW)
def chronology_pdf_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """The chronology as a PDF, rendered by WeasyPrint; recorded as an export."""
    from weasyprint import HTML

    person = get_person_for_user(request.user, person_id)
    form = ChronologyFilterForm(request.GET or None)
    criteria = form.to_filter()
    entries = chronology_for(person, criteria)
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
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    record_export(
        acting_user=request.user,
        export_name="Chronology PDF",
        subject_person_ids=[person.pk],
        extra={"entries": len(entries)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chronology-{person.caseline_id}.pdf"'
    return response
