"""The service navigation: what each user sees depends on the permissions their roles hold."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import user_can


@dataclass(frozen=True)
class NavItem:
    """One link in the service navigation."""

    label: str
    url_name: str
    permission: Permission


# Capabilities add their entries here as they land; an entry whose URL does not exist yet
# is left out rather than linking to a page that pretends.
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "core:home", Permission.HOME_VIEW),
    NavItem("Find a person", "people:search", Permission.CHILD_VIEW),
    NavItem("Front door", "frontdoor:contacts", Permission.CONTACT_RECORD),
    NavItem("Returns", "returns:home", Permission.RETURNS_EXPORT),
    NavItem("Case audits", "quality:audits", Permission.AUDIT_CASE),
    NavItem("SSD export", "ssd:home", Permission.SSD_EXPORT),
    NavItem("Audit trail", "audit:events", Permission.AUDIT_LOG_VIEW),
    NavItem("Indicators", "indicators:home", Permission.INDICATORS_VIEW),
    NavItem("Inspection", "inspection:home", Permission.INSPECTION_VIEW),
    NavItem("Retention", "retention:due", Permission.RETENTION_APPROVE),
    NavItem("Allegations", "lado:allegations", Permission.LADO_MANAGE),
    NavItem("Complaints", "complaints:complaints", Permission.COMPLAINTS_MANAGE),
)


@dataclass(frozen=True)
class NavLink:
    """A navigation entry resolved for one request."""

    label: str
    href: str
    active: bool


def navigation_for(user: Any, path: str) -> list[NavLink]:
    """The navigation links this user may follow, with the current one marked."""
    links: list[NavLink] = []
    for item in NAVIGATION:
        if not user_can(user, item.permission):
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = path == href if href == "/" else path.startswith(href)
        links.append(NavLink(item.label, href, active))
    return links
