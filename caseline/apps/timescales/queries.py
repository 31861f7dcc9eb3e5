"""The timescale rules in force: the catalogue with the administrator's local standards applied.

Every due computation for a ``Basis.LOCAL_STANDARD`` rule reads its rule through
:func:`rule_in_force` (or :func:`rules_in_force` for several at once), so a changed local
standard moves every due date at once. Nothing is cached between requests: the override is
read from the database each time, so no process can hold a stale standard. Within one
computation that asks several providers (a team's work), :func:`standards_read_once` lets
them share one read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from caseline.apps.timescales.models import LocalStandardSetting
from caseline.apps.timescales.rules import CATALOGUE, Basis, TimescaleRule

# While a ``standards_read_once`` block runs: a list holding, once read, every stored local
# standard by rule code (empty until the first ``rules_in_force`` that needs them).
_read_once: ContextVar[list[dict[str, LocalStandardSetting]] | None] = ContextVar(
    "local_standards_read_once", default=None
)


@contextmanager
def standards_read_once() -> Iterator[None]:
    """Within the block, :func:`rules_in_force` reads the local standards once (the first
    time it needs them) and every later call uses that read. For one computation within a
    request (a team's work from several providers), never longer."""
    token = _read_once.set([])
    try:
        yield
    finally:
        _read_once.reset(token)


def _settings(codes: list[str]) -> list[LocalStandardSetting]:
    shared = _read_once.get()
    if shared is None:
        return list(LocalStandardSetting.objects.filter(rule_code__in=codes))
    if not shared:
        shared.append({s.rule_code: s for s in LocalStandardSetting.objects.all()})
    return [shared[0][code] for code in codes if code in shared[0]]


def rules_in_force(codes: Iterable[str]) -> dict[str, TimescaleRule]:
    """The rules with these codes, each with its local override applied, in one query.

    Statutory rules are returned as catalogued (no query is needed for them alone).
    Raises KeyError for a code that is not in the catalogue.
    """
    rules = {code: CATALOGUE.get(code) for code in codes}
    local = [code for code, rule in rules.items() if rule.basis is Basis.LOCAL_STANDARD]
    if local:
        for setting in _settings(local):
            rules[setting.rule_code] = rules[setting.rule_code].with_override(setting.interval)
    return rules


def rule_in_force(code: str) -> TimescaleRule:
    """The rule with this code, with the local override applied if one is set."""
    return rules_in_force([code])[code]


def settings_by_code() -> dict[str, LocalStandardSetting]:
    """Every stored local standard, with who set it, keyed by rule code."""
    return {s.rule_code: s for s in LocalStandardSetting.objects.select_related("set_by")}
