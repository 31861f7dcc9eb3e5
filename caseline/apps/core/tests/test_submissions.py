"""One-time form tokens: a sending left unfinished by a killed process is taken over later."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from caseline.apps.core import submissions
from caseline.apps.core.models import FormSubmission

pytestmark = pytest.mark.django_db


def test_a_claim_never_finished_is_still_saving_until_it_is_older_than_any_request() -> None:
    token = uuid.uuid4()
    assert submissions.claim(7, token) is None
    assert submissions.claim(7, token) == submissions.Earlier("")  # still saving
    long_ago = timezone.now() - submissions.STALE_AFTER - datetime.timedelta(seconds=1)
    FormSubmission.objects.filter(token=token).update(submitted_at=long_ago)
    assert submissions.claim(7, token) is None  # abandoned: this sending takes it over
    assert submissions.claim(7, token) == submissions.Earlier("")  # and holds it now


def test_a_finished_claim_is_never_taken_over() -> None:
    token = uuid.uuid4()
    assert submissions.claim(7, token) is None
    submissions.complete(7, token, "/done/")
    long_ago = timezone.now() - submissions.STALE_AFTER * 10
    FormSubmission.objects.filter(token=token).update(submitted_at=long_ago)
    assert submissions.claim(7, token) == submissions.Earlier("/done/")
