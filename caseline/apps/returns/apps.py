"""Returns: the DfE's statutory returns produced from the record, and their validation."""

from __future__ import annotations

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "caseline.apps.returns"
    label = "returns"
    verbose_name = "Returns"

    def ready(self) -> None:
        # Each return registers itself when imported (registry.register).
        from caseline.apps.returns import cin_census  # noqa: F401
