"""The rules an assessment's content must meet, shared by the actions and the pages."""

from __future__ import annotations

import datetime
import re
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


@dataclass(frozen=True)
class Gap:
    """A part of the assessment that must be completed before it can be authorised."""

    field: str
    message: str


def authorisation_gaps(assessment: Assessment, on: datetime.date) -> list[Gap]:
    """Everything missing that stops a manager authorising the assessment on ``on``."""
    gaps: list[Gap] = []
    if not assessment.child_views.strip():
        gaps.append(Gap("child_views", "Record the child's views and wishes"))
    if not assessment.child_views_method:
        gaps.append(Gap("child_views_method", "Record how the child's views were gathered"))
    elif (
        assessment.child_views_method == Assessment.ViewsMethod.OTHER
        and not assessment.child_views_method_other.strip()
    ):
        gaps.append(Gap("child_views_method_other", "Describe how the child's views were gathered"))
    if not assessment.risk_factors.strip():
        gaps.append(Gap("risk_factors", "Record the risks and concerns"))
    if not assessment.protective_factors.strip():
        gaps.append(Gap("protective_factors", "Record the strengths and protective factors"))
    if not assessment.analysis.strip():
        gaps.append(Gap("analysis", "Record the analysis"))
    if not assessment.outcome:
        gaps.append(Gap("outcome", "Record the outcome of the assessment"))
    if not assessment.factors:
        gaps.append(
            Gap(
                "factors",
                "Record the factors identified at assessment (choose 21 if there are none)",
            )
        )
    if is_over_timescale(assessment, on) and not assessment.late_reason.strip():
        gaps.append(
            Gap(
                "late_reason",
                "Record why the assessment took longer than 45 working days from the referral",
            )
        )
    return gaps
