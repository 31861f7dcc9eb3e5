"""The frame every page of a child's record shares: lookup, audit of the read, sub-navigation.

Each app adds its own sections to the record with :class:`ChildRecordMixin`; the template
``people/record_base.html`` draws the identity bar and sub-navigation around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import PermissionRequiredMixin, user_can
from caseline.apps.people.models import Person
from caseline.apps.people.queries import get_person_for_user
from caseline.apps.people.shown import children_shown


@dataclass(frozen=True)
class RecordSection:
    key: str
    label: str
    url_name: str


# The record's sub-navigation. A section whose URL is not built yet is shown as "coming".
RECORD_SECTIONS: tuple[RecordSection, ...] = (
    RecordSection("summary", "Summary", "people:record"),
    RecordSection("people", "People and relationships", "people:relationships"),
    RecordSection("genogram", "Genogram", "genogram:record"),
    RecordSection("chronology", "Chronology", "chronology:record"),
    RecordSection("episodes", "Contacts and episodes", "frontdoor:record-episodes"),
    RecordSection("assessments", "Assessments", "assessments:record-list"),
    RecordSection("plans", "Plans", "cin:record-plans"),
    RecordSection("protection", "Child protection", "protection:record"),
    RecordSection("care", "Care and leaving care", "lookedafter:record"),
    RecordSection("notes", "Visits and notes", "recording:record-notes"),
    RecordSection("quality", "Audits and IRO challenges", "quality:record"),
    RecordSection(
        "private-fostering",
        "Private fostering, young carer and participation",
        "privatefostering:record",
    ),
    RecordSection("documents", "Documents", "people:documents"),
    RecordSection("viewers", "Who has viewed this record", "people:viewers"),
)


@dataclass(frozen=True)
class SectionLink:
    label: str
    href: str
    current: bool


def section_links(person: Person, current: str) -> list[SectionLink]:
    links = []
    for section in RECORD_SECTIONS:
        try:
            href = reverse(section.url_name, kwargs={"person_id": person.pk})
        except NoReverseMatch:
            continue
        links.append(SectionLink(section.label, href, section.key == current))
    return links


class ChildRecordMixin(PermissionRequiredMixin):
    """A page of one person's record: checks visibility, audits the read, fills the frame.

    Subclasses set ``record_section`` (a key of ``RECORD_SECTIONS``); URLs carry ``person_id``.
    """

    permission: ClassVar[Permission] = Permission.CHILD_VIEW
    record_section: ClassVar[str] = "summary"
    person: Person

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Permission first (in PermissionRequiredMixin), then visibility. The read is audited
        # when the response shows the record (a page, or a form shown again with its errors):
        # people.middleware.ReadAuditMiddleware.
        if user_can(request.user, self.permission):
            self.person = get_person_for_user(request.user, int(kwargs["person_id"]))
            children_shown(request, subject=self.person.pk, section=self.record_section)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["person"] = self.person
        context["record_sections"] = section_links(self.person, self.record_section)
        context.update(record_frame(self.person))
        context["record_can_restrict"] = user_can(self.request.user, Permission.RECORD_RESTRICT)  # type: ignore[attr-defined]
        return context


def record_frame(person: Person) -> dict[str, Any]:
    """What the identity bar needs: today's age, badges, alerts and the restriction in force."""
    from caseline.apps.people.queries import current_alerts, restriction_in_force
    from caseline.apps.people.summary import badges

    today = timezone.localdate()
    return {
        "record_today": today,
        "record_age": person.age_on(today),
        "record_badges": badges(person, today),
        "record_alerts": current_alerts(person, today),
        "record_restriction": restriction_in_force(person),
    }
