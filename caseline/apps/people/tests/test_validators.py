from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseline.apps.people.validators import (
    is_valid_nhs_number,
    is_valid_postcode,
    is_valid_upn,
    normalise_postcode,
    postcode_search_key,
    upn_check_letter,
    validate_nhs_number,
    validate_postcode,
    validate_upn,
)


@pytest.mark.parametrize("number", ["9990000018", "999 000 0018", "999-000-0018", "9990000026"])
def test_valid_nhs_numbers(number: str) -> None:
    assert is_valid_nhs_number(number)
    validate_nhs_number(number)


@pytest.mark.parametrize("number", ["9990000019", "999000001", "99900000189", "99900000AB", ""])
def test_invalid_nhs_numbers(number: str) -> None:
    assert not is_valid_nhs_number(number)


def test_nhs_number_with_check_digit_of_ten_is_never_valid() -> None:
    # 1000000010: weights give 1*10 + 1*2 = 12, 12 % 11 = 1, 11 - 1 = 10 -> never issued
    for last in "0123456789":
        assert not is_valid_nhs_number("100000001" + last)


def test_nhs_number_where_check_of_eleven_means_zero() -> None:
    # 1000000000 + x: total 10, 10 % 11 = 10, 11 - 10 = 1; find one with total % 11 == 0
    # 2000000002? 2*10 + 0 + 2*2 = 24 no. 1100000000: 10 + 9 = 19. Use 5500000000: 50+45=95.
    # Search deterministically for a number whose remainder is 0 and check it ends in 0.
    number = next(
        f"{n:09d}"
        for n in range(100_000_000, 100_001_000)
        if sum(int(d) * w for d, w in zip(f"{n:09d}", range(10, 1, -1), strict=True)) % 11 == 0
    )
    assert is_valid_nhs_number(number + "0")
    assert not is_valid_nhs_number(number + "1")


def test_nhs_messages() -> None:
    with pytest.raises(ValidationError, match="10 digits"):
        validate_nhs_number("12345")
    with pytest.raises(ValidationError, match="check the digits"):
        validate_nhs_number("9990000019")


def test_upn_check_letter_by_hand() -> None:
    # 801 2001 20 001 with weights 2..13: 8*2 + 1*4 + 2*5 + 1*8 + 2*9 + 1*13 = 69;
    # 69 % 23 = 0 -> "A" (the DfE guidance's own example, A801200120001)
    assert upn_check_letter("801200120001") == "A"
    assert is_valid_upn("A801200120001")
    assert is_valid_upn("a8012 0012 0001")
    assert not is_valid_upn("C801200120001")


def test_temporary_upn_with_a_letter_last() -> None:
    body = "80120012000A"  # A counts as 0: 69 - 13 = 56; 56 % 23 = 10 -> "L"
    assert upn_check_letter(body) == "L"
    assert is_valid_upn("L" + body)
    assert not is_valid_upn("L80120012000I")  # I is not in the letter table


@pytest.mark.parametrize(
    "upn", ["", "C80120012000", "1801200120001", "C8012001200012", "CA01200120001"]
)
def test_upn_shape(upn: str) -> None:
    assert not is_valid_upn(upn)


def test_upn_messages_and_check_letter_length() -> None:
    with pytest.raises(ValidationError, match="a letter followed by 12"):
        validate_upn("ABC")
    with pytest.raises(ValidationError, match="check letter"):
        validate_upn("C801200120001")
    validate_upn("A801200120001")
    with pytest.raises(ValueError, match="12 characters"):
        upn_check_letter("123")


def test_postcodes() -> None:
    assert normalise_postcode("sw1a1aa") == "SW1A 1AA"
    assert normalise_postcode(" m1  1ae ") == "M1 1AE"
    assert postcode_search_key("SW1A 1AA") == "SW1A1AA"
    assert is_valid_postcode("B33 8TH")
    assert is_valid_postcode("cr26xh")
    assert not is_valid_postcode("12345")
    assert not is_valid_postcode("AB")
    with pytest.raises(ValidationError, match="real postcode"):
        validate_postcode("NOT A CODE")
    validate_postcode("DN55 1PT")
