"""Synthetic identifiers with real check digits: NHS numbers, UPNs and UK-shaped postcodes.

NHS numbers are drawn from the 999 range, which the NHS reserves for testing, so a generated
number can never belong to a real patient. UPNs take their check letter from the people app's
validator.
"""

from __future__ import annotations

import random

# One check letter for the record and the generator: the people app's.
from caseline.apps.people.validators import is_valid_upn as is_valid_upn
from caseline.apps.people.validators import upn_check_letter as upn_check_letter

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when no valid digit exists (10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    """Whether ``value`` is ten digits whose last is the modulus 11 check digit."""
    if len(value) != 10 or not value.isdigit():
        return False
    return nhs_check_digit(value[:9]) == int(value[9])


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 test range."""
    while True:
        first_nine = f"999{rng.randrange(1_000_000):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def upn(rng: random.Random, la_code: int, year_allocated: int) -> str:
    """A UPN: check letter, LA code, establishment number, two-digit year and a serial."""
    body = f"{la_code:03d}{rng.randrange(1000, 8000):04d}{year_allocated % 100:02d}"
    body += f"{rng.randrange(1000):03d}"
    return upn_check_letter(body) + body


def postcode(rng: random.Random) -> str:
    """A UK-shaped postcode in the unused "CL" area, e.g. "CL7 4QX"."""
    unit = rng.choice(_POSTCODE_UNIT_LETTERS) + rng.choice(_POSTCODE_UNIT_LETTERS)
    return f"CL{rng.randint(1, 19)} {rng.randint(0, 9)}{unit}"
