"""The audit trail filter."""

from __future__ import annotations

from django import forms

from caseline.apps.audit.events import EventType
from caseline.apps.audit.queries import AuditFilter
from caseline.apps.core.forms import GovukDateField, GovukForm


class AuditFilterForm(GovukForm):
    username = forms.CharField(label="Username", required=False, max_length=150)
    event_type = forms.CharField(
        label="What happened",
        required=False,
        max_length=64,
        help_text=f"For example {EventType.CHILD_RECORD_VIEWED} or {EventType.SIGNED_IN}",
    )
    person_id = forms.IntegerField(
        label="Person ID", required=False, min_value=1, help_text="Events about one person's record"
    )
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)
    request_uuid = forms.UUIDField(
        label="Request ID",
        required=False,
        help_text="Shows every event from one action",
        error_messages={"invalid": "Enter a request ID like 3f2b6c1e-1d2a-4c55-9f7e-0a1b2c3d4e5f"},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data

    def to_filter(self) -> AuditFilter:
        """The validated filter (call only after ``is_valid``)."""
        data = self.cleaned_data
        return AuditFilter(
            username=data.get("username") or "",
            event_type=data.get("event_type") or "",
            person_id=data.get("person_id"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            request_uuid=str(data["request_uuid"]) if data.get("request_uuid") else "",
        )
