"""Every write to a looked-after child's or care leaver's record, one module a subject. Each
action checks the permission it needs first, then what it was given (``core.checks``), and
audits what it writes in the same transaction.

Writes for one child are serialised by locking the child's ``Person`` row, so two workers
cannot both start a period of care or both change the placement at once.

Callers use the actions from here: ``from caseline.apps.lookedafter import actions``.
"""

from caseline.apps.lookedafter.actions.child_details import save_pen_picture, save_uasc_details
from caseline.apps.lookedafter.actions.costs import record_placement_cost
from caseline.apps.lookedafter.actions.episodes import (
    PlacementDetails,
    change_legal_status,
    change_placement,
    correct_episode,
    end_period_of_care,
    start_period_of_care,
)
from caseline.apps.lookedafter.actions.health import (
    HealthEvent,
    HealthRefused,
    record_health,
    record_health_records,
    record_pep,
)
from caseline.apps.lookedafter.actions.iro import allocate_iro
from caseline.apps.lookedafter.actions.leaving_care import (
    allocate_personal_adviser,
    record_care_leaver_contact,
)
from caseline.apps.lookedafter.actions.missing import record_missing, record_missing_return
from caseline.apps.lookedafter.actions.permanence import (
    PartialDate,
    end_deprivation_of_liberty,
    record_adoption_decision,
    record_adoption_decision_ceased,
    record_adoption_match,
    record_deprivation_of_liberty,
    save_previous_permanence,
)
from caseline.apps.lookedafter.actions.placement_records import (
    record_placement_notice,
    record_placement_plan,
)
from caseline.apps.lookedafter.actions.plans import record_care_plan, record_pathway_plan
from caseline.apps.lookedafter.actions.providers_register import (
    add_placement_provider,
    change_placement_provider,
)
from caseline.apps.lookedafter.actions.reviews import (
    Attendee,
    Progress,
    ReviewContent,
    add_recommendation,
    complete_minutes,
    record_review,
    record_review_elsewhere,
    request_earlier_review,
    update_review,
)
from caseline.apps.lookedafter.actions.visits import (
    VisitDetails,
    VisitRefused,
    record_visit,
    record_visits,
)

__all__ = [
    "Attendee",
    "HealthEvent",
    "HealthRefused",
    "PartialDate",
    "PlacementDetails",
    "Progress",
    "ReviewContent",
    "VisitDetails",
    "VisitRefused",
    "add_placement_provider",
    "add_recommendation",
    "allocate_iro",
    "allocate_personal_adviser",
    "change_legal_status",
    "change_placement",
    "change_placement_provider",
    "complete_minutes",
    "correct_episode",
    "end_deprivation_of_liberty",
    "end_period_of_care",
    "record_adoption_decision",
    "record_adoption_decision_ceased",
    "record_adoption_match",
    "record_care_leaver_contact",
    "record_care_plan",
    "record_deprivation_of_liberty",
    "record_health",
    "record_health_records",
    "record_missing",
    "record_missing_return",
    "record_pathway_plan",
    "record_pep",
    "record_placement_cost",
    "record_placement_notice",
    "record_placement_plan",
    "record_review",
    "record_review_elsewhere",
    "record_visit",
    "record_visits",
    "request_earlier_review",
    "save_pen_picture",
    "save_previous_permanence",
    "save_uasc_details",
    "start_period_of_care",
    "update_review",
]
