"""The plan the family can read: readability, jargon, the two versions and the PDF."""

from __future__ import annotations

import datetime
import re
import zlib

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.protection import actions, queries
from caseline.apps.protection.family import (
    Audience,
    build_family_plan,
    document_text,
    family_document,
    render_family_pdf,
)
from caseline.apps.protection.models import ProtectionPlan
from caseline.apps.protection.readability import (
    JargonTerm,
    count_syllables,
    find_jargon,
    flesch_kincaid,
    glossary,
    parse_glossary,
    sentences,
)
from caseline.apps.protection.tests.conftest import IDENTITY

D = datetime.date


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("cat", 1),
        ("make", 1),
        ("table", 2),
        ("water", 2),
        ("children", 2),
        ("wanted", 2),
        ("jumped", 1),
        ("safeguarding", 4),
        ("conference", 3),
        ("Mum's", 1),
        ("'", 0),
    ],
)
def test_syllables(word: str, expected: int) -> None:
    assert count_syllables(word) == expected


def test_flesch_kincaid_grade() -> None:
    easy = flesch_kincaid("The cat sat on the mat. The dog ran to the park.")
    assert (easy.words, easy.sentences) == (12, 2)
    assert easy.grade < 2
    assert easy.meets_target
    assert easy.label.endswith("easy to read")
    hard = flesch_kincaid(
        "The multi-agency safeguarding partnership determined that parental capacity "
        "necessitated comprehensive intervention notwithstanding demonstrable engagement."
    )
    assert hard.grade > 12
    assert not hard.meets_target
    assert "very hard to read" in hard.label
    assert flesch_kincaid("").grade == 0.0
    assert flesch_kincaid("").words_per_sentence == 0.0
    middle = flesch_kincaid("We will hold a meeting about the family plan every month.")
    assert middle.label.startswith(f"Grade {middle.grade:.1f}:")


def test_the_grade_labels_cover_each_band() -> None:
    from caseline.apps.protection.readability import Readability

    assert "fairly easy" in Readability(10, 1, 10, 7.5).label
    assert Readability(10, 1, 10, 10.0).label.startswith("Grade 10.0: hard to read")


def test_sentences_split_on_stops_and_blank_lines() -> None:
    assert sentences("One. Two!\n\nThree\n- four") == ["One", "Two", "Three", "- four"]


def test_jargon_is_found_longest_first_with_plain_alternatives() -> None:
    hits = find_jargon(
        "The core group met after the section 47 enquiry. The ICPC set a contingency plan. "
        "Safeguarding matters. The icpc word in lower case is not the acronym."
    )
    found = {h.term: h.plain for h in hits}
    assert found["core group"] == "the group of people who help make the plan work"
    assert found["section 47 enquiry"] == "child protection enquiry"
    assert "section 47" not in found
    assert found["contingency plan"] == "what we will do if things do not get better"
    assert "contingency" not in found
    assert found["safeguarding"] == "keeping children safe"
    assert [h.count for h in hits if h.term == "ICPC"] == [1]


def test_the_glossary_is_data() -> None:
    terms = {t.term: t.plain for t in glossary()}
    assert terms["strategy discussion"] == (
        "a meeting between social workers, police and health to share worries"
    )
    assert {"LADO", "RCPC", "s20", "significant harm"} <= set(terms)
    assert parse_glossary("term,plain alternative\nfoo,bar\n") == (JargonTerm("foo", "bar"),)
    with pytest.raises(ValueError, match="header"):
        parse_glossary("word,meaning\n")
    with pytest.raises(ValueError, match="line 2"):
        parse_glossary("term,plain alternative\nfoo,\n")


def _inflated(pdf: bytes) -> bytes:
    """The PDF's compressed streams, inflated (its objects live in object streams)."""
    inflated = b""
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return inflated


@pytest.fixture
def full_plan(plan: ProtectionPlan, worker: User) -> ProtectionPlan:
    outcome = actions.add_outcome(
        acting_user=worker, plan=plan, outcome="Ada is not hit or hurt at home."
    )
    actions.add_action(
        acting_user=worker,
        outcome=outcome,
        what="Go to the safe care course every Tuesday",
        who="Mum and Dad",
        by_when=D(2025, 6, 30),
        how_we_will_know="the course leader tells us you went every week",
    )
    actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=plan.version,
        worries="Ada had a bruise on her arm. The core group will check on her.",
        contingency="If Ada is hurt again, we will ask a court to help keep her safe.",
        child_views="I want the shouting to stop.",
        identity_needs=IDENTITY,
        lead_social_worker=worker,
    )
    return queries.plan_with_detail(plan)


def test_the_parents_version_reads_plainly(full_plan: ProtectionPlan) -> None:
    family = build_family_plan(full_plan, Audience.PARENTS, D(2025, 5, 7))
    headings = [s.heading for s in family.sections]
    assert headings == [
        "What we are worried about",
        "What Ada told us",
        "What needs to change",
        "Who will do what, and by when",
        "How we will know things are better",
        "Who Ada is",
        "What happens next",
    ]
    assert (
        family.sections[0].paragraphs[0]
        == "We are worried that Ada is at risk of being hurt physically."
    )
    action = family.sections[3].actions[0]
    assert (action.who, action.by_when) == ("Mum and Dad", "30 June 2025")
    text = family.text
    assert "Mum and Dad will go to the safe care course every Tuesday." in text
    assert "will next meet by 16 May 2025" in text
    assert "check how the plan is going by 1 August 2025" in text
    assert family.readability.meets_target, family.readability
    assert family.readability.words > 80
    assert [h.term for h in family.jargon] == ["core group"]
    assert family.title == "Ada's plan"


def test_the_childs_version_speaks_to_the_child(full_plan: ProtectionPlan) -> None:
    family = build_family_plan(full_plan, Audience.CHILD, D(2025, 5, 7))
    assert family.greeting.startswith("Hello Ada. This is your plan.")
    assert family.sections[0].heading == "What you told us"
    assert family.sections[1].paragraphs[0] == "We are worried that you could be hurt physically."
    assert "Your social worker will visit you often and talk to you alone." in family.text
    assert family.title == "Your plan"
    assert Audience.CHILD.label == "the child"


def test_an_empty_plan_and_unknown_category(plan: ProtectionPlan) -> None:
    plan = queries.plan_with_detail(plan)
    plan.latest_category = "ZZZ"
    plan.worries = ""
    plan.end_date = D(2025, 6, 1)
    family = build_family_plan(plan, Audience.CHILD, D(2025, 6, 2))
    assert family.sections[0].paragraphs == ["We are worried that you could be harmed."]
    plan.latest_category = "NEG"
    family = build_family_plan(plan, Audience.CHILD, D(2025, 6, 2))
    assert family.sections[0].paragraphs == [
        "We are worried that you are not getting the care you need."
    ]
    assert family.sections[2].paragraphs == ["We have not written the actions yet."]


def test_the_pdf_is_produced_and_contains_the_plans_actions(full_plan: ProtectionPlan) -> None:
    family = build_family_plan(full_plan, Audience.PARENTS, D(2025, 5, 7))
    context = {"person": full_plan.person, "today": D(2025, 5, 7)}
    pdf = render_family_pdf(family, context)
    assert pdf.startswith(b"%PDF-")
    objects = _inflated(pdf)
    assert b"/StructTreeRoot" in objects  # tagged for screen readers (PDF/UA)
    assert b"/Lang" in objects
    text = document_text(family_document(family, context))
    assert "Go to the safe care course every Tuesday" in text
    assert "Mum and Dad" in text
    assert "30 June 2025" in text
    assert "What happens next" in text
