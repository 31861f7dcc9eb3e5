"""The CIN census's validation rules that Caseline enforces where the data is entered.

Each is a :class:`~caseline.apps.core.checks.Rule` whose ``code`` is ``"CIN:<DfE rule code>"``
and whose ``message`` is the DfE's own words, from the rule list of the Data to Insight CIN
validator (``csc-validator-be-cin``): version 0.1.13's list for 2025-26 (the reference copy
``returns/rules/cin_rules_cin2025_26_pypi-0.1.13.csv``, identical to its 2024-25 list), and
for the 2026-27 pre-proceedings module the validator's ``cin2026_27`` rule files (not yet in a
released list). Where no DfE rule says what the record needs, the rule is Caseline's own
(``caseline:``), naming the DfE guidance it follows.

An action refuses with :func:`refuse`: what is wrong in the record's words, then the DfE's
rule and message, so the worker sees both why and which rule. These rules live here until the
general catalogue of DfE rules gathers them.

Plain Python: no models, so both the front door and child protection may import it.
"""

from __future__ import annotations

from caseline.apps.core.checks import Checks, Rule

_LIST_2025 = (
    "DfE CIN census 2025-26 validation rules (csc-validator-be-cin 0.1.13 rule list, "
    "cin_rules_cin2025_26_pypi-0.1.13.csv), rule {code}"
)
_RULES_2026 = (
    "DfE CIN census 2026-27 validation rules (csc-validator-be-cin, "
    "cin_validator/rules/cin2026_27/rule_{code}.py; not yet in a released rule list)"
)


def _dfe(code: str, message: str, *, year: int = 2025) -> Rule:
    source = (_LIST_2025 if year == 2025 else _RULES_2026).format(code=code)
    return Rule(f"CIN:{code}", source, message)


# --- Section 47 enquiries and the initial conference (ICPCnotRequired) -----------------------

# Closing an episode: every enquiry on it has its initial conference or is marked "ICPC not
# required"; and the validator also fails an enquiry with both (rule 8868's second condition).
ENQUIRY_NOT_CONCLUDED = _dfe(
    "8868",
    "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed by "
    "ICPC date or ICPC not required flag",
)

# --- Closing a referral ----------------------------------------------------------------------

# RC8 or RC9 ("case closed after assessment") on an episode with a section 47 enquiry, an
# initial conference, a child protection plan or a child in need plan. The validator's code
# for 2022-23 checked RC8 alone; the 2024-25 and 2025-26 messages name RC9 too.
# (The DfE's message has curly quotes around the first reason and straight around the second.)
CLOSED_AFTER_ASSESSMENT_WITH_ACTIVITY = _dfe(
    "2990",
    "Activity is recorded against a case marked as \u2018Case closed after assessment, no further "
    "action\u2019 or 'case closed after assessment, referred to early help'.",
)
# A referral with no further action cannot have had a section 47 enquiry or conference.
NFA_WITH_ACTIVITY = _dfe(
    "8831", "Activity is recorded against a case marked as a referral with no further action"
)
NFA_WITH_PROTECTION = _dfe(
    "8832", "Child Protection details provided for a referral with no further action."
)
NFA_WITH_CIN_PLAN = _dfe("4000", "CIN Plan details provided for a referral with no further action")
# Closure reasons meaning "closed after assessment".
CLOSED_AFTER_ASSESSMENT = frozenset({"RC8", "RC9"})

