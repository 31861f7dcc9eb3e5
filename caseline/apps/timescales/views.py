"""Local standards: every timescale rule, and the administrator's form to change a local one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.timescales import actions, queries
from caseline.apps.timescales.forms import LocalStandardForm
from caseline.apps.timescales.models import LocalStandardSetting
from caseline.apps.timescales.rules import CATALOGUE, Basis, TimescaleRule


class StandardsListView(PermissionRequiredMixin, TemplateView):
    """Every rule in the catalogue, with the earlier versions that judge older records: its
    interval in force, default, basis, certainty, source and the dates it applies."""

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
                "anchor": f"rule-{rule.code}"
                if rule is CATALOGUE.get(rule.code) or rule.applies_to is None
                else f"rule-{rule.code}-to-{rule.applies_to.isoformat()}",
            }
            for rule in CATALOGUE.all_versions()
        ]
        return context


class StandardChangeView(PermissionRequiredMixin, ActionFormView[LocalStandardForm]):
    """Change a local standard's interval; a statutory rule's page says why it cannot."""

    permission = Permission.LOCAL_STANDARDS_MANAGE
    template_name = "timescales/standard_change.html"
    form_class = LocalStandardForm
    rule: TimescaleRule

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            code = kwargs["code"]
            if code not in CATALOGUE:
                raise Http404("No timescale rule with that code")
            self.rule = queries.rule_in_force(code)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        interval = self.rule.effective_interval
        return {"count": interval.count, "unit": interval.unit.value}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        is_local = self.rule.basis is Basis.LOCAL_STANDARD
        context.update(
            rule=self.rule,
            is_local=is_local,
            refusal="" if is_local else actions.statutory_refusal(self.rule.code),
        )
        return context

    def perform(self, form: LocalStandardForm) -> LocalStandardSetting:
        # A statutory rule is refused by the action, with the reason shown on top.
        return actions.set_local_standard(
            acting_user=self.request.user, rule_code=self.rule.code, **form.cleaned_data
        )

    def get_success_message(self) -> str:
        updated = queries.rule_in_force(self.rule.code)
        return f"{self.rule.title}: the local standard is now {updated.effective_interval}"

    def get_success_url(self) -> str:
        return reverse("timescales:standards")
