"""``{{ text|redaction_marks }}``: redacted text with each marker shown as a black box."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from caseline.apps.subjectaccess.pack import MARKER

register = template.Library()


@register.filter
def redaction_marks(text: str) -> SafeString:
    """The text escaped, line breaks kept, each marker in a ``redacted`` span."""
    escaped = str(escape(text)).replace("\n", "<br>")
    return mark_safe(  # noqa: S308 - escaped above; only our own span is added
        escaped.replace(MARKER, f'<span class="redacted">{MARKER}</span>')
    )
