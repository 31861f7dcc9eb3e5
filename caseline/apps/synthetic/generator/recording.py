"""Recording: case notes, supervision with its actions, and management oversight, through
the life of each allocation."""

from __future__ import annotations

import datetime

from caseline.apps.accounts.models import User
from caseline.apps.people.models import Person
from caseline.apps.recording.models import (
    CaseNote,
    ManagementOversight,
    Supervision,
    SupervisionAction,
)
from caseline.apps.synthetic.generator.core import Batch, Generation, weighted

NOTE_TITLES = {
    "visit": ("Home visit", "Unannounced home visit", "Visit to the child at school"),
    "phone-call": ("Call with mum", "Call with the school", "Call with the health visitor"),
    "meeting": ("Core group meeting", "Professionals meeting", "Family network meeting"),
    "direct-work": ("Direct work: three houses", "Direct work: wishes and feelings"),
    "other": ("Case summary updated", "Chronology reviewed"),
}
SIGNIFICANT_EVENTS = (
    ("Police called to the home", "A further domestic incident with the children present."),
    ("Child moved school", "A change of school after an exclusion."),
    ("Mum's partner moved out", "Changes who lives in the household and the risks at home."),
    ("Child admitted to hospital", "An injury needing assessment under the bruising protocol."),
)
SUPERVISION_ACTIONS = (
    "See the child alone at school.",
    "Complete the wishes and feelings direct work.",
    "Update the chronology and the case summary.",
    "Ask the GP for the parents' health information.",
    "Arrange a family network meeting.",
    "Check attendance with the school.",
)


def new_note(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    day: datetime.date,
    note_type: str,
    title: str,
    *,
    significance: str = "",
) -> CaseNote:
    rng = gen.rng
    note = CaseNote(
        person=child,
        note_type=note_type,
        occurred_at=gen.at(day, rng.randint(9, 17)),
        recorded_by=worker,
        title=title,
        body="Spoke with the family about the plan and the worries raised.",
        is_significant=bool(significance),
        significance=significance,
    )
    batch.add(note)
    return note


def new_notes(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    manager: User,
    start: datetime.date,
    end: datetime.date,
) -> None:
    rng = gen.rng
    day = start + datetime.timedelta(days=rng.randint(1, 7))
    while day <= end:
        if rng.random() < 0.05:
            title, why = rng.choice(SIGNIFICANT_EVENTS)
            new_note(gen, batch, child, worker, day, "other", title, significance=why)
        else:
            kind = weighted(
                rng,
                (
                    ("visit", 4),
                    ("phone-call", 4),
                    ("meeting", 2),
                    ("direct-work", 1),
                    ("other", 1),
                ),
            )
            new_note(gen, batch, child, worker, day, kind, rng.choice(NOTE_TITLES[kind]))
        day += datetime.timedelta(days=rng.randint(7, 25))
    # Supervision and oversight belong to this allocation: they start with it, follow the
    # 4-weekly and 3-monthly standards with some slippage, and stop when it ends.
    ongoing = end >= gen.params.as_at
    day = start + datetime.timedelta(days=rng.randint(5, 20))
    while day <= end:
        new_supervision(gen, batch, child, worker, manager, day, ongoing=ongoing)
        late = rng.random()
        gap = (
            rng.randint(41, 60)
            if late < 0.04
            else rng.randint(29, 38)
            if late < 0.18
            else rng.randint(18, 28)
        )
        day += datetime.timedelta(days=gap)
    day = start + datetime.timedelta(days=rng.randint(40, 80))
    while day <= end:
        new_oversight(
            gen, batch, child, manager, day, "Continue with the plan; reviewed the case file."
        )
        late = rng.random() < 0.12
        day += datetime.timedelta(days=rng.randint(93, 120) if late else rng.randint(50, 88))


def new_oversight(
    gen: Generation, batch: Batch, child: Person, manager: User, day: datetime.date, decision: str
) -> None:
    day = min(day, gen.params.as_at)
    note = new_note(gen, batch, child, manager, day, "management-oversight", "Management oversight")
    batch.add(
        ManagementOversight(
            note=note,
            decision=decision,
            rationale="The information received shows the child may be in need.",
            next_review_date=day + datetime.timedelta(days=28),
        )
    )


def new_supervision(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    manager: User,
    day: datetime.date,
    *,
    ongoing: bool,
) -> None:
    """A supervision with its actions. Actions of an allocation that has ended were all
    finished; on a case still open, older actions are done (a few working days either side
    of the date set) and about one in eight of the last three months' actions is still
    open, most of them set in the last month."""
    rng, as_at = gen.rng, gen.params.as_at
    note = new_note(gen, batch, child, manager, day, "supervision", "Case supervision")
    supervision = Supervision(
        note=note,
        supervisor=manager,
        supervisee=worker,
        reflection="We discussed what life is like for the child day to day.",
        objectives="Complete direct work; see the child alone.",
        contingency="Escalate to a strategy discussion if there is a further incident.",
    )
    batch.add(supervision)
    for _ in range(rng.randint(1, 3)):
        by_when = gen.working_days(day, rng.randint(5, 20))
        finished = max(day, gen.working_days(by_when, rng.randint(-4, 3)))
        age = (as_at - by_when).days
        still_open = 0.25 if age <= 30 else 0.1 if age <= 60 else 0.04 if age <= 91 else 0
        done_on: datetime.date | None = min(finished, as_at)
        if ongoing and (by_when > as_at or rng.random() < still_open or finished > as_at):
            done_on = None
        batch.add(
            SupervisionAction(
                supervision=supervision,
                person=child,
                action=rng.choice(SUPERVISION_ACTIONS),
                owner=worker.get_full_name(),
                by_when=by_when,
                done_on=done_on,
            )
        )
