"""Returns: the DfE's statutory returns produced from the record, and their validation."""

from __future__ import annotations

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "caseline.apps.returns"
    label = "returns"
    verbose_name = "Returns"

    def ready(self) -> None:
        from caseline.apps.people.contribution import register_contribution
        from caseline.apps.returns import (  # noqa: F401 (each registers itself)
            annex_a,
            cin_census,
            ssda903,
        )
        from caseline.apps.returns.providers import CONTRIBUTION

        register_contribution(CONTRIBUTION)
