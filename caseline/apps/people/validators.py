"""Checks on the identifiers people carry: NHS number, unique pupil number (UPN), postcode.

Each ``is_valid_*`` returns a bool; each ``validate_*`` raises a ``ValidationError`` with a
message a practitioner understands. ``normalise_*`` strips spaces and fixes case.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# NHS number: 10 digits, the last a modulus 11 check digit over the first nine with weights
# 10 down to 2. A remainder giving 11 means a check digit of 0; one giving 10 is never issued.
# Source: NHS Data Dictionary, "NHS Number" (check digit calculation).
_NHS_WEIGHTS = range(10, 1, -1)

# UPN: a check letter, then LA code (3 digits), establishment (4 digits), year allocated
# (2 digits) and a serial of 3 characters, whose last may be a letter in a temporary UPN.
# The check letter: multiply characters 2 to 13 by weights 2 to 13, sum, divide by 23, and
# look the remainder up in this table (I, O and S are not used). A letter in position 13 counts
# as its position in the same table. Source: DfE, "Unique pupil numbers (UPNs): guidance for
# schools and local authorities", annex on the check letter algorithm.
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN_SHAPE = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")

# The shape of a UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE_SHAPE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$")


def normalise_nhs_number(value: str) -> str:
    """The number without spaces or hyphens, e.g. "999 000 0018" -> "9990000018"."""
    return re.sub(r"[\s-]", "", value or "")


def is_valid_nhs_number(value: str) -> bool:
    number = normalise_nhs_number(value)
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(number[:9], _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(number[9])


def validate_nhs_number(value: str) -> None:
    number = normalise_nhs_number(value)
    if len(number) != 10 or not number.isdigit():
        raise ValidationError("NHS number must be 10 digits, like 999 000 0018", code="invalid")
    if not is_valid_nhs_number(number):
        raise ValidationError("Enter a real NHS number: check the digits", code="checksum")


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it (positions 2 to 13)."""
    if len(body) != 12:
        raise ValueError("A UPN has 12 characters after its check letter")
    total = 0
    for weight, char in enumerate(body, start=2):
        value = int(char) if char.isdigit() else UPN_CHECK_LETTERS.index(char)
        total += value * weight
    return UPN_CHECK_LETTERS[total % 23]


def is_valid_upn(value: str) -> bool:
    upn = normalise_upn(value)
    if not _UPN_SHAPE.match(upn):
        return False
    if not upn[-1].isdigit() and upn[-1] not in UPN_CHECK_LETTERS:
        return False
    return upn[0] == upn_check_letter(upn[1:])


def validate_upn(value: str, *, what: str = "Unique pupil number") -> None:
    """Check a UPN's shape and check letter; ``what`` names it in the message (a former UPN,
    CIN census FormerUPN, is checked the same way: CIN rule 1560Q)."""
    upn = normalise_upn(value)
    if not _UPN_SHAPE.match(upn):
        raise ValidationError(
            f"{what} must be a letter followed by 12 characters, like A801200120001",
            code="invalid",
        )
    if not is_valid_upn(upn):
        raise ValidationError(
            f"Enter a real {what.lower()}: the check letter does not match", code="checksum"
        )


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: "sw1a1aa" -> "SW1A 1AA"."""
    compact = re.sub(r"\s", "", value or "").upper()
    if len(compact) > 3:
        return f"{compact[:-3]} {compact[-3:]}"
    return compact


def postcode_search_key(value: str) -> str:
    """The indexed search form: upper case with no spaces."""
    return re.sub(r"\s", "", value or "").upper()


def is_valid_postcode(value: str) -> bool:
    return bool(_POSTCODE_SHAPE.match(normalise_postcode(value)))


def validate_postcode(value: str) -> None:
    if not is_valid_postcode(value):
        raise ValidationError("Enter a real postcode, like SW1A 1AA", code="invalid")
