"""Caseline's own rules on a child in need episode, after the CIN census's.

The DfE's CIN census rules that one record can break are classes in the rule catalogue
(:mod:`caseline.apps.returns.rules.cin`: ``CINRule8868`` and the rest). These are Caseline's own
(``caseline:``), each naming the DfE rule or guidance it follows, where no DfE rule says what
the record needs.
"""

from __future__ import annotations

from caseline.apps.core.checks import Rule

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
