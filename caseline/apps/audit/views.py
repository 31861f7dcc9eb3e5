"""The administrator's view of the audit trail. There is no page that changes it."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.events import EventType
from caseline.apps.audit.forms import AuditFilterForm
from caseline.apps.audit.queries import AuditFilter, filtered_events, rows_for_viewer, subjects_of
from caseline.apps.audit.record import record_event
from caseline.apps.core.access import PermissionRequiredMixin
from caseline.apps.people.queries import visible_among

PAGE_SIZE = 50


class AuditEventListView(PermissionRequiredMixin, TemplateView):
    """Lists audit events, filtered, 50 a page."""

    permission = Permission.AUDIT_LOG_VIEW
    template_name = "audit/event_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = AuditFilterForm(self.request.GET or None)
        criteria = form.to_filter() if form.is_bound and form.is_valid() else AuditFilter()
        paginator = Paginator(filtered_events(criteria), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        events = list(page.object_list)
        rows = rows_for_viewer(events, visible_among(self.request.user, subjects_of(events)))
        record_event(
            acting_user=self.request.user,
            event_type=EventType.AUDIT_TRAIL_VIEWED,
            extra={"filter": query.urlencode(), "page": page.number, "events": len(rows)},
        )
        context.update(form=form, page=page, rows=rows, query=query.urlencode())
        return context
