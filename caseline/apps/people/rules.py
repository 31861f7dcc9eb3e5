"""Caseline's own rules on people's records, and the check of a change of social worker.

Each is a :class:`~caseline.apps.core.checks.Rule` named ``caseline:...`` with its source. The
DfE's rules (CIN census 8770Q, SSDA903 209 and SW13STG1) are classes in the rule catalogue,
:mod:`caseline.apps.returns.rules`.
"""

from __future__ import annotations

import datetime

from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.checks import Checks, Rule
from caseline.apps.returns.rules.ssda903 import SSDA903RuleSW13STG1

# A child has a UPN or the reason it is not known, never both: the CIN census sends the reason
# (UPNunknown) only when UPNs are missing (rule 8770Q asks for "either UPN or a valid
# UPNunknown"), and the SSDA903 has one column holding the UPN or an unknown code (rule 168).
# No DfE rule refuses both, so the rule is Caseline's.
UPN_OR_UNKNOWN_REASON = Rule(
    "caseline:upn-or-unknown-reason",
    "Caseline, from the CIN census ChildIdentifiers (UPN, UPNunknown; rule 8770Q) and the "
    "SSDA903 Header UPN column (rule 168): a child has a UPN or the reason it is not known",
    "Enter the unique pupil number or why it is not known, not both",
)
FORMER_UPN_NOT_CURRENT = Rule(
    "caseline:former-upn-not-current",
    "Caseline: CIN census FormerUPN is a UPN the child had before, not the one they have now",
    "The former unique pupil number must be different from the current one",
)


# --- Who holds the case ----------------------------------------------------------------------

# The SSDA903 social worker episodes (SWEpisodes) start with the 2023-24 collection, the first
# year of SSDA903 rule SW13STG1.
SOCIAL_WORKER_EPISODES_FROM = datetime.date(2023, 4, 1)


def check_change_reason(
    checks: Checks,
    *,
    worker: object | None,
    change_reason: str,
    start_date: datetime.date | None,
    field: str = "change_reason",
) -> bool:
    """Check the coded reason for a change of social worker on an allocation starting on
    ``start_date``: required when a worker is named from 1 April 2023 (903 SW13STG1), and,
    when given, a code valid in that collection year. An allocation to a team with no worker
    starts no social worker episode, so needs none."""
    if start_date is None:
        return True
    if not change_reason:
        return SSDA903RuleSW13STG1.check(
            checks,
            field,
            broken=SSDA903RuleSW13STG1.breaks(
                worker_named=worker is not None, change_reason=change_reason
            ),
            on=start_date,
            explain="Select why the social worker is changing",
        )
    return checks.code(
        field,
        CodeListName.SOCIAL_WORKER_CHANGE_REASON,
        change_reason,
        on=start_date,
        what="reason for the change of social worker",
    )
