"""Subject access: a person's request for what the council holds about them, and its deadline."""

from __future__ import annotations

from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "caseline.apps.subjectaccess"
    label = "subjectaccess"
    verbose_name = "Subject access"
