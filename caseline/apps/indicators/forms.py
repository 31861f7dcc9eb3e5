"""The analyst's controls: as at which date, over which period, for whose children."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django import forms

from caseline.apps.accounts.models import Team, User
from caseline.apps.core.forms import GovukDateField, GovukForm, LongSelect
from caseline.apps.indicators.periods import (
    AUTHORITY,
    PERIOD_LABELS,
    IndicatorInputError,
    Period,
    PeriodKind,
    Scope,
    ScopeKind,
    make_period,
)


class IndicatorQueryForm(GovukForm):
    """Read from the page's query string (GET): every link keeps the same choices."""

    as_at = GovukDateField(label="As at", help_text="For example, 31 3 2026")
    period = forms.ChoiceField(
        label="Period",
        choices=[(kind.value, label) for kind, label in PERIOD_LABELS.items()],
        widget=forms.RadioSelect,
    )
    start = GovukDateField(label="Range from", required=False, help_text="For a chosen range")
    end = GovukDateField(
        label="Range to", required=False, help_text="For a chosen range; blank is the as-at date"
    )
    scope = forms.ChoiceField(label="Whose children", widget=LongSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        teams = list(Team.objects.order_by("name").values_list("id", "name"))
        workers = (
            User.objects.filter(team__isnull=False, is_active=True)
            .order_by("first_name", "last_name", "username")
            .only("id", "first_name", "last_name", "username")
        )
        scope.choices = [
            ("authority", "The whole authority"),
            ("Service areas", [(f"service-{v}", label) for v, label in Team.Service.choices]),
            ("Teams", [(f"team-{pk}", name) for pk, name in teams]),
            ("Workers", [(f"worker-{user.pk}", str(user)) for user in workers]),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        as_at = cleaned.get("as_at")
        if isinstance(as_at, datetime.date) and cleaned.get("period"):
            try:
                cleaned["the_period"] = make_period(
                    cleaned["period"], as_at, cleaned.get("start"), cleaned.get("end")
                )
            except IndicatorInputError as error:
                self.add_error("start", str(error).replace(" (--from)", ""))
        return cleaned

    def the_scope(self) -> Scope:
        return scope_named(self.cleaned_data.get("scope") or "authority", dict(self.scope_names()))

    def scope_names(self) -> list[tuple[str, str]]:
        names: list[tuple[str, str]] = []
        for value, label in self.fields["scope"].choices:  # type: ignore[attr-defined]
            if isinstance(label, list):
                names.extend(label)
            else:
                names.append((value, label))
        return names

    def the_period(self) -> Period:
        period = self.cleaned_data["the_period"]
        assert isinstance(period, Period)
        return period


class AsAtForm(GovukForm):
    """The one control of a page whose team and period are its own (the team's week): the
    as-at date. Not the scope's list of every team and worker, which it would not read."""

    as_at = GovukDateField(label="As at", help_text="For example, 31 3 2026")


def as_at_form(data: Mapping[str, Any], today: datetime.date) -> AsAtForm:
    """The as-at date the query string chooses; with none, today."""
    if "as_at_year" in data:
        return AsAtForm(data)
    initial = {"as_at_day": today.day, "as_at_month": today.month, "as_at_year": today.year}
    return AsAtForm({key: str(value) for key, value in initial.items()})


def scope_named(value: str, names: dict[str, str]) -> Scope:
    """The scope a choice such as "team-3" names."""
    kind, _, pk = value.partition("-")
    if kind == ScopeKind.SERVICE and pk in Team.Service.values:
        return Scope(ScopeKind.SERVICE, None, names.get(value, value), service=pk)
    if kind in (ScopeKind.TEAM, ScopeKind.WORKER) and pk.isdigit():
        return Scope(ScopeKind(kind), int(pk), names.get(value, value))
    return AUTHORITY


def initial_for(user: User, today: datetime.date) -> dict[str, str]:
    """The page's first choices: today, the collection year, and for a manager of a team,
    that team (a team manager lands on their team)."""
    managed = Team.objects.filter(manager=user).values_list("id", flat=True).first()
    return {
        "as_at_day": str(today.day),
        "as_at_month": str(today.month),
        "as_at_year": str(today.year),
        "period": PeriodKind.COLLECTION_YEAR.value,
        "scope": f"team-{managed}" if managed else "authority",
    }
