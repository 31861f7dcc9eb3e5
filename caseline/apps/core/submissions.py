"""Forms safe to send twice: every form page carries a one-time token, and the one place
that saves a form (``ActionFormView.form_valid``) claims it before calling the action.

A token already claimed means the form was sent before: the page goes where the first
sending went, with a message, and nothing is saved again. A claim left unfinished for longer
than any request runs (its process was killed) is taken over, so the form can be sent again.
A send the action refuses (a validation error, an edit conflict) gives the token back, so
the corrected form can be sent.
Forms without a token (a page opened before this was built) are saved as before.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseline.apps.core.models import FormSubmission

TOKEN_FIELD = "submission_token"  # noqa: S105 - a field name, not a secret
ALREADY_SENT = "This form had already been sent: it was saved once, and not again"
# A sending unfinished after this long is abandoned: gunicorn ends any request after 30 s.
STALE_AFTER = datetime.timedelta(minutes=2)
STILL_SAVING = "This form is already being saved: check that it was saved before sending it again"


def token_field() -> forms.CharField:
    """The hidden field a form page carries, with a fresh token."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


def parse(value: object) -> uuid.UUID | None:
    """The token a form sent, or None if it sent none (or something else)."""
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class Earlier:
    """The earlier sending of this form: where it went (empty while it is still saving)."""

    result_url: str


def claim(user_id: int, token: uuid.UUID) -> Earlier | None:
    """Claim the token for this sending; if it was claimed before, say where that went."""
    try:
        with transaction.atomic():
            made = FormSubmission(user_id=user_id, token=token)
            made.save(force_insert=True)  # write-outside-actions: a form's token
    except IntegrityError:
        earlier = FormSubmission.objects.filter(user_id=user_id, token=token).first()
        if earlier is not None and not earlier.result_url and _abandoned(earlier):
            return None
        return Earlier(earlier.result_url if earlier else "")
    return None


def _abandoned(earlier: FormSubmission) -> bool:
    """Whether an earlier sending that never finished was abandoned (its process was killed,
    or the database was lost before its token could be given back), and is now taken over:
    it is older than any request may run, so it is not still saving."""
    cutoff = timezone.now() - STALE_AFTER
    return bool(
        FormSubmission.objects.filter(pk=earlier.pk, result_url="", submitted_at__lt=cutoff).update(
            submitted_at=timezone.now()
        )  # write-outside-actions: a form's token
    )


def complete(user_id: int, token: uuid.UUID, result_url: str) -> None:
    """Remember where the saved form went, for a second sending."""
    FormSubmission.objects.filter(
        user_id=user_id, token=token
    ).update(  # write-outside-actions: a form's token
        result_url=result_url[:500]
    )


def release(user_id: int, token: uuid.UUID) -> None:
    """Give the token back: the action saved nothing, so the form may be sent again."""
    FormSubmission.objects.filter(
        user_id=user_id, token=token
    ).delete()  # write-outside-actions: a form's token
