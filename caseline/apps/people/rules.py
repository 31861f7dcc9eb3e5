"""The DfE and Caseline rules people's records are checked against where they are written.

Each is a :class:`~caseline.apps.core.checks.Rule` named by its DfE rule code (or
``caseline:...`` where the rule is Caseline's own) with its source.
"""

from __future__ import annotations

import datetime

from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.checks import Checks, Rule

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
# UN1 is for a child under 6 not yet given a UPN. CIN rule 8770Q (a query, 2024-25 and
# 2025-26) asks for a UPN or a reason other than UN1 for a child aged 6 or more at the end of
# the census year; SSDA903 rule 209 refuses UN1 for a child of school age. Checked here on the
# day the record is saved.
UN1_UNDER_SIX = Rule(
    "8770Q",
    "DfE CIN census rule 8770Q (2024-25, 2025-26); SSDA903 rule 209",
    "{name} is 6 or older: UN1 is only for a child under 6 who has not yet been given a UPN",
)
FORMER_UPN_NOT_CURRENT = Rule(
    "caseline:former-upn-not-current",
    "Caseline: CIN census FormerUPN is a UPN the child had before, not the one they have now",
    "The former unique pupil number must be different from the current one",
)


# --- Who holds the case ----------------------------------------------------------------------

# The SSDA903 social worker episodes (SWEpisodes) start with the 2023-24 collection.
SOCIAL_WORKER_EPISODES_FROM = datetime.date(2023, 4, 1)

SW_CHANGE_REASON = Rule(
    "SW13STG1",
    "DfE SSDA903 rule SW13STG1 (903 rule info 2023-24 to 2026-27; data-to-insight "
    "csc-validator-be-903): a social worker episode starting on or after 1 April 2023 has a "
    "reason for the change of social worker (SW_REASON) from the DfE list",
    "Select why the social worker is changing",
)


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
        if worker is not None and start_date >= SOCIAL_WORKER_EPISODES_FROM:
            checks.broken(SW_CHANGE_REASON, field)
            return False
        return True
    return checks.code(
        field,
        CodeListName.SOCIAL_WORKER_CHANGE_REASON,
        change_reason,
        on=start_date,
        what="reason for the change of social worker",
    )
