"""Local standards: every timescale rule, and the administrator's form to change a local one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import PermissionRequiredMixin
from caseline.apps.timescales import actions, queries
from caseline.apps.timescales.forms import LocalStandardForm
from caseline.apps.timescales.rules import CATALOGUE, Basis, TimescaleRule


class StandardsListView(PermissionRequiredMixin, TemplateView):
    """Every rule in the catalogue: its interval in force, default, basis, certainty, source."""

    permission = Permission.LOCAL_STANDARDS_MANAGE
    template_name = "timescales/standards.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stored = queries.settings_by_code()
        context["rows"] = [
            {
                "rule": rule.with_override(stored[rule.code].interval)
                if rule.code in stored and rule.basis is Basis.LOCAL_STANDARD
                else rule,
                "setting": stored.get(rule.code),
                "is_local": rule.basis is Basis.LOCAL_STANDARD,
            }
            for rule in CATALOGUE.all()
        ]
        return context


class StandardChangeView(PermissionRequiredMixin, View):
    """Change a local standard's interval; a statutory rule's page says why it cannot."""

    permission = Permission.LOCAL_STANDARDS_MANAGE
    template_name = "timescales/standard_change.html"

    def _rule(self, code: str) -> TimescaleRule:
        if code not in CATALOGUE:
            raise Http404("No timescale rule with that code")
        return queries.rule_in_force(code)

    def _render(self, rule: TimescaleRule, form: LocalStandardForm, status: int = 200) -> Any:
        context = {
            "rule": rule,
            "form": form,
            "is_local": rule.basis is Basis.LOCAL_STANDARD,
            "refusal": ""
            if rule.basis is Basis.LOCAL_STANDARD
            else actions.statutory_refusal(rule.code),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        rule = self._rule(code)
        interval = rule.effective_interval
        form = LocalStandardForm(initial={"count": interval.count, "unit": interval.unit.value})
        return self._render(rule, form)  # type: ignore[no-any-return]

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        rule = self._rule(code)
        form = LocalStandardForm(request.POST)
        if rule.basis is Basis.STATUTORY:
            form.is_valid()
            form.add_error(None, actions.statutory_refusal(rule.code))
            return self._render(rule, form, status=400)  # type: ignore[no-any-return]
        if form.is_valid():
            try:
                actions.set_local_standard(
                    acting_user=request.user,
                    rule_code=rule.code,
                    unit=form.cleaned_data["unit"],
                    count=form.cleaned_data["count"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    target = field if field in form.fields else None
                    for message in field_errors:
                        form.add_error(target, message)
            else:
                updated = queries.rule_in_force(rule.code)
                messages.success(
                    request, f"{rule.title}: the local standard is now {updated.effective_interval}"
                )
                return redirect("timescales:standards")
        return self._render(rule, form, status=400)  # type: ignore[no-any-return]
