"""CIN census rules that one child's record can break, checked where it is written.

Source of each: the DfE's CIN census validation rules, as listed in the Data to Insight
validator's rule table (``cin_rules_cin2024_25_pypi-0.1.13.csv`` and
``cin_rules_cin2025_26_pypi-0.1.13.csv`` in shared/reference/returns/rules, whose messages the
docstrings are) and coded in ``csc-validator-be-cin`` 0.1.13
(``cin_validator/rules/cin20XX_XX/rule_<code>.py``), read to understand each rule. The
pre-proceedings rules (9006 to 9013, the 2026-27 census's new module) come from the
validator's ``cin2026_27`` rule files, not yet in a released rule list.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from caseline.apps.returns.rules.base import Collection, DfERule, age_on

_SOURCE = "DfE CIN census validation rules (csc-validator-be-cin 0.1.13, cin2022_23 onwards)"
_YEARS = range(2023, 2028)
_LISTED = (
    "DfE CIN census validation rules 2024-25 and 2025-26 (csc-validator-be-cin 0.1.13 rule "
    "lists, cin_rules_cin2024_25_pypi-0.1.13.csv and cin_rules_cin2025_26_pypi-0.1.13.csv)"
)
_LISTED_YEARS = range(2025, 2027)
_PRE_PROCEEDINGS = (
    "DfE CIN census 2026-27 validation rules (csc-validator-be-cin, "
    "cin_validator/rules/cin2026_27/rule_<code>.py; not yet in a released rule list)"
)
_PRE_PROCEEDINGS_YEARS = range(2027, 2028)

NO_FACTORS_IDENTIFIED = "21"
REFERRAL_BEFORE_BIRTH_WEEKS = 40
# Closure reasons meaning "case closed after assessment" (RC8 no further action, RC9 referred to
# early help). The validator's code for 2022-23 checked RC8 alone; the 2024-25 and 2025-26
# messages of rule 2990 name RC9 too.
CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})
# UN1: "child under 6 years old and not yet assigned a UPN" (the census's UPNunknown list).
UPN_NOT_YET_ASSIGNED = "UN1"
SCHOOL_AGE_FROM = 6


class CINRule1103(DfERule):
    """The assessment start date cannot be before the referral date"""

    collection = Collection.CIN
    code = "1103"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("AssessmentActualStartDate", "CINreferralDate")

    @classmethod
    def breaks(cls, *, assessment_start: datetime.date, referral_date: datetime.date) -> bool:
        return assessment_start < referral_date


class CINRule8606(DfERule):
    """Child referral date is more than 40 weeks before DOB or expected DOB"""

    collection = Collection.CIN
    code = "8606"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate")

    @classmethod
    def breaks(cls, *, referral_date: datetime.date, born: datetime.date | None) -> bool:
        if born is None:
            return False
        return referral_date < born - datetime.timedelta(weeks=REFERRAL_BEFORE_BIRTH_WEEKS)


class CINRule8869(DfERule):
    """The assessment factors code “21” cannot be used in conjunction with any other
    assessment factors."""

    collection = Collection.CIN
    code = "8869"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("AssessmentFactors",)

    @classmethod
    def breaks(cls, *, factors: Sequence[str]) -> bool:
        return NO_FACTORS_IDENTIFIED in factors and len(set(factors)) > 1


class CINRule8898(DfERule):
    """The assessment has more than one parental or child factors with the same code"""

    collection = Collection.CIN
    code = "8898"
    years = _YEARS
    source = _SOURCE
    every_year = True
    fields = ("AssessmentFactors",)

    @classmethod
    def breaks(cls, *, factors: Sequence[str]) -> bool:
        return len(set(factors)) != len(factors)


# --- Closing an episode: what it may hold ------------------------------------------------------


class _Listed(DfERule):
    """A rule in the 2024-25 and 2025-26 rule lists; a matter of fact, checked in every year."""

    collection = Collection.CIN
    years = _LISTED_YEARS
    source = _LISTED
    every_year = True


class CINRule8868(_Listed):
    """CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by
    ICPC date or ICPC not required flag

    An enquiry in a closed episode has its initial conference or is marked "ICPC not
    required"; the validator also fails an enquiry with both.
    """

    code = "8868"
    fields = ("ICPCnotRequired", "CINclosureDate", "DateOfInitialCPC")

    @classmethod
    def breaks(cls, *, conference_held: bool, icpc_not_required: bool) -> bool:
        """For one enquiry in an episode that closes: neither concluded, or both."""
        return conference_held == icpc_not_required


class CINRule8565(_Listed):
    """Activity shown after a case has been closed

    The closure date is on or after every date of the episode's work that the census holds:
    assessments' start and authorisation, section 47 enquiries' start, the initial conference,
    child protection plans' end and child in need plans' start and end.
    """

    code = "8565"
    fields = (
        "CINclosureDate",
        "AssessmentActualStartDate",
        "AssessmentAuthorisationDate",
        "S47ActualStartDate",
        "DateOfInitialCPC",
        "CPPendDate",
        "CINPlanStartDate",
        "CINPlanEndDate",
    )

    @classmethod
    def breaks(cls, *, closed_on: datetime.date, latest_activity: datetime.date | None) -> bool:
        return latest_activity is not None and closed_on < latest_activity


class CINRule2990(_Listed):
    """Activity is recorded against a case marked as \u2018Case closed after assessment, no further
    action\u2019 or 'case closed after assessment, referred to early help'.

    RC8 and RC9 only for an episode with nothing past the assessment: no section 47 enquiry,
    initial conference, child protection plan or child in need plan.
    """

    code = "2990"
    fields = ("ReasonForClosure",)

    @classmethod
    def breaks(cls, *, closure_reason: str, activity_after_assessment: bool) -> bool:
        return closure_reason in CLOSED_AFTER_ASSESSMENT and activity_after_assessment


class CINRule8831(_Listed):
    """Activity is recorded against a case marked as a referral with no further action"""

    code = "8831"
    fields = (
        "AssessmentActualStartDate",
        "AssessmentAuthorisationDate",
        "S47ActualStartDate",
        "DateOfInitialCPC",
    )

    @classmethod
    def breaks(cls, *, nfa: bool, enquiry_or_conference: bool) -> bool:
        return nfa and enquiry_or_conference


class CINRule8832(_Listed):
    """Child Protection details provided for a referral with no further action."""

    code = "8832"
    fields = ("CINdetailsID", "ReferralNFA")

    @classmethod
    def breaks(cls, *, nfa: bool, protection_plan: bool) -> bool:
        return nfa and protection_plan


class CINRule4000(_Listed):
    """CIN Plan details provided for a referral with no further action"""

    code = "4000"
    fields = ("ReferralNFA",)

    @classmethod
    def breaks(cls, *, nfa: bool, cin_plan: bool) -> bool:
        return nfa and cin_plan


# --- The child's identifiers ------------------------------------------------------------------


class CINRule8770Q(DfERule):
    """Please check and either amend data or provide a reason: UPN is missing or reason UPN is
    missing or is UN1 for a child who is of school age.

    A query, not an error. Caseline refuses only its last part: UN1 (not yet assigned a UPN)
    for a child of 6 or more, judged on the day the record is saved. SSDA903 rule 209 asks
    the same of a looked-after child.
    """

    collection = Collection.CIN
    code = "8770Q"
    years = _LISTED_YEARS
    source = _LISTED
    every_year = True
    fields = ("UPN", "UPNunknown", "PersonBirthDate")

    @classmethod
    def breaks(cls, *, upn_unknown_reason: str, born: datetime.date, on: datetime.date) -> bool:
        return upn_unknown_reason == UPN_NOT_YET_ASSIGNED and age_on(born, on) >= SCHOOL_AGE_FROM


# --- Pre-proceedings and family group decision-making (2026-27 module 5) -----------------------


class _PreProceedings(DfERule):
    """A rule of the 2026-27 pre-proceedings module. Each is checked on records of any year:
    the dates' order is a matter of fact, and the answers it asks for are Caseline's record
    of the pre-proceedings, whenever they began."""

    collection = Collection.CIN
    years = _PRE_PROCEEDINGS_YEARS
    source = _PRE_PROCEEDINGS
    every_year = True


class CINRule9006(_PreProceedings):
    """The date the letter before proceedings was sent must be within the reporting year and
    after the date pre-proceedings began.

    Caseline checks the order (the validator's: on or after the start); the reporting year is
    the return's.
    """

    code = "9006"
    fields = ("LBPSentDate", "PPStartDate")

    @classmethod
    def breaks(cls, *, letter_sent_on: datetime.date, started_on: datetime.date) -> bool:
        return letter_sent_on < started_on


class CINRule9007(_PreProceedings):
    """You have confirmed that a letter before proceedings was sent. Please confirm whether or
    not a FGDM meeting was offered in the letter."""

    code = "9007"
    fields = ("LBPSentDate", "FGDMMeetingOffer")

    @classmethod
    def breaks(cls, *, letter_sent_on: datetime.date | None, fgdm_offered: bool | None) -> bool:
        return letter_sent_on is not None and fgdm_offered is None


class CINRule9009(_PreProceedings):
    """The date when the decision was made to step up or down must be on or after the date of
    the decision to begin pre-proceedings and must fall within the reporting year"""

    code = "9009"
    fields = ("StepDecisionDate", "PPStartDate")

    @classmethod
    def breaks(cls, *, decided_on: datetime.date, started_on: datetime.date) -> bool:
        return decided_on < started_on


class CINRule9010Q(_PreProceedings):
    """Please check: You have reported that a FGDM meeting was offered in the letter before
    proceedings. Please confirm whether or not a FGDM meeting was facilitated in the
    pre-proceedings period following this offer.

    A query. Caseline asks for the answer whenever it records whether a meeting was
    facilitated, offered or not.
    """

    code = "9010Q"
    fields = ("FGDMMeetingOffer", "FGDMMeetingFac")

    @classmethod
    def breaks(cls, *, fgdm_offered: bool | None, fgdm_facilitated: bool | None) -> bool:
        return fgdm_offered is True and fgdm_facilitated is None


class CINRule9011(_PreProceedings):
    """The outcome of the pre-proceedings must be reported using a valid value

    Valid: in the census's pre-proceedings outcome code list for the year of the decision
    (``codes`` PRE_PROCEEDINGS_OUTCOME), which the action reads.
    """

    code = "9011"
    fields = ("PPOutcome",)


class CINRule9012(_PreProceedings):
    """The date that the local authority submitted the court application to commence care
    proceedings must fall within the reporting year and be on or after the date of the
    decision to initiate care proceedings."""

    code = "9012"
    fields = ("CourtAppDate", "StepDecisionDate")

    @classmethod
    def breaks(cls, *, applied_on: datetime.date, decided_on: datetime.date) -> bool:
        return applied_on < decided_on


class CINRule9013(_PreProceedings):
    """The date on which the letter to initiate care proceedings was sent to parents/guardians
    must fall within the reporting year and be on or after the date when the local authority
    submitted the court application to commence care proceedings."""

    code = "9013"
    fields = ("LetterInitCPDate", "CourtAppDate")

    @classmethod
    def breaks(cls, *, letter_sent_on: datetime.date, applied_on: datetime.date) -> bool:
        return letter_sent_on < applied_on
