"""The plan the family can read: readability, jargon, the two versions and the PDF."""

from __future__ import annotations

import datetime
import re
import zlib
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from caseline.apps.accounts.models import User
from caseline.apps.protection import actions, queries
from caseline.apps.protection.family import (
    Audience,
    build_family_plan,
    document_text,
    family_document,
    render_family_pdf,
)
from caseline.apps.protection.models import ProtectionAction, ProtectionPlan
from caseline.apps.protection.readability import (
    Explanation,
    JargonTerm,
    check_words,
    count_syllables,
    explanations,
    find_jargon,
    flesch_kincaid,
    glossary,
    parse_explanations,
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


# --- Nothing empty, every action's progress, who to call, and every word explained ---------


def _render_body(family: Any) -> str:
    return render_to_string("protection/includes/family_body.html", {"family": family})


def test_an_empty_plan_leaves_out_or_says_what_is_still_to_be_agreed(
    plan: ProtectionPlan,
) -> None:
    plan = queries.plan_with_detail(plan)
    plan.identity_needs = ""
    family = build_family_plan(plan, Audience.PARENTS, D(2025, 5, 7))
    assert [s.heading for s in family.sections] == [
        "What we are worried about",
        "What needs to change",
        "Who will do what, and by when",
        "Who Ada is",
        "What happens next",
    ]
    change, who, identity = family.sections[1:4]
    assert change.paragraphs == ["We still need to agree this with you."]
    assert who.paragraphs == ["We have not written the actions yet."]
    assert identity.paragraphs[-1] == "We still need to agree this with you."
    child = build_family_plan(plan, Audience.CHILD, D(2025, 5, 7))
    assert child.sections[1].paragraphs == ["We still need to agree this with your family."]
    # No heading stands over nothing.
    html = _render_body(family)
    for part in re.split(r"<h2[^>]*>", html)[1:]:
        assert re.search(r"</h2>\s*<(p|ul|table)\b", part), part[:80]


def test_each_action_says_how_it_is_going_in_plain_words(
    full_plan: ProtectionPlan, worker: User
) -> None:
    [outcome] = full_plan.outcomes.all()
    for what, by_when in (
        ("Meet the school nurse", D(2025, 5, 1)),
        ("Fix the front door lock", D(2025, 5, 2)),
        ("Take Ada to the dentist", D(2025, 5, 3)),
    ):
        actions.add_action(
            acting_user=worker,
            outcome=outcome,
            what=what,
            who="Mum",
            by_when=by_when,
            how_we_will_know="we see it",
        )
    nurse, lock = ProtectionAction.objects.filter(
        what__in=["Meet the school nurse", "Fix the front door lock"]
    ).order_by("by_when")
    for action, status in ((nurse, "done"), (lock, "not-done")):
        actions.update_action_status(
            acting_user=worker,
            action=action,
            status=status,
            status_note="Heard at the core group",
            updated_on=D(2025, 5, 6),
        )
    family = build_family_plan(queries.plan_with_detail(full_plan), Audience.PARENTS, D(2025, 8, 4))
    who = next(s for s in family.sections if s.heading == "Who will do what, and by when")
    assert [(a.what, a.status) for a in who.actions] == [
        ("Meet the school nurse", "Done"),
        ("Fix the front door lock", "Not done"),
        ("Take Ada to the dentist", "Late: due 3 May 2025"),
        ("Go to the safe care course every Tuesday", "Late: due 30 June 2025"),
    ]
    assert "This is late: due 30 June 2025." in family.text
    early = build_family_plan(queries.plan_with_detail(full_plan), Audience.PARENTS, D(2025, 5, 2))
    statuses = [a.status for s in early.sections for a in s.actions]
    assert statuses == ["Done", "Not done", "On track", "On track"]
    html = _render_body(family)
    assert ">How it is going</th>" in html
    assert ">Late: due 3 May 2025</td>" in html


def test_the_social_worker_and_how_to_reach_them_are_on_the_first_page(
    full_plan: ProtectionPlan,
) -> None:
    worker = full_plan.lead_social_worker
    worker.work_phone = "0113 496 0123"
    worker.email = "wren.hale@caseline.example"
    family = build_family_plan(full_plan, Audience.PARENTS, D(2025, 5, 7))
    assert family.contact.introduction == "Ada's social worker is Wren Hale."
    html = _render_body(family)
    assert "Phone: 0113 496 0123" in html
    assert 'href="mailto:wren.hale@caseline.example"' in html
    context = {"person": full_plan.person, "today": D(2025, 5, 7)}
    first_page = document_text(family_document(family, context), pages=slice(0, 1))
    for text in ("Ada's social worker is Wren Hale.", "0113 496 0123", "wren.hale@caseline"):
        assert text in first_page
    child = build_family_plan(full_plan, Audience.CHILD, D(2025, 5, 7))
    assert child.contact.introduction == "Your social worker is Wren Hale."
    worker.work_phone = worker.email = ""
    html = _render_body(build_family_plan(full_plan, Audience.PARENTS, D(2025, 5, 7)))
    assert "Ask Wren for a phone number or email address." in html
    assert "Phone:" not in html


def test_the_plan_explains_the_words_a_family_may_not_know_and_flags_the_rest(
    full_plan: ProtectionPlan,
) -> None:
    full_plan.contingency = "If things do not get better, we will hold a legal planning meeting."
    full_plan.worries = "We will facilitate a core group. Dad's engagement is poor."
    family = build_family_plan(full_plan, Audience.PARENTS, D(2025, 5, 7))
    assert [(w.term, w.meaning) for w in family.words] == [
        (
            "core group",
            "the family and the people who work with them, who meet often to make the plan work",
        ),
        (
            "legal planning meeting",
            "a meeting where social workers and the council's lawyers decide whether to ask a "
            "court to help keep a child safe",
        ),
    ]
    assert [h.term for h in family.unexplained] == ["engagement", "facilitate"]
    html = _render_body(family)
    assert "What some words in this plan mean" in html
    assert "<strong>Legal planning meeting</strong>: a meeting where social workers" in html
    context = {"person": full_plan.person, "today": D(2025, 5, 7)}
    text = document_text(family_document(family, context))
    assert "What some words in this plan mean" in text
    assert "the council's lawyers decide whether to ask a court" in text


def test_the_worker_sees_which_words_are_explained_and_which_are_not(
    plan: ProtectionPlan, client: Client, worker: User
) -> None:
    actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=plan.version,
        worries="We will monitor the home. The core group meets monthly.",
        contingency="A legal planning meeting.",
        child_views="I want to stay at home.",
        identity_needs=IDENTITY,
        lead_social_worker=worker,
    )
    client.force_login(worker)
    person = {"person_id": plan.person_id, "plan_id": plan.pk}
    page = client.get(reverse("protection:family-plan", kwargs=person)).content.decode()
    assert "1 professional word not explained. Change it in the plan." in page
    flagged = page[page.index('<dt class="govuk-summary-list__key">monitor') :]
    assert "Not explained</strong> Say: keep checking" in flagged[:400]
    explained = page[page.index('<dt class="govuk-summary-list__key">legal planning meeting') :]
    assert "Explained in the plan" in explained[:400]
    plan_page = client.get(reverse("protection:plan", kwargs=person)).content.decode()
    assert "It uses 1 professional word it does not explain: monitor." in plan_page


