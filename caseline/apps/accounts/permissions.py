"""The permission catalogue: every permission in Caseline, and which roles hold it.

Names follow ``scope:resource:action``. Each maps onto a Django permission on the
``accounts.CaselinePermission`` holder model, so ``user.has_perm(p.django_name)`` works and
roles are plain Django groups. Record-level rules (caseload, team, restricted records) are not
here: they live only in the ``visible_to()`` query helpers.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    """Every action a signed-in user may be allowed to take."""

    HOME_VIEW = "core:home:view"
    CHILD_VIEW = "people:child:view"
    CHILD_VIEW_ALL = "people:child:view-all"
    PERSON_CREATE = "people:person:create"
    PERSON_EDIT = "people:person:edit"
    PERSON_MERGE = "people:person:merge"
    CONTACT_RECORD = "frontdoor:contact:record"
    CONTACT_DECIDE = "frontdoor:contact:decide"
    REFERRAL_RECORD = "frontdoor:referral:record"
    CASE_ALLOCATE = "frontdoor:case:allocate"
    ASSESSMENT_RECORD = "assessments:assessment:record"
    ASSESSMENT_AUTHORISE = "assessments:assessment:authorise"
    PLAN_RECORD = "plans:plan:record"
    VISIT_RECORD = "plans:visit:record"
    ENQUIRY_RECORD = "protection:enquiry:record"
    CARE_RECORD = "lookedafter:care:record"
    NOTE_RECORD = "recording:note:record"
    OVERSIGHT_RECORD = "recording:oversight:record"
    CONFERENCE_CHAIR = "protection:conference:chair"
    REVIEW_CHAIR = "lookedafter:review:chair"
    INDICATORS_VIEW = "dashboards:indicator:view"
    RETURNS_EXPORT = "returns:return:export"
    AUDIT_CASE = "quality:case:audit"
    AUDIT_LOG_VIEW = "audit:event:view"
    USERS_MANAGE = "accounts:user:manage"
    LOCAL_STANDARDS_MANAGE = "timescales:standard:manage"
    PROVIDERS_MANAGE = "lookedafter:provider:manage"
    # The inspection and its follow-up (inspection app).
    INSPECTION_VIEW = "inspection:inspection:view"
    INSPECTION_MANAGE = "inspection:inspection:manage"
    # Case audits and IRO challenge (the quality app)
    AUDIT_ROUND_MANAGE = "quality:round:manage"
    AUDIT_MODERATE = "quality:audit:moderate"
    AUDIT_REFLECT = "quality:audit:reflect"
    AUDIT_ACTION_UPDATE = "quality:action:update"
    AUDIT_RESULTS_VIEW = "quality:results:view"
    IRO_CHALLENGE_RECORD = "quality:challenge:record"
    # Retention (data protection): review and approve destruction, place and lift legal holds.
    RETENTION_APPROVE = "retention:record:approve-destruction"
    # Subject access (data protection): record and answer people's requests for their records.
    SUBJECT_ACCESS_MANAGE = "subjectaccess:request:manage"
    # The Standard Safeguarding Dataset (issue 18): the record out as an SSD extract, and an
    # extract from another system in.
    SSD_EXPORT = "ssd:extract:export"
    SSD_IMPORT = "ssd:extract:import"
    # Allegations against adults who work with children (the lado app, issue 21).
    LADO_MANAGE = "lado:allegation:manage"
    # Complaints and representations (the complaints app, issue 21).
    COMPLAINTS_MANAGE = "complaints:complaint:manage"
    # Surveys of children's views and the Children in Care Council (issue 21).
    PARTICIPATION_MANAGE = "participation:survey:manage"
    # Subject access packs: a second person approves a pack's redactions before release.
    SUBJECT_ACCESS_APPROVE = "subjectaccess:pack:approve"
    # Restricted records (issue 19): restrict a child's record to named users, change them, lift.
    RECORD_RESTRICT = "people:record:restrict"

    @property
    def codename(self) -> str:
        """The Django permission codename."""
        return self.value

    @property
    def django_name(self) -> str:
        """The ``app_label.codename`` string ``User.has_perm`` takes."""
        return f"accounts.{self.value}"

    @property
    def description(self) -> str:
        """One line saying what holding this permission lets a user do."""
        return _DESCRIPTIONS[self]


_DESCRIPTIONS: dict[Permission, str] = {
    Permission.HOME_VIEW: "See the home page and their own work",
    Permission.CHILD_VIEW: "Read the records of children they may see",
    Permission.CHILD_VIEW_ALL: "Read every child's record, not only their team's and caseload",
    Permission.PERSON_CREATE: "Add a person to the record",
    Permission.PERSON_EDIT: "Change a person's identity details and relationships",
    Permission.PERSON_MERGE: "Review and merge duplicate person records",
    Permission.CONTACT_RECORD: "Record a contact at the front door",
    Permission.CONTACT_DECIDE: "Decide what happens after a contact",
    Permission.REFERRAL_RECORD: "Make a referral to children's social care",
    Permission.CASE_ALLOCATE: "Allocate a child's case to a team and worker",
    Permission.ASSESSMENT_RECORD: "Record and submit assessments",
    Permission.ASSESSMENT_AUTHORISE: "Authorise or return assessments",
    Permission.PLAN_RECORD: "Record plans, their actions and progress, and plan reviews",
    Permission.VISIT_RECORD: "Record statutory visits to children",
    Permission.ENQUIRY_RECORD: (
        "Record strategy discussions, section 47 enquiries, police decisions and core groups"
    ),
    Permission.CARE_RECORD: (
        "Record periods of care, legal status, placements, health, education, missing "
        "episodes and leaving care"
    ),
    Permission.NOTE_RECORD: "Record case notes",
    Permission.OVERSIGHT_RECORD: "Record management oversight and supervision",
    Permission.CONFERENCE_CHAIR: "Chair child protection conferences",
    Permission.REVIEW_CHAIR: "Chair looked-after reviews",
    Permission.INDICATORS_VIEW: "See performance indicators and their children",
    Permission.RETURNS_EXPORT: "Produce statutory returns and exports",
    Permission.AUDIT_CASE: "Audit the quality of casework",
    Permission.AUDIT_LOG_VIEW: "Read the audit trail",
    Permission.USERS_MANAGE: "Manage user accounts and roles",
    Permission.LOCAL_STANDARDS_MANAGE: "Set local practice standards and timescales",
    Permission.PROVIDERS_MANAGE: "Keep the register of placement providers",
    Permission.INSPECTION_VIEW: (
        "Read inspections, the improvement plan, monitoring visits and the self-evaluation"
    ),
    Permission.INSPECTION_MANAGE: (
        "Import inspection reports and keep the improvement plan, monitoring visits and "
        "self-evaluation"
    ),
    Permission.AUDIT_ROUND_MANAGE: "Set up case audit rounds and keep the audit tools",
    Permission.AUDIT_MODERATE: "Moderate case audits: agree or change the grade",
    Permission.AUDIT_REFLECT: "Add the audited worker's reflection to a case audit",
    Permission.AUDIT_ACTION_UPDATE: "Mark actions from case audits as done",
    Permission.AUDIT_RESULTS_VIEW: "See case audit results by theme, team and month",
    Permission.IRO_CHALLENGE_RECORD: "Raise, escalate and resolve IRO challenges on a case",
    Permission.RETENTION_APPROVE: (
        "Review records at the end of their retention, approve their destruction, and place "
        "or lift legal holds"
    ),
    Permission.SUBJECT_ACCESS_MANAGE: (
        "Record subject access requests, extend their deadline and record their answer"
    ),
    Permission.SSD_EXPORT: "Export the whole record as a Standard Safeguarding Dataset extract",
    Permission.SSD_IMPORT: "Import another system's Standard Safeguarding Dataset extract",
    Permission.LADO_MANAGE: (
        "Record and manage allegations against adults who work with children, and see the "
        "adults' details"
    ),
    Permission.COMPLAINTS_MANAGE: (
        "Record and manage children's social care complaints and see them on children's records"
    ),
    Permission.PARTICIPATION_MANAGE: (
        "Run surveys of children's views and record the Children in Care Council's members "
        "and meetings"
    ),
    Permission.SUBJECT_ACCESS_APPROVE: (
        "Approve a subject access pack's redactions as the second person, before its release"
    ),
    Permission.RECORD_RESTRICT: (
        "Restrict a child's record to named users, change who they are, and lift the restriction"
    ),
}


class Role(StrEnum):
    """The roles users hold, each a Django group of the same name."""

    FRONT_DOOR = "Front door worker"
    SOCIAL_WORKER = "Social worker"
    TEAM_MANAGER = "Team manager"
    IRO = "Independent reviewing officer or conference chair"
    ANALYST = "Performance analyst"
    QA_LEAD = "Quality assurance lead"
    SENIOR_LEADER = "Senior leader"
    ADMINISTRATOR = "Administrator"
    LADO = "Designated officer (LADO)"
    COMPLAINTS_OFFICER = "Complaints officer"


_P = Permission
_PRACTICE = {_P.HOME_VIEW, _P.CHILD_VIEW, _P.NOTE_RECORD}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FRONT_DOOR: frozenset(
        _PRACTICE
        | {
            _P.CHILD_VIEW_ALL,
            _P.PERSON_CREATE,
            _P.PERSON_EDIT,
            _P.CONTACT_RECORD,
            _P.CONTACT_DECIDE,
            _P.REFERRAL_RECORD,
        }
    ),
    Role.SOCIAL_WORKER: frozenset(
        _PRACTICE
        | {
            _P.PERSON_CREATE,
            _P.PERSON_EDIT,
            _P.CONTACT_RECORD,
            _P.REFERRAL_RECORD,
            _P.ASSESSMENT_RECORD,
            _P.PLAN_RECORD,
            _P.VISIT_RECORD,
            _P.ENQUIRY_RECORD,
            _P.CARE_RECORD,
            _P.AUDIT_REFLECT,
            _P.AUDIT_ACTION_UPDATE,
        }
    ),
    Role.TEAM_MANAGER: frozenset(
        _PRACTICE
        | {
            _P.PERSON_CREATE,
            _P.PERSON_EDIT,
            _P.PERSON_MERGE,
            _P.RECORD_RESTRICT,
            _P.CONTACT_RECORD,
            _P.CONTACT_DECIDE,
            _P.REFERRAL_RECORD,
            _P.CASE_ALLOCATE,
            _P.ASSESSMENT_RECORD,
            _P.ASSESSMENT_AUTHORISE,
            _P.PLAN_RECORD,
            _P.VISIT_RECORD,
            _P.ENQUIRY_RECORD,
            _P.CARE_RECORD,
            _P.OVERSIGHT_RECORD,
            _P.PROVIDERS_MANAGE,
            _P.INSPECTION_VIEW,
            # Indicators (issue 16): a team manager reads their team's figures and children.
            _P.INDICATORS_VIEW,
            _P.AUDIT_CASE,
            _P.AUDIT_REFLECT,
            _P.AUDIT_ACTION_UPDATE,
            _P.AUDIT_RESULTS_VIEW,
        }
    ),
    Role.IRO: frozenset(
        _PRACTICE
        | {
            _P.CHILD_VIEW_ALL,
            _P.CONFERENCE_CHAIR,
            _P.REVIEW_CHAIR,
            _P.IRO_CHALLENGE_RECORD,
            _P.AUDIT_ACTION_UPDATE,
        }
    ),
    # The analyst corrects a person's identity details (a UPN, an ethnicity) that a return
    # found wrong: the data-quality work of every performance team.
    Role.ANALYST: frozenset(
        {
            _P.HOME_VIEW,
            _P.CHILD_VIEW,
            _P.CHILD_VIEW_ALL,
            _P.PERSON_EDIT,
            _P.INDICATORS_VIEW,
            _P.RETURNS_EXPORT,
            _P.SSD_EXPORT,
        }
    ),
    Role.QA_LEAD: frozenset(
        {
            _P.HOME_VIEW,
            _P.CHILD_VIEW,
            _P.CHILD_VIEW_ALL,
            _P.INDICATORS_VIEW,
            _P.AUDIT_CASE,
            _P.AUDIT_ROUND_MANAGE,
            _P.AUDIT_MODERATE,
            _P.AUDIT_ACTION_UPDATE,
            _P.AUDIT_RESULTS_VIEW,
            _P.INSPECTION_VIEW,
            _P.INSPECTION_MANAGE,
            # Surveys of children's views and the Children in Care Council (issue 21).
            _P.PARTICIPATION_MANAGE,
            # The second person on a subject access pack (the senior leader prepares it).
            _P.SUBJECT_ACCESS_APPROVE,
        }
    ),
    # The senior leader approves destruction at the end of retention (the information
    # governance decision): they already see every child's record, which a reviewer must.
    Role.SENIOR_LEADER: frozenset(
        {
            _P.HOME_VIEW,
            _P.CHILD_VIEW,
            _P.CHILD_VIEW_ALL,
            _P.INDICATORS_VIEW,
            _P.AUDIT_CASE,
            _P.AUDIT_MODERATE,
            _P.AUDIT_RESULTS_VIEW,
            _P.INSPECTION_VIEW,
            _P.INSPECTION_MANAGE,
            _P.RETENTION_APPROVE,
            _P.RECORD_RESTRICT,
            _P.SUBJECT_ACCESS_MANAGE,
            _P.SUBJECT_ACCESS_APPROVE,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            _P.HOME_VIEW,
            _P.AUDIT_LOG_VIEW,
            _P.USERS_MANAGE,
            _P.LOCAL_STANDARDS_MANAGE,
            _P.PROVIDERS_MANAGE,
            _P.SSD_IMPORT,
        }
    ),
    # Issue 21: the designated officer reads the children an allegation names, whoever's
    # caseload they are on, and alone sees the adults' details; the indicators, to drill into
    # LD1 to LD4 (whose children only LADO_MANAGE sees).
    Role.LADO: frozenset(
        {
            _P.HOME_VIEW,
            _P.CHILD_VIEW,
            _P.CHILD_VIEW_ALL,
            _P.PERSON_CREATE,
            _P.LADO_MANAGE,
            _P.INDICATORS_VIEW,
        }
    ),
    # Issue 21: the complaints manager of regulation 10 of the 2006 Regulations; the
    # indicators, to drill into CO1 to CO4.
    Role.COMPLAINTS_OFFICER: frozenset(
        {
            _P.HOME_VIEW,
            _P.CHILD_VIEW,
            _P.CHILD_VIEW_ALL,
            _P.COMPLAINTS_MANAGE,
            _P.INDICATORS_VIEW,
        }
    ),
}
