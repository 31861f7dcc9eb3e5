"""The child's journey seen whole: how many children's cases went from contact through
referral, assessment and plans to care over a period, and the children who came back round.

Every stage is an engine indicator over the same as-at date, period and scope (its figure, and
its drill-down for the children in it); the diagram is drawn from those figures on the server
as SVG, with the same figures as a table.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseline.apps.indicators import catalogue
from caseline.apps.indicators.dashboards import result_href
from caseline.apps.indicators.engine import Context, Result, compute_all
from caseline.apps.indicators.periods import Period, Scope

# (indicator, what the stage counts): a count's rows, or a percentage's numerator.
STAGES: tuple[tuple[str, str], ...] = (
    ("FD2", "Contacts received"),
    ("FD3", "Referrals"),
    ("FD6", "Referrals that led to an assessment"),
    ("CP1", "Section 47 enquiries started"),
    ("CP3", "Child protection plans started"),
    ("LA1", "Started to be looked after"),
    ("LA2", "Ceased to be looked after"),
)
CAME_BACK: tuple[tuple[str, str], ...] = (
    ("FD4", "Re-referrals within 12 months"),
    ("CP5", "Second or later child protection plans"),
)

WIDTH, HEIGHT, BAR_MAX, TOP = 840, 300, 220, 40


@dataclass(frozen=True)
class Stage:
    label: str
    result: Result
    href: str

    @property
    def count(self) -> int:
        return self.result.numerator

    @property
    def children(self) -> int:
        return len(self.result.numerator_ids)


@dataclass(frozen=True)
class Flow:
    as_at: datetime.date
    period: Period
    scope: Scope
    stages: list[Stage]
    came_back: list[Stage]


def flow(as_at: datetime.date, period: Period, scope: Scope) -> Flow:
    """Every stage's figure for ``period`` as at ``as_at``, one engine pass."""
    codes = [code for code, _ in STAGES + CAME_BACK]
    results = compute_all(
        [catalogue.BY_CODE[code] for code in codes], Context(as_at, period), scope
    )
    stages = [
        Stage(label, result, result_href(result))
        for (_, label), result in zip(STAGES + CAME_BACK, results, strict=True)
    ]
    return Flow(as_at, period, scope, stages[: len(STAGES)], stages[len(STAGES) :])


@dataclass(frozen=True)
class Band:
    """A stage drawn: its bar, and the band joining it to the next stage."""

    stage: Stage
    x: int
    y: int
    width: int
    height: int
    joint: str  # SVG polygon points to the next bar ("" for the last)
    label_y: int


def diagram(flow: Flow) -> list[Band]:
    """The stages as bars (height by count, on one scale) joined by bands."""
    stages = flow.stages
    largest = max((stage.count for stage in stages), default=0) or 1
    step = WIDTH // len(stages)
    bar = step // 3
    shapes = []
    for index, stage in enumerate(stages):
        height = max(2, round(BAR_MAX * stage.count / largest)) if stage.count else 2
        x = index * step + 8
        y = TOP + (BAR_MAX - height) // 2
        shapes.append((stage, x, y, height))
    bands = []
    for index, (stage, x, y, height) in enumerate(shapes):
        joint = ""
        if index + 1 < len(shapes):
            _, nx, ny, nheight = shapes[index + 1]
            joint = f"{x + bar},{y} {nx},{ny} {nx},{ny + nheight} {x + bar},{y + height}"
        bands.append(Band(stage, x, y, bar, height, joint, TOP + BAR_MAX + 20))
    return bands
