"""What the home page offers each role: the links to their work, and what is still coming."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from caseline.apps.accounts.backends import roles_of
from caseline.apps.accounts.permissions import Permission, Role
from caseline.apps.core.access import user_can


@dataclass(frozen=True)
class WorkLink:
    """A piece of work a role does, linked once the page for it exists."""

    label: str
    description: str
    url_name: str
    permission: Permission


@dataclass(frozen=True)
class RoleHome:
    """The part of the home page for one role."""

    role: Role
    heading: str
    work: tuple[WorkLink, ...]


FIND_A_PERSON = WorkLink(
    "Find a person",
    "Search by name, date of birth, NHS number, UPN or postcode.",
    "people:search",
    Permission.CHILD_VIEW,
)

# Each role reaches its own work pages from here: My work for those who hold children's
# cases, the team page for managers, the chair's page for chairs (core/tests/test_home.py
# checks every role against ROLE_PERMISSIONS).
HOME_BY_ROLE: tuple[RoleHome, ...] = (
    RoleHome(
        Role.FRONT_DOOR,
        "Front door",
        (
            WorkLink(
                "Record a contact",
                "Record a new contact about a child and decide within one working day.",
                "frontdoor:contact-new",
                Permission.CONTACT_RECORD,
            ),
            WorkLink(
                "Contacts awaiting a decision",
                "Contacts that still need a decision, oldest first.",
                "frontdoor:contacts",
                Permission.CONTACT_RECORD,
            ),
            FIND_A_PERSON,
        ),
    ),
    RoleHome(
        Role.SOCIAL_WORKER,
        "Your children",
        (
            WorkLink(
                "My work",
                "Your children's visits, assessments, plans and reviews, due and overdue.",
                "mywork:mine",
                Permission.HOME_VIEW,
            ),
            FIND_A_PERSON,
        ),
    ),
    RoleHome(
        Role.TEAM_MANAGER,
        "Your team",
        (
            WorkLink(
                "My work",
                "The visits, assessments, plans and reviews due for children allocated to you.",
                "mywork:mine",
                Permission.HOME_VIEW,
            ),
            WorkLink(
                "Awaiting your sign-off",
                "Assessments your workers have submitted for authorisation.",
                "assessments:awaiting-authorisation",
                Permission.ASSESSMENT_AUTHORISE,
            ),
            WorkLink(
                "Team work and caseloads",
                "Your team's overdue work by worker, unallocated children and caseloads.",
                "mywork:team",
                Permission.CASE_ALLOCATE,
            ),
            WorkLink(
                "Contacts awaiting a decision",
                "Contacts that still need a decision, oldest first.",
                "frontdoor:contacts",
                Permission.CONTACT_DECIDE,
            ),
            WorkLink(
                "Placement providers",
                "The register of children's homes, fostering services and other providers.",
                "lookedafter:providers",
                Permission.PROVIDERS_MANAGE,
            ),
            FIND_A_PERSON,
        ),
    ),
    RoleHome(
        Role.IRO,
        "Conferences and reviews",
        (
            WorkLink(
                "Your conferences and reviews",
                "Protection conferences and looked-after reviews you chair, and your caseload.",
                "mywork:chair",
                Permission.CONFERENCE_CHAIR,
            ),
            FIND_A_PERSON,
        ),
    ),
    RoleHome(
        Role.ANALYST,
        "Performance",
        (
            WorkLink(
                "Indicators",
                "DfE indicators computed from the record, each traceable to its children.",
                "indicators:home",
                Permission.INDICATORS_VIEW,
            ),
            WorkLink(
                "Statutory returns",
                "The CIN census, the SSDA903 return and Ofsted's Annex A.",
                "returns:index",
                Permission.RETURNS_EXPORT,
            ),
            WorkLink(
                "Standard Safeguarding Dataset export",
                "The whole record as an SSD extract, for your own and regional analysis.",
                "ssd:home",
                Permission.SSD_EXPORT,
            ),
        ),
    ),
    RoleHome(
        Role.QA_LEAD,
        "Quality assurance",
        (
            WorkLink(
                "Case audits",
                "Audit the quality of practice on children's records.",
                "quality:audits",
                Permission.AUDIT_CASE,
            ),
            WorkLink(
                "Indicators",
                "DfE indicators computed from the record, each traceable to its children.",
                "indicators:home",
                Permission.INDICATORS_VIEW,
            ),
            WorkLink(
                "Inspection and improvement plans",
                "Ofsted's reports, the improvement plan, monitoring visits, the self-evaluation.",
                "inspection:home",
                Permission.INSPECTION_VIEW,
            ),
            WorkLink(
                "Surveys of children's views",
                "Surveys and their results, what changed, and the Children in Care Council.",
                "privatefostering:surveys",
                Permission.PARTICIPATION_MANAGE,
            ),
        ),
    ),
    RoleHome(
        Role.SENIOR_LEADER,
        "Leadership",
        (
            WorkLink(
                "Indicators",
                "DfE indicators computed from the record, each traceable to its children.",
                "indicators:home",
                Permission.INDICATORS_VIEW,
            ),
            WorkLink(
                "Inspection readiness",
                "Self-evaluation, inspection findings and improvement plans.",
                "inspection:home",
                Permission.INSPECTION_VIEW,
            ),
        ),
    ),
    RoleHome(
        Role.ADMINISTRATOR,
        "Administration",
        (
            WorkLink(
                "Audit trail",
                "Every change, every read of a child's record and every export.",
                "audit:events",
                Permission.AUDIT_LOG_VIEW,
            ),
            WorkLink(
                "Users",
                "Everyone who signs in, and social workers' registration numbers.",
                "accounts:users",
                Permission.USERS_MANAGE,
            ),
            WorkLink(
                "Local standards",
                "Set local practice timescales, such as protection visit frequency.",
                "timescales:standards",
                Permission.LOCAL_STANDARDS_MANAGE,
            ),
            WorkLink(
                "Placement providers",
                "The register of children's homes, fostering services and other providers.",
                "lookedafter:providers",
                Permission.PROVIDERS_MANAGE,
            ),
        ),
    ),
    RoleHome(
        Role.LADO,
        "Allegations against adults who work with children",
        (
            WorkLink(
                "Allegations",
                "Your open allegations with what is due next, and recording a new one.",
                "lado:allegations",
                Permission.LADO_MANAGE,
            ),
            WorkLink(
                "Annual LADO report",
                "Numbers by sector, source, outcome and timeliness for any year.",
                "lado:report",
                Permission.LADO_MANAGE,
            ),
            FIND_A_PERSON,
        ),
    ),
    RoleHome(
        Role.COMPLAINTS_OFFICER,
        "Complaints and representations",
        (
            WorkLink(
                "Complaints",
                "Open complaints at each stage with their due dates, and recording a new one.",
                "complaints:complaints",
                Permission.COMPLAINTS_MANAGE,
            ),
            WorkLink(
                "Annual complaints report",
                "Figures by stage, timeliness, theme and outcome for any year.",
                "complaints:report",
                Permission.COMPLAINTS_MANAGE,
            ),
            FIND_A_PERSON,
        ),
    ),
)


@dataclass(frozen=True)
class ResolvedWork:
    """A work link for one user: ``href`` is empty when the page is still to be built."""

    label: str
    description: str
    href: str


@dataclass(frozen=True)
class ResolvedSection:
    heading: str
    role: str
    available: list[ResolvedWork]
    coming: list[ResolvedWork]


def home_sections_for(user: Any) -> list[ResolvedSection]:
    """The home page sections for each of the user's roles."""
    roles = set(roles_of(user))
    sections: list[ResolvedSection] = []
    for role_home in HOME_BY_ROLE:
        if role_home.role.value not in roles:
            continue
        available: list[ResolvedWork] = []
        coming: list[ResolvedWork] = []
        for link in role_home.work:
            if not user_can(user, link.permission):
                continue
            try:
                available.append(ResolvedWork(link.label, link.description, reverse(link.url_name)))
            except NoReverseMatch:
                coming.append(ResolvedWork(link.label, link.description, ""))
        sections.append(ResolvedSection(role_home.heading, role_home.role.value, available, coming))
    return sections
