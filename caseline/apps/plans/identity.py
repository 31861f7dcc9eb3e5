"""The child's identity in every plan: one piece for every kind of plan and its reviews.

Ofsted's inspection of Wirral asked that "all records of assessments, plans and reviews
reflect a focus on the child's views and wishes and the cultural and identity needs of
children and their families". An assessment has its identity section; every plan, and every
review of it, says how it meets the child's identity needs (:data:`IDENTITY_ASPECTS`), written
beside what the child's latest authorised assessment found.

A plan or review of any app takes the piece in five steps:

1. Its model inherits ``plans.models.IdentityNeeds`` (the text field ``identity_needs``; a
   migration adds it, blank for the rows already there).
2. The action that agrees the plan or completes the review takes ``identity_needs: str`` and
   calls :func:`check_identity` on its ``Checks`` before ``raise_if_any()``: it is refused
   blank, with :data:`IDENTITY_NEEDS_RULE`'s message on the field.
3. Its form inherits ``plans.forms.IdentityFormMixin`` and declares
   ``identity_needs = identity_field()`` where it belongs in the form.
4. Its form page inherits ``plans.views.IdentityNeedsPage`` (before the form view), which
   gives the form what is known of the child's identity (``plans.queries.identity_found``);
   the field's own template (``plans/includes/identity_field.html``) shows it beside the field.
5. The page that shows the plan or review includes ``plans/includes/identity_needs.html``.
"""

from __future__ import annotations

from caseline.apps.core.checks import Checks, Rule

FIELD = "identity_needs"

# What a plan says it meets, in the words the form's hint uses.
IDENTITY_ASPECTS = (
    "ethnicity and culture",
    "religion",
    "language and communication",
    "heritage",
    "disability",
    "gender identity where relevant",
)

IDENTITY_NEEDS_RULE = Rule(
    "caseline:plan-identity-needs",
    "Ofsted, inspection of Wirral children's services: every record of a plan and review "
    "reflects the cultural and identity needs of children and their families",
    "Enter how the plan meets the child's identity needs",
)

IDENTITY_HINT = (
    "Say how the plan meets the child's needs for their "
    + ", ".join(IDENTITY_ASPECTS[:-1])
    + f", and {IDENTITY_ASPECTS[-1]}. Use what the assessment found"
)
# At a review the field starts from what the plan says.
REVIEW_IDENTITY_HINT = (
    f"{IDENTITY_HINT}. This is what the plan says now: change it if the review agreed "
    "something different"
)


def check_identity(checks: Checks, identity_needs: str) -> bool:
    """The plan or review says how it meets the child's identity needs (not blank)."""
    if identity_needs.strip():
        return True
    checks.broken(IDENTITY_NEEDS_RULE, FIELD)
    return False
