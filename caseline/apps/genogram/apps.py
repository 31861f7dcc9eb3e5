"""Genogram: the child's family drawn as SVG from the recorded relationships, never by hand."""

from __future__ import annotations

from django.apps import AppConfig


class GenogramConfig(AppConfig):
    name = "caseline.apps.genogram"
    label = "genogram"
    verbose_name = "Genogram"
