"""Drawing a round's sample of children: candidates from the existing records, then a seeded
random choice, so the same seed and records always give the same sample.

Candidates are children with an open allocation on the sample date (the case holders are
whose work is audited), narrowed by team, stage or theme, then checked for visibility with
``visible_among`` for the user setting up the round.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from caseline.apps.cin.models import CINPlan
from caseline.apps.lookedafter.models import Episode, MissingEpisode
from caseline.apps.people.models import Allocation
from caseline.apps.people.queries import visible_among
from caseline.apps.protection.models import ProtectionPlan
from caseline.apps.quality.models import SampleKind, SampleTheme, Stage
from caseline.apps.timescales.calendar import add_calendar_months

NEGLECT_CATEGORY = "NEG"  # DfE cp_category code for neglect
MISSING_LOOKBACK_MONTHS = 6


@dataclass(frozen=True, slots=True)
class Candidate:
    """A child who may be sampled, with their case holders on the sample date."""

    person_id: int
    team_id: int
    worker_id: int | None


def _open_on(as_at: datetime.date) -> Q:
    return Q(start_date__lte=as_at) & (Q(end_date__isnull=True) | Q(end_date__gt=as_at))


def allocated(as_at: datetime.date, team_ids: Iterable[int] = ()) -> dict[int, Candidate]:
    """Children with an allocation open on ``as_at`` (to these teams, when given), by id.
    A child allocated twice keeps the earliest allocation."""
    rows = Allocation.objects.filter(_open_on(as_at))
    teams = list(team_ids)
    if teams:
        rows = rows.filter(team_id__in=teams)
    found: dict[int, Candidate] = {}
    for person_id, team_id, worker_id in rows.order_by("start_date", "id").values_list(
        "person_id", "team_id", "worker_id"
    ):
        found.setdefault(person_id, Candidate(person_id, team_id, worker_id))
    return found


def at_stage(stage: str, as_at: datetime.date) -> set[int]:
    """Children at this stage of their journey on ``as_at``."""
    model = {
        Stage.CIN_PLAN: CINPlan,
        Stage.CP_PLAN: ProtectionPlan,
        Stage.LOOKED_AFTER: Episode,
    }[Stage(stage)]
    return set(model._default_manager.filter(_open_on(as_at)).values_list("person_id", flat=True))


def with_theme(theme: str, as_at: datetime.date) -> set[int]:
    """Children the theme is about on ``as_at``."""
    if theme == SampleTheme.NEGLECT:
        plans = ProtectionPlan.objects.filter(_open_on(as_at), latest_category=NEGLECT_CATEGORY)
        return set(plans.values_list("person_id", flat=True))
    since = add_calendar_months(as_at, -MISSING_LOOKBACK_MONTHS)
    episodes = MissingEpisode.objects.filter(start_date__gt=since, start_date__lte=as_at)
    return set(episodes.values_list("person_id", flat=True))


def draw(
    candidates: Iterable[Candidate], size: int, seed: int, *, per_team: bool
) -> list[Candidate]:
    """A seeded random sample: ``size`` from each team when ``per_team``, else ``size`` in
    all. Candidates are put in order of id first, so the draw depends only on the seed and
    the records."""
    ordered = sorted(candidates, key=lambda c: c.person_id)
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    if not per_team:
        return sorted(rng.sample(ordered, min(size, len(ordered))), key=lambda c: c.person_id)
    chosen: list[Candidate] = []
    for team_id in sorted({c.team_id for c in ordered}):
        team = [c for c in ordered if c.team_id == team_id]
        chosen.extend(sorted(rng.sample(team, min(size, len(team))), key=lambda c: c.person_id))
    return chosen


def sample(
    user: object,
    kind: str,
    *,
    as_at: datetime.date,
    size: int,
    seed: int,
    team_ids: Iterable[int] = (),
    stage: str = "",
    theme: str = "",
) -> list[Candidate]:
    """The children a round with these parameters audits, among those ``user`` may see."""
    found = allocated(as_at, team_ids)
    if kind == SampleKind.STAGE:
        wanted = at_stage(stage, as_at)
        found = {pk: c for pk, c in found.items() if pk in wanted}
    elif kind == SampleKind.THEME:
        wanted = with_theme(theme, as_at)
        found = {pk: c for pk, c in found.items() if pk in wanted}
    visible = visible_among(user, list(found))
    return draw(
        (c for pk, c in found.items() if pk in visible),
        size,
        seed,
        per_team=kind == SampleKind.RANDOM_PER_TEAM,
    )
