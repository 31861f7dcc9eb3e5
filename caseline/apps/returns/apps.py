"""Returns: the DfE's statutory returns produced from the record, and their validation."""

from __future__ import annotations

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "caseline.apps.returns"
    label = "returns"
    verbose_name = "Returns"

    def ready(self) -> None:
        from caseline.apps.returns import ssda903  # noqa: F401  (registers the return)
