"""The demo's audit round: made once, through the actions, with one audit moderated."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from caseline.apps.accounts.demo import ensure_demo_users
from caseline.apps.accounts.models import Team, User
from caseline.apps.quality.models import AuditRound, AuditStatus, IROChallenge
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gets_one_round_with_moderated_audits_and_a_challenge(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ensure_demo_users()
    team = Team.objects.get(name="Assessment Team North")
    worker = User.objects.get(username="social.worker")
    for _ in range(3):
        ChildFactory.create(team=team, worker=worker, allocated_on=datetime.date(2026, 1, 5))
    call_command("demo_audits")
    round_ = AuditRound.objects.get()
    assert (round_.seed, round_.audits.count()) == (2026, 2)
    assert round_.audits.filter(status=AuditStatus.MODERATED).count() == 2
    assert IROChallenge.objects.count() == 1
    call_command("demo_audits")
    assert AuditRound.objects.count() == 1
    assert "already has audit rounds" in capsys.readouterr().out