def test_the_words_a_plan_may_explain_are_professional_words_the_check_knows() -> None:
    professional = {term.term for term in glossary()}
    explained = explanations()
    assert {entry.term for entry in explained} <= professional
    assert "legal planning meeting" in {entry.term for entry in explained}
    text = "After the legal planning meeting the core group met."
    assert [h.term for h in check_words(text).unexplained] == []
    unexplained = check_words(text, explained=())
    assert [h.term for h in unexplained.unexplained] == ["core group", "legal planning meeting"]
    assert parse_explanations("term,what it means\nfoo,a bar, or a baz\n") == (
        Explanation("foo", "a bar, or a baz"),
    )
    with pytest.raises(ValueError, match="header"):
        parse_explanations("term,plain alternative\n")
    with pytest.raises(ValueError, match="line 2"):
        parse_explanations("term,what it means\nfoo\n")


def test_the_family_plan_says_who_the_child_is_in_plain_words(full_plan: ProtectionPlan) -> None:
    parents = build_family_plan(full_plan, Audience.PARENTS, D(2025, 5, 7))
    identity = next(s for s in parents.sections if s.heading == "Who Ada is")
    assert identity.paragraphs == [
        "We want the plan to fit who Ada is, and what matters to Ada and your family.",
        IDENTITY,
    ]
    child = build_family_plan(full_plan, Audience.CHILD, D(2025, 5, 7))
    assert next(s for s in child.sections if s.heading == "Who you are").paragraphs[0] == (
        "We want your plan to fit who you are, and what matters to you and your family."
    )
    assert parents.readability.meets_target, parents.readability


def test_what_happens_next_does_not_promise_a_date_gone_by(full_plan: ProtectionPlan) -> None:
    family = build_family_plan(full_plan, Audience.PARENTS, D(2025, 6, 2))
    happens = next(s for s in family.sections if s.heading == "What happens next")
    assert happens.paragraphs[:2] == [
        "The group of people who help make the plan work will next meet soon. It should have "
        "been by 16 May 2025.",
        "There will be a meeting to check how the plan is going by 1 August 2025.",
    ]
