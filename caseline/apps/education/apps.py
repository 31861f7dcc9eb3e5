"""Education flags the record reads but does not own: SEN support and EHC plans, imported."""

from __future__ import annotations

from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "caseline.apps.education"
    label = "education"
    verbose_name = "Education (special educational needs)"

    def ready(self) -> None:
        from caseline.apps.education.providers import CONTRIBUTION
        from caseline.apps.people.contribution import register_contribution

        register_contribution(CONTRIBUTION)
