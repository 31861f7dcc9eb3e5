"""The analyst's request for an extract: nothing to choose, the whole record is exported."""

from __future__ import annotations

from caseline.apps.core.forms import GovukForm


class ExportRunForm(GovukForm):
    """No fields: the button asks for the extract."""