# No DfE rule ties a period of care to the episode's primary need. Rule 8610 requires a primary
# need for every referral that led to further action, and the code list's N0 is "not stated":
# a child who became looked after during the episode had further action, so Caseline asks for
# a stated need before the episode closes. Caseline's own rule.
LOOKED_AFTER_NEEDS_PRIMARY_NEED = Rule(
    "caseline:cin-looked-after-primary-need",
    "Caseline, after DfE CIN census rule 8610 ('Primary Need code is missing for a referral "
    "which led to further action.') and the CIN census code set, where N0 is 'Not stated': a "
    "child who became looked after during the episode had further action, so its primary need "
    "is stated. (○ The CIN census guide's own words on N0 are not checked.)",
    "{name} was looked after during this episode, so it led to further action: give its "
    "primary need (not N0, not stated)",
)
LOOKED_AFTER_NOT_NFA = Rule(
    "caseline:cin-looked-after-not-nfa",
    "Caseline, after DfE CIN census rules 8831 and 8832 (no activity on a referral with no "
    "further action): a child who became looked after during the episode had further action",
    "{name} was looked after during this episode, so the referral did not lead to no further "
    "action",
)
# Primary need codes that say nothing about the need.
PRIMARY_NEED_NOT_STATED = frozenset({"", "N0"})

# --- Pre-proceedings and family group decision-making (2026-27 module 5) ---------------------

LETTER_BEFORE_PROCEEDINGS_AFTER_START = _dfe(
    "9006",
    "The date the letter before proceedings was sent must be within the reporting year and "
    "after the date pre-proceedings began.",
    year=2026,
)
FGDM_OFFER_WITH_LETTER = _dfe(
    "9007",
    "You have confirmed that a letter before proceedings was sent. Please confirm whether or "
    "not a FGDM meeting was offered in the letter.",
    year=2026,
)
STEP_DECISION_AFTER_START = _dfe(
    "9009",
    "The date when the decision was made to step up or down must be on or after the date of "
    "the decision to begin pre-proceedings and must fall within the reporting year",
    year=2026,
)
FGDM_FACILITATED_AFTER_OFFER = _dfe(
    "9010Q",
    "Please check: You have reported that a FGDM meeting was offered in the letter before "
    "proceedings. Please confirm whether or not a FGDM meeting was facilitated in the "
    "pre-proceedings period following this offer.",
    year=2026,
)
PP_OUTCOME_VALID = _dfe(
    "9011",
    "The outcome of the pre-proceedings must be reported using a valid value",
    year=2026,
)
COURT_APPLICATION_AFTER_DECISION = _dfe(
    "9012",
    "The date that the local authority submitted the court application to commence care "
    "proceedings must fall within the reporting year and be on or after the date of the "
    "decision to initiate care proceedings.",
    year=2026,
)
LETTER_INITIATING_AFTER_APPLICATION = _dfe(
    "9013",
    "The date on which the letter to initiate care proceedings was sent to parents/guardians "
    "must fall within the reporting year and be on or after the date when the local authority "
    "submitted the court application to commence care proceedings.",
    year=2026,
)

# The ``CIN:`` rules above, by code (for tests and the catalogue to come).
CIN_RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        ENQUIRY_NOT_CONCLUDED,
        CLOSED_AFTER_ASSESSMENT_WITH_ACTIVITY,
        NFA_WITH_ACTIVITY,
        NFA_WITH_PROTECTION,
        NFA_WITH_CIN_PLAN,
        LETTER_BEFORE_PROCEEDINGS_AFTER_START,
        FGDM_OFFER_WITH_LETTER,
        STEP_DECISION_AFTER_START,
        FGDM_FACILITATED_AFTER_OFFER,
        PP_OUTCOME_VALID,
        COURT_APPLICATION_AFTER_DECISION,
        LETTER_INITIATING_AFTER_APPLICATION,
    )
}


def dfe_words(rule: Rule) -> str:
    """How a refusal quotes a DfE rule: "(DfE CIN census rule 8868: CIN episode is ...)"."""
    number = rule.code.removeprefix("CIN:")
    return f"(DfE CIN census rule {number}: {rule.message.rstrip('.')})"


def refuse(checks: Checks, rule: Rule, field: str | None, why: str, **values: object) -> None:
    """Record that ``rule`` is broken: ``why`` (what is wrong, in the record's words), then,
    for a DfE rule, the rule's number and message; for Caseline's own, its message."""
    if rule.code.startswith("CIN:"):
        checks.add(field, f"{why} {dfe_words(rule)}")
    else:
        checks.add(field, f"{why}. {rule.says(**values)}" if why else rule.says(**values))
