"""The 903 adoption and previous permanence code lists (AD1 SEX_ADOPTR and LS_ADOPTR,
PlacedAdoption REASON_PLACED_CEASED, PrevPerm PREV_PERM): the codes of the liia-tools
schemas 2017-2024 and the 903 validator, current in every year."""

from __future__ import annotations

import pytest

from caseline.apps.codes.lists import CodeListName, code_list

LISTS = {
    CodeListName.ADOPTER_SEX: ["M1", "F1", "MM", "FF", "MF"],
    CodeListName.ADOPTER_LEGAL_STATUS: ["L0", "L11", "L12", "L2", "L3", "L4"],
    CodeListName.REASON_PLACED_CEASED: ["RD1", "RD2", "RD3", "RD4"],
    CodeListName.PREVIOUS_PERMANENCE: ["P1", "P2", "P3", "P4", "Z1"],
}


@pytest.mark.parametrize(("name", "codes"), LISTS.items())
def test_codes_in_order_and_current_from_2016_to_2026(name: CodeListName, codes: list[str]) -> None:
    codes_list = code_list(name)
    assert [c.code for c in codes_list] == codes
    for year in (2016, 2024, 2026):
        assert [c.code for c in codes_list.current(year)] == codes
    assert all("SSDA903 schema 2017-2024" in c.source for c in codes_list)


def test_previous_permanence_z1_is_none_and_p4_not_known() -> None:
    permanence = code_list(CodeListName.PREVIOUS_PERMANENCE)
    assert permanence.label("Z1") == "The child has not previously had a permanence option"
    assert "Not known" in permanence.label("P4")
    assert permanence.label("P2") == "Special guardianship order (SGO)"


def test_adopters_labels_say_single_or_couple() -> None:
    sexes = code_list(CodeListName.ADOPTER_SEX)
    assert [sexes.label(c) for c in ("M1", "F1")] == [
        "Single male adopter",
        "Single female adopter",
    ]
    assert all("couple" in sexes.label(c) for c in ("MM", "FF", "MF"))
    statuses = code_list(CodeListName.ADOPTER_LEGAL_STATUS)
    assert statuses.label("L2") == "Civil partners"
