"""The plan the family can read: built from the structured plan, in plain English.

Two versions: one addressed to the parents ("you") and one to an older child. Each names the
lead social worker and how to reach them first, then has the same parts: what we are worried
about, what needs to change, who will do what by when (with how each action is going), how we
will know, who the child is (how the plan meets their identity needs) and what happens next,
and ends with what the professional words it uses mean. A part with nothing in it yet says
what is still to be agreed, or is left out where it only repeats another. The worker sees a
readability grade and the professional words used, each explained or flagged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.template.loader import render_to_string

from caseline.apps.accounts.models import User
from caseline.apps.core.pdf import lay_out, render_pdf
from caseline.apps.plans.models import SmartAction
from caseline.apps.protection.models import ProtectionPlan
from caseline.apps.protection.queries import plan_timeliness
from caseline.apps.protection.readability import (
    Explanation,
    JargonHit,
    Readability,
    WordCheck,
    check_words,
    flesch_kincaid,
)
from caseline.apps.timescales.rules import format_date

# What each category means, in words a family uses.
CATEGORY_WORDS = {
    "NEG": "not getting the care they need",
    "PHY": "being hurt physically",
    "SAB": "being hurt sexually",
    "EMO": "being hurt by how people treat them or speak to them",
    "MUL": "being hurt in more than one way",
}


class Audience(StrEnum):
    PARENTS = "parents"
    CHILD = "child"

    @property
    def label(self) -> str:
        return "parents and carers" if self is Audience.PARENTS else "the child"


@dataclass(frozen=True)
class FamilyAction:
    what: str
    who: str
    by_when: str
    how_we_will_know: str
    status: str  # how it is going, in plain words (:func:`action_status`)


def action_status(action: SmartAction, as_at: datetime.date) -> str:
    """How an action is going, in words a family uses: done, not done, on track, or late
    with the date it was due."""
    if action.status == SmartAction.Status.DONE:
        return "Done"
    if action.status == SmartAction.Status.NOT_DONE:
        return "Not done"
    if action.is_overdue(as_at):
        return f"Late: due {format_date(action.by_when)}"
    return "On track"


@dataclass(frozen=True)
class FamilyContact:
    """Who the family's social worker is and how to reach them, on the plan's first page."""

    introduction: str  # "Ada's social worker is Sam Worth."
    name: str
    phone: str
    email: str


def family_contact(worker: User, name: str, to_parents: bool) -> FamilyContact:
    """The plan's lead social worker, with the work phone and email the administrator set."""
    full_name = worker.get_full_name() or worker.username
    whose = f"{name}'s" if to_parents else "Your"
    return FamilyContact(
        introduction=f"{whose} social worker is {full_name}.",
        name=worker.first_name or full_name,
        phone=worker.work_phone.strip(),
        email=worker.email.strip(),
    )


@dataclass
class FamilySection:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    actions: list[FamilyAction] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


@dataclass
class FamilyPlan:
    audience: Audience
    title: str
    greeting: str
    contact: FamilyContact
    sections: list[FamilySection]
    readability: Readability
    word_check: WordCheck

    @property
    def text(self) -> str:
        return plain_text(self.greeting, self.sections, self.contact)

    @property
    def jargon(self) -> list[JargonHit]:
        """Every professional word the plan uses."""
        return self.word_check.jargon

    @property
    def words(self) -> list[Explanation]:
        """The professional words the plan explains, at its end."""
        return self.word_check.explained

    @property
    def unexplained(self) -> list[JargonHit]:
        """The professional words the plan uses without explaining them: change them."""
        return self.word_check.unexplained


