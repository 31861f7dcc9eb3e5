"""The administrator's view of the audit trail. There is no page that changes it."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.forms import AuditFilterForm
from caseline.apps.audit.queries import AuditFilter, filtered_events
from caseline.apps.core.access import PermissionRequiredMixin

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
        context.update(form=form, page=page, query=query.urlencode())
        return context
