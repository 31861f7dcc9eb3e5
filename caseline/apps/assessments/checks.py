"""The rules an assessment's content must meet, shared by the actions and the pages."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from caseline.apps.assessments.models import Assessment
from caseline.apps.assessments.queries import is_over_timescale

# Words that, on their own, only say the child was not asked. "Too young" is not an answer:
# a baby's or pre-verbal child's views are recorded by observing them.
_PLACEHOLDER_WORDS = frozenset(
    {
        "the",
        "child",
        "baby",
        "infant",
        "he",
        "she",
        "they",
        "is",
        "was",
        "were",
        "are",
        "too",
        "young",
        "n",
        "a",
        "na",
        "not",
        "applicable",
        "to",
        "give",
        "say",
        "express",
        "speak",
        "talk",
        "comment",
        "share",
        "their",
        "his",
        "her",
        "views",
        "wishes",
        "any",
        "due",
        "age",
        "because",
        "of",
        "as",
        "so",
        "and",
        "or",
        "yet",
        "unable",
        "cannot",
        "can",
        "t",
        "nil",
        "none",
    }
)
_PLACEHOLDER_CORE = re.compile(r"\b(too young|n a|na|not applicable|nil|none)\b")


def is_placeholder_views(text: str) -> bool:
    """True when the text is only a variant of "too young", "n/a" or "not applicable"."""
    normalised = " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())
    if not normalised:
        return False
    words = normalised.split()
    return bool(_PLACEHOLDER_CORE.search(normalised)) and all(
        word in _PLACEHOLDER_WORDS for word in words
    )


PLACEHOLDER_VIEWS_MESSAGE = (
    "Record the child's views and wishes, not that they are too young or that it does not "
    "apply: for a baby or a child who does not speak yet, describe what you saw when you "
    "observed them"
)


# The assessment form's fields answered by choosing (radios, checkboxes): their first input,
# not the field itself, is what a link to them lands on.
_CHOICE_FIELDS = frozenset({"child_views_method", "outcome", "factors"})


@dataclass(frozen=True)
class Gap:
    """A part of the assessment that must be completed before it can go further."""

    field: str
    message: str

    @property
    def anchor(self) -> str:
        """The id of the field's first input on the assessment form, for a link to it."""
        return f"id_{self.field}_0" if self.field in _CHOICE_FIELDS else f"id_{self.field}"


@dataclass(frozen=True)
class Section:
    """A section every assessment must hold before it is submitted, and again when it is
    authorised: ``missing`` says whether this one is still to be written."""

    field: str
    message: str
    missing: Callable[[Assessment], bool]


def _blank(text: str) -> bool:
    return not text.strip()


# What an assessment must hold: the one list the worker's submission and the manager's
# authorisation are both checked against.
REQUIRED_SECTIONS: tuple[Section, ...] = (
    Section(
        "child_views",
        "Record the child's views and wishes",
        lambda a: _blank(a.child_views),
    ),
    Section(
        "child_views_method",
        "Record how the child's views were gathered",
        lambda a: not a.child_views_method,
    ),
    Section(
        "child_views_method_other",
        "Describe how the child's views were gathered",
        lambda a: (
            a.child_views_method == Assessment.ViewsMethod.OTHER
            and _blank(a.child_views_method_other)
        ),
    ),
    Section("risk_factors", "Record the risks and concerns", lambda a: _blank(a.risk_factors)),
    Section(
        "protective_factors",
        "Record the strengths and protective factors",
        lambda a: _blank(a.protective_factors),
    ),
    Section("analysis", "Record the analysis", lambda a: _blank(a.analysis)),
    Section("outcome", "Record the outcome of the assessment", lambda a: not a.outcome),
    Section(
        "factors",
        "Record the factors identified at assessment (choose 21 if there are none)",
        lambda a: not a.factors,
    ),
)

LATE_REASON_MESSAGE = "Record why the assessment took longer than 45 working days from the referral"


def missing_sections(assessment: Assessment) -> list[Gap]:
    """The sections still to be written: none may be missing when it is submitted."""
    return [
        Gap(section.field, section.message)
        for section in REQUIRED_SECTIONS
        if section.missing(assessment)
    ]


def late_reason_gap(assessment: Assessment, on: datetime.date) -> Gap | None:
    """The reason for lateness, when completing it on ``on`` is late and none is recorded."""
    if is_over_timescale(assessment, on) and _blank(assessment.late_reason):
        return Gap("late_reason", LATE_REASON_MESSAGE)
    return None


def authorisation_gaps(assessment: Assessment, on: datetime.date) -> list[Gap]:
    """Everything missing that stops a manager authorising the assessment on ``on``: the
    required sections, and why it is late if authorising it then is after the due date."""
    gaps = missing_sections(assessment)
    late = late_reason_gap(assessment, on)
    return [*gaps, late] if late is not None else gaps


def factor_order(code: str) -> tuple[int, str]:
    """The order factors are kept and exported in: by their number, then their letter
    (2B before 10A)."""
    digits = "".join(c for c in code if c.isdigit())
    return (int(digits or 0), code)
