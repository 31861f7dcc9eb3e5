"""docs/permissions.md describes the catalogue as the code has it."""

from __future__ import annotations

from pathlib import Path

from caseline.apps.accounts.permissions import ROLE_PERMISSIONS, Permission, Role

DOC = Path(__file__).resolve().parents[4] / "docs" / "permissions.md"


def _matrix_rows() -> dict[str, list[str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 + len(Role) and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = cells
    return rows


def test_the_documented_matrix_is_the_catalogue() -> None:
    rows = _matrix_rows()
    assert sorted(rows) == sorted(p.value for p in Permission)
    for permission in Permission:
        cells = rows[permission.value]
        assert cells[1] == permission.description
        held = [role for role, cell in zip(Role, cells[2:], strict=True) if cell == "yes"]
        assert held == [role for role in Role if permission in ROLE_PERMISSIONS[role]], permission


def test_an_iro_reviews_and_does_not_do_the_social_workers_work() -> None:
    iro = ROLE_PERMISSIONS[Role.IRO]
    assert {Permission.CONFERENCE_CHAIR, Permission.REVIEW_CHAIR} <= iro
    doing = {
        Permission.PLAN_RECORD,
        Permission.VISIT_RECORD,
        Permission.ENQUIRY_RECORD,
        Permission.CARE_RECORD,
    }
    assert not iro & doing
