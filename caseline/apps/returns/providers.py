"""What returns add to a child's record: what the newest return found wrong with it."""

from __future__ import annotations

import datetime

from caseline.apps.people.contribution import RecordContribution, SummaryBlock
from caseline.apps.people.models import Person
from caseline.apps.returns import queries

# Summary blocks run in this order: 10 why involved, 20 assessment, 30 plan, 40 notes.
FINDINGS_ORDER = 5


def findings_summary(person: Person, as_at: datetime.date) -> list[SummaryBlock]:
    """ "Will fail at the census": each rule the newest return of each kind found this child's
    record breaks, so whoever opens the record can put it right before the DfE sees it."""
    findings = queries.findings_for(person.pk)
    if not findings:
        return []
    rows = [
        (
            f"{finding.run.title} {finding.run.year} rule {finding.code}",
            ("Will fail: " if finding.is_error else "Will be queried: ") + finding.message,
        )
        for finding in findings
    ]
    return [SummaryBlock(FINDINGS_ORDER, "To put right before the DfE returns", rows)]


CONTRIBUTION = RecordContribution(app_label="returns", summary_blocks=findings_summary)
