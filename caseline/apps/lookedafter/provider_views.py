"""Pages for the register of placement providers: the list, and the forms to add a provider
and to change one. For those who keep the register (``lookedafter:provider:manage``)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.urls import reverse
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import PermissionRequiredMixin
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.lookedafter import actions, queries
from caseline.apps.lookedafter.actions.providers_register import FIELDS
from caseline.apps.lookedafter.forms import ProviderForm
from caseline.apps.lookedafter.models import PlacementProvider


class ProviderListView(PermissionRequiredMixin, TemplateView):
    """Every provider in the register, those in use first."""

    permission = Permission.PROVIDERS_MANAGE
    template_name = "lookedafter/providers.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        types = code_list(CodeListName.PLACEMENT_PROVIDER)
        context["providers"] = [
            (provider, f"{provider.provider_type} - {types.label(provider.provider_type)}")
            for provider in queries.provider_register()
        ]
        return context


class ProviderPage(PermissionRequiredMixin, ActionFormView[ProviderForm]):
    """A form about one entry in the register, which a save returns from to the list."""

    permission = Permission.PROVIDERS_MANAGE
    form_class = ProviderForm
    template_name = "lookedafter/provider_form.html"

    def get_success_url(self) -> str:
        return reverse("lookedafter:providers")


class ProviderAddView(ProviderPage):
    title = "Add a placement provider"
    button = "Add the provider"
    success_message = "Provider added to the register"

    def perform(self, form: ProviderForm) -> PlacementProvider:
        return actions.add_placement_provider(acting_user=self.request.user, **form.cleaned_data)


class ProviderChangeView(ProviderPage):
    title = "Change a placement provider"
    button = "Save the provider"
    success_message = "Provider saved"

    @cached_property
    def provider(self) -> PlacementProvider:
        return queries.get_provider(int(self.kwargs["provider_id"]))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["editing"] = True
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        provider = self.provider
        fields = [*FIELDS, "active", "version"]
        return {name: getattr(provider, name) for name in fields}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.provider.name
        return context

    def perform(self, form: ProviderForm) -> PlacementProvider:
        data = dict(form.cleaned_data)
        return actions.change_placement_provider(
            acting_user=self.request.user,
            provider=self.provider,
            read_version=data.pop("version"),
            **data,
        )
