"""The genogram page of a child's record."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from caseline.apps.core.access import AuthenticatedRequest
from caseline.apps.genogram.family import build_family, mask_restricted
from caseline.apps.genogram.svg import describe, render_svg
from caseline.apps.people.queries import restricted_from
from caseline.apps.people.record import ChildRecordMixin


class GenogramView(ChildRecordMixin, TemplateView):
    """Draws the genogram from the recorded relationships, with a text alternative."""

    request: AuthenticatedRequest
    record_section = "genogram"
    template_name = "genogram/genogram.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        family = build_family(self.person)
        mask_restricted(family, restricted_from(self.request.user, family.members))
        title = f"Genogram for {self.person.full_name}"
        # render_svg escapes every name and date it writes.
        context["svg"] = mark_safe(render_svg(family, title))  # noqa: S308
        context["description"] = describe(family)
        context["member_count"] = len(family.members)
        return context
