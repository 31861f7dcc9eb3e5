"""The family plan's PDF prints what families write, in every script and with emoji, in a
font made for it: no empty boxes."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

import pytest

from caseline.apps.accounts.models import User
from caseline.apps.people.models import Person
from caseline.apps.protection import actions, queries
from caseline.apps.protection.family import Audience, build_family_plan, render_family_pdf
from caseline.apps.protection.tests.conftest import on_plan
from tests.pdfs import WRITTEN, assert_written_in_their_fonts, needs_poppler, pdf_text, squeezed

pytestmark = pytest.mark.django_db


@needs_poppler
@pytest.mark.parametrize("audience", list(Audience))
def test_names_and_words_in_every_script_and_emoji_are_printed(
    make_child: Callable[..., Person],
    worker: User,
    chair: User,
    audience: Audience,
    caplog: pytest.LogCaptureFixture,
) -> None:
    child = make_child("Zoë 😀")
    plan = on_plan(child, worker, chair)
    actions.update_plan(
        acting_user=worker,
        plan=plan,
        read_version=plan.version,
        worries=f"Zoë told {' and '.join(WRITTEN)} about the shouting.",
        contingency="If Zoë is hurt again, we will ask a court to help.",
        child_views="I want my cousin محمد to visit 😀",
        identity_needs="Zoë speaks Polish with Łukasz and Arabic with محمد 😀",
        lead_social_worker=plan.lead_social_worker,
    )
    today = datetime.date(2025, 5, 7)
    family = build_family_plan(queries.plan_with_detail(plan), audience, today)
    with caplog.at_level(logging.WARNING):
        pdf = render_family_pdf(family, {"person": child, "today": today})
    assert_written_in_their_fonts(pdf, caplog.messages)
    text = squeezed(pdf_text(pdf))
    assert squeezed(child.full_name) in text
    assert squeezed("I want my cousin محمد to visit 😀") in text
