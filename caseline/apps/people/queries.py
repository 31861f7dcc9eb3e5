"""Reading people. Record-level visibility lives here and nowhere else."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import user_can
from caseline.apps.people.models import Allocation, Person, Relationship


def visible_people(user: Any) -> QuerySet[Person]:
    """Every person this user may see.

    - Holders of ``people:child:view-all`` (front door, IROs, analysts, leaders) see everyone.
    - Others see children currently allocated to them or to their team (or any team they
      manage), and the people related to those children.
    - Nobody without ``people:child:view`` sees anyone.
    """
    if not user_can(user, Permission.CHILD_VIEW):
        return Person.objects.none()
    if user_can(user, Permission.CHILD_VIEW_ALL):
        return Person.objects.all()
    teams = Q(team__manager=user)
    if user.team_id is not None:
        teams |= Q(team_id=user.team_id)
    open_allocations = Allocation.objects.filter(end_date__isnull=True).filter(
        Q(worker=user) | teams
    )
    allocated = open_allocations.filter(person=OuterRef("pk"))
    related_to_allocated = Relationship.objects.filter(
        Q(person=OuterRef("pk"), other__in=open_allocations.values("person"))
        | Q(other=OuterRef("pk"), person__in=open_allocations.values("person"))
    )
    return Person.objects.filter(Exists(allocated) | Exists(related_to_allocated))


def get_person_for_user(user: Any, person_id: int) -> Person:
    """The person with this id if the user may see them: 404 if none, 403 if hidden."""
    try:
        person = Person.objects.get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No person with that ID") from None
    if not visible_people(user).filter(pk=person.pk).exists():
        raise PermissionDenied
    return person


def current_allocation(person: Person) -> Allocation | None:
    """The allocation with no end date, if any."""
    return (
        person.allocations.filter(end_date__isnull=True)
        .select_related("team", "worker")
        .order_by("-start_date", "-id")
        .first()
    )
