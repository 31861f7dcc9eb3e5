"""The timescale rules in force: the catalogue with the administrator's local standards applied.

Every due computation for a ``Basis.LOCAL_STANDARD`` rule reads its rule through
:func:`rule_in_force` (or :func:`rules_in_force` for several at once), so a changed local
standard moves every due date at once. Nothing is cached: the override is read from the
database each time, so no process can hold a stale standard.
"""

from __future__ import annotations

from collections.abc import Iterable

from caseline.apps.timescales.models import LocalStandardSetting
from caseline.apps.timescales.rules import CATALOGUE, Basis, TimescaleRule


def rules_in_force(codes: Iterable[str]) -> dict[str, TimescaleRule]:
    """The rules with these codes, each with its local override applied, in one query.

    Statutory rules are returned as catalogued (no query is needed for them alone).
    Raises KeyError for a code that is not in the catalogue.
    """
    rules = {code: CATALOGUE.get(code) for code in codes}
    local = [code for code, rule in rules.items() if rule.basis is Basis.LOCAL_STANDARD]
    if local:
        for setting in LocalStandardSetting.objects.filter(rule_code__in=local):
            rules[setting.rule_code] = rules[setting.rule_code].with_override(setting.interval)
    return rules


def rule_in_force(code: str) -> TimescaleRule:
    """The rule with this code, with the local override applied if one is set."""
    return rules_in_force([code])[code]


def settings_by_code() -> dict[str, LocalStandardSetting]:
    """Every stored local standard, with who set it, keyed by rule code."""
    return {s.rule_code: s for s in LocalStandardSetting.objects.select_related("set_by")}
