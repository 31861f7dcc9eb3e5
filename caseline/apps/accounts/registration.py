"""Social Work England registration numbers: their shape and the rule that checks them.

A registered social worker's number is "SW" followed by digits (SWE register, e.g. SW12345).
The SSDA903 sends it as the social worker's ID in SWEpisodes (SW_ID); rule SW02STG1 refuses an
ID that does not begin "SW" (or "XX", which the return uses for a worker with no registration,
so "XX" is not stored here: a blank number means "not registered") or is shorter than four
characters.
"""

from __future__ import annotations

import re

from django.utils import timezone

from caseline.apps.core.checks import Checks, Rule
from caseline.apps.returns.rules.ssda903 import SSDA903RuleSW02STG1

_SHAPE = re.compile(r"^SW\d{2,10}$")
SW_ID_SHAPE_EXPLAINED = (
    "Enter a Social Work England registration number: SW followed by its digits, like SW12345"
)

ONE_WORKER_A_NUMBER = Rule(
    "caseline:swe-registration-unique",
    "Caseline: a Social Work England registration belongs to one social worker",
    "{number} is already the registration number of {other}",
)


def normalise_swe_registration_number(value: str) -> str:
    """Upper case without spaces: " sw 12345" -> "SW12345"."""
    return re.sub(r"\s", "", value or "").upper()


def check_swe_registration_number(
    checks: Checks, number: str, *, field: str = "swe_registration_number"
) -> bool:
    """A normalised number (blank passes: not registered) is SW and digits, which SSDA903 rule
    SW02STG1 accepts (it asks only that the ID begin SW, or XX, which is never stored)."""
    return SSDA903RuleSW02STG1.check(
        checks,
        field,
        broken=bool(number) and not _SHAPE.match(number),
        on=timezone.localdate(),
        explain=SW_ID_SHAPE_EXPLAINED,
    )