def plain_text(
    greeting: str, sections: list[FamilySection], contact: FamilyContact | None = None
) -> str:
    """The document as plain text, one sentence-ending per line, for the readability grade
    and the check of its words (not the list of what words mean, which uses them)."""
    lines = [greeting]
    if contact is not None:
        lines.append(contact.introduction)
    for section in sections:
        lines.append(f"{section.heading}.")
        lines.extend(_sentence(p) for p in section.paragraphs)
        lines.extend(_sentence(i) for i in section.items)
        for action in section.actions:
            lines.append(_sentence(f"{action.who} will {_lower_first(action.what)}"))
            lines.append(_sentence(f"This will be done by {action.by_when}"))
            lines.append(_sentence(f"We will know it has worked when {action.how_we_will_know}"))
            lines.append(_sentence(f"This is {_lower_first(action.status)}"))
    return "\n".join(lines)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _lower_first(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def build_family_plan(plan: ProtectionPlan, audience: Audience, as_at: datetime.date) -> FamilyPlan:
    """The family version of ``plan`` (load it with ``queries.plan_with_detail``)."""
    child = plan.person
    name = child.preferred_name or child.given_name
    to_parents = audience is Audience.PARENTS
    worry = CATEGORY_WORDS.get(plan.latest_category, "being harmed")
    if to_parents:
        greeting = f"This is the plan to keep {name} safe. It is written for you, {name}'s family."
        worry_intro = f"We are worried that {name} is at risk of {worry}."
    else:
        greeting = f"Hello {name}. This is your plan. It says how we will help keep you safe."
        yours = worry.replace(" they ", " you ").replace(" them", " you")
        worry_intro = (
            f"We are worried that you could be {yours.removeprefix('being ')}."
            if yours.startswith("being ")
            else f"We are worried that you are {yours}."
        )
    still_to_agree = (
        "We still need to agree this with you."
        if to_parents
        else "We still need to agree this with your family."
    )
    worries = FamilySection("What we are worried about", [worry_intro, *_paragraphs(plan.worries)])
    change = FamilySection("What needs to change", items=[o.outcome for o in plan.outcomes.all()])
    if not change.items:
        change.paragraphs.append(still_to_agree)
    actions = [
        FamilyAction(
            a.what, a.who, format_date(a.by_when), a.how_we_will_know, action_status(a, as_at)
        )
        for o in plan.outcomes.all()
        for a in o.actions.all()
    ]
    who = FamilySection("Who will do what, and by when", actions=actions)
    if not actions:
        who.paragraphs.append("We have not written the actions yet.")
    know = FamilySection(
        "How we will know things are better",
        items=[a.how_we_will_know for a in actions],
    )
    if to_parents:
        identity = FamilySection(
            f"Who {name} is",
            [f"We want the plan to fit who {name} is, and what matters to {name} and your family."],
        )
    else:
        identity = FamilySection(
            "Who you are",
            ["We want your plan to fit who you are, and what matters to you and your family."],
        )
    identity.paragraphs.extend(_paragraphs(plan.identity_needs) or [still_to_agree])
    due = plan_timeliness(plan, as_at)
    next_steps = []
    for meeting, due_next in (
        ("The group of people who help make the plan work will next meet", due.next_core_group),
        ("There will be a meeting to check how the plan is going", due.next_review),
    ):
        if due_next is None:
            continue
        when = format_date(due_next.due_date)
        # A date gone by is not when it will happen: say it is late, and being arranged.
        if due_next.due_date < as_at:
            next_steps.append(f"{meeting} soon. It should have been by {when}.")
        else:
            next_steps.append(f"{meeting} by {when}.")
    if to_parents:
        next_steps.append(f"{name}'s social worker will visit often and talk to {name} alone.")
    else:
        next_steps.append("Your social worker will visit you often and talk to you alone.")
    if plan.contingency:
        next_steps.append("If things do not get better:")
    happens = FamilySection("What happens next", next_steps, items=_paragraphs(plan.contingency))
    # How we will know only repeats the actions: left out until there are some.
    sections = [worries, change, who, *([know] if actions else []), identity, happens]
    if plan.child_views and not to_parents:
        sections.insert(0, FamilySection("What you told us", _paragraphs(plan.child_views)))
    elif plan.child_views:
        sections.insert(1, FamilySection(f"What {name} told us", _paragraphs(plan.child_views)))
    contact = family_contact(plan.lead_social_worker, name, to_parents)
    text = plain_text(greeting, sections, contact)
    title = f"{name}'s plan" if to_parents else "Your plan"
    return FamilyPlan(
        audience=audience,
        title=title,
        greeting=greeting,
        contact=contact,
        sections=sections,
        readability=flesch_kincaid(text),
        word_check=check_words(text),
    )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.splitlines() if p.strip()]


def render_family_pdf(family: FamilyPlan, context: dict[str, Any]) -> bytes:
    """The family plan as an accessible (tagged, PDF/UA) PDF (``core.pdf``)."""
    return render_pdf(_family_html(family, context), pdf_variant="pdf/ua-1")


def family_document(family: FamilyPlan, context: dict[str, Any]) -> Any:
    """The laid-out WeasyPrint document (pages and boxes) for the family plan."""
    return lay_out(_family_html(family, context))


def _family_html(family: FamilyPlan, context: dict[str, Any]) -> str:
    return render_to_string("protection/family_plan_print.html", {"family": family, **context})


def document_text(document: Any, *, pages: slice = slice(None)) -> str:
    """The text laid out on the document's pages (``pages`` of them: all unless given), in
    order (for checks and tests)."""
    pieces: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            pieces.append(text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    for page in document.pages[pages]:
        walk(page._page_box)
    return " ".join(pieces)
