"""Periods of care, legal status and placements (the SSDA903 episodes), and the end of care.

Each change of legal status or placement ends the current episode (``X1``) and starts the
next the same day, with the reason for the new episode derived from what changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName
from caseline.apps.core.access import require_permission
from caseline.apps.core.checks import Checks
from caseline.apps.lookedafter import derive, queries
from caseline.apps.lookedafter.actions.common import change, lock, record_new
from caseline.apps.lookedafter.actions.iro import end_iro_allocation
from caseline.apps.lookedafter.events import LookedAfterEvent
from caseline.apps.lookedafter.models import (
    NEW_EPISODE_FOLLOWS,
    PLACED_WITH_PARENTS,
    SHORT_BREAK_STATUSES,
    STARTED,
    Episode,
    PlacementProvider,
)
from caseline.apps.lookedafter.placement_rules import (
    AT_PROVIDER_PREMISES,
    POSTCODE,
    URN_SHAPE_EXPLAINED,
    check_provider_code,
    check_urn,
)
from caseline.apps.people.models import Person
from caseline.apps.people.queries import home_postcode_on
from caseline.apps.returns.rules.ssda903 import (
    SSDA903Rule362,
    SSDA903Rule378,
    SSDA903Rule390,
    SSDA903Rule460,
    epo_runs,
)
from caseline.apps.returns.rules.ssda903_placements import (
    NO_PROVIDER_TYPES,
    SSDA903Rule213,
    SSDA903Rule219,
    SSDA903Rule392d,
    SSDA903Rule1008,
)
from caseline.apps.timescales.calendar import add_calendar_months
from caseline.apps.timescales.rules import format_date

SHORT_BREAK_MAX_DAYS = 17  # CPPCR reg 48: no single stay over 17 days
SHORT_BREAKS_MAX_DAYS_A_YEAR = 75  # and no more than 75 days in 12 months


@dataclass(frozen=True)
class PlacementDetails:
    """Where the child lives in an episode: the 903 placement fields and Caseline's extras.

    ``provider`` is the provider from the register. When it is given, the provider code and
    URN are the register's, and so is the postcode of a placement at the provider's premises
    (a children's home, a residential school); a foster or adoptive placement keeps the
    postcode given, the carers' home. Without one, the typed ``placement_provider`` and
    ``ofsted_urn`` are kept (a placement with parents; episodes recorded, or imported, before
    the register).
    """

    placement_type: str
    placement_provider: str = ""
    placement_postcode: str = ""
    carer_name: str = ""
    ofsted_urn: str = ""
    distance_from_home: Decimal | None = None
    area: str = ""
    arrangement: str = Episode.Arrangement.STANDARD
    intended_until_18: bool = False
    parent_placement_approver: str = ""
    parent_placement_approved_on: datetime.date | None = None
    parent_placement_rationale: str = ""
    provider: PlacementProvider | None = None

    @classmethod
    def of(cls, episode: Episode) -> PlacementDetails:
        return cls(**{f.name: getattr(episode, f.name) for f in fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def normalised(self) -> PlacementDetails:
        """As stored: the register's provider code, URN and (at its premises) postcode for a
        provider from the register; postcode and URN in capitals; approval of placement with
        parents kept only for a placement with parents."""
        values = self.as_dict()
        postcode, urn = self.placement_postcode, self.ofsted_urn
        provider = self.provider
        if provider is not None:
            values["placement_provider"] = provider.provider_type
            urn = provider.ofsted_urn
            if self.placement_type in AT_PROVIDER_PREMISES:
                postcode = provider.postcode
        values["placement_postcode"] = postcode.strip().upper()
        values["ofsted_urn"] = urn.strip().upper()
        if self.placement_type != PLACED_WITH_PARENTS:
            values.update(
                parent_placement_approver="",
                parent_placement_approved_on=None,
                parent_placement_rationale="",
            )
        return PlacementDetails(**values)


# --- Checks ---------------------------------------------------------------------------------


def _check_legal_status(checks: Checks, legal_status: str, day: datetime.date) -> None:
    checks.code(
        "legal_status", CodeListName.LEGAL_STATUS, legal_status, on=day, what="legal status"
    )


def _check_placement_codes(
    checks: Checks,
    details: PlacementDetails,
    day: datetime.date,
    *,
    keeps_provider: int | None = None,
    short_break: bool = False,
) -> None:
    """The placement type, provider and URN (``details`` as stored): valid on ``day`` and
    fitting each other (903 rules 213, 218, 219, 222, 242, 527 to 531, 550). A provider no
    longer in use may stay only on the episode that already names it (``keeps_provider``).
    A short break needs no URN (rule 214: no placement location for V3 or V4)."""
    place = details.placement_type
    place_ok = checks.code(
        "placement_type", CodeListName.PLACEMENT_TYPE, place, on=day, what="placement type"
    )
    provider = details.provider
    field = "provider" if provider is not None else "placement_provider"
    if provider is not None:
        checks.check(
            provider.active or provider.pk == keeps_provider,
            "provider",
            f"{provider.name} is no longer in use in the register: select another provider",
        )
        if place == PLACED_WITH_PARENTS:
            checks.add(
                "provider",
                "A child placed with parents has no provider from the register: select none",
            )
        elif place_ok:
            SSDA903Rule219.check(
                checks,
                "provider",
                broken=SSDA903Rule219.breaks(
                    placement_type=place, offered=provider.placement_types
                ),
                on=day,
                explain=f"The register says {provider.name} does not offer {place} placements",
            )
    code = details.placement_provider
    if NO_PROVIDER_TYPES.match(place):
        SSDA903Rule213.check(
            checks,
            field,
            broken=SSDA903Rule213.breaks(
                placement_type=place, provider_given=bool(code) or provider is not None
            ),
            on=day,
            explain="A temporary (T) or other (Z) placement has no provider",
        )
    elif not code:
        checks.add("placement_provider", "Select the placement provider")
    elif (
        checks.code(
            "placement_provider",
            CodeListName.PLACEMENT_PROVIDER,
            code,
            on=day,
            what="placement provider",
        )
        and place_ok
    ):
        if place == PLACED_WITH_PARENTS:
            checks.check(
                code == "PR0",
                "placement_provider",
                "A child placed with parents has provider PR0 (parents or others with parental "
                "responsibility)",
            )
        else:
            check_provider_code(checks, field, code, place, on=day)
    urn_field = "provider" if provider is not None or not details.ofsted_urn else "ofsted_urn"
    if place_ok and not checks.has(urn_field):
        check_urn(
            checks,
            urn_field,
            urn=details.ofsted_urn,
            place=place,
            day=day,
            provider=provider,
            needed=not short_break,
        )


def _check_placement(
    checks: Checks,
    details: PlacementDetails,
    day: datetime.date,
    child: Person,
    *,
    keeps_provider: int | None = None,
    legal_status: str = "",
    home_postcode: str = "",
) -> None:
    """The placement as it will be stored (``details.normalised()``), under ``legal_status``,
    for a child whose home postcode when the period of care began was ``home_postcode``."""
    if details.provider is None:
        SSDA903Rule1008.check(
            checks,
            "ofsted_urn",
            broken=SSDA903Rule1008.breaks(urn=details.ofsted_urn),
            on=day,
            explain=URN_SHAPE_EXPLAINED,
        )
    _check_placement_codes(
        checks,
        details,
        day,
        keeps_provider=keeps_provider,
        short_break=legal_status in SHORT_BREAK_STATUSES,
    )
    postcode = details.placement_postcode
    if (
        checks.check(
            not postcode or bool(POSTCODE.match(postcode)),
            "placement_postcode",
            "Enter a real postcode, like SW1A 1AA",
        )
        and legal_status not in SHORT_BREAK_STATUSES
    ):
        at_premises = (
            details.provider is not None and details.placement_type in AT_PROVIDER_PREMISES
        )
        SSDA903Rule392d.check(
            checks,
            "provider" if at_premises else "placement_postcode",
            broken=SSDA903Rule392d.breaks(
                placement_type=details.placement_type,
                home_postcode=home_postcode,
                placement_postcode=postcode,
            ),
            on=day,
            explain=(
                f"The placement's postcode, {postcode}, is that of {child.given_name}'s home "
                "when this period of care began: only a placement with parents (P1) is at home"
            ),
        )
    distance = details.distance_from_home
    checks.check(
        distance is None or Decimal(0) <= distance <= Decimal("999.9"),
        "distance_from_home",
        "Distance from home must be between 0 and 999.9 miles",
    )
    checks.check(
        details.arrangement in Episode.Arrangement.values,
        "arrangement",
        "Select how the child is placed",
    )
    if details.placement_type == PLACED_WITH_PARENTS:
        checks.required(
            "parent_placement_approver",
            details.parent_placement_approver,
            "Enter the senior manager who approved placement with parents",
        )
        checks.required(
            "parent_placement_rationale",
            details.parent_placement_rationale,
            "Enter why placement with parents was approved",
        )
        approved = details.parent_placement_approved_on
        if checks.required(
            "parent_placement_approved_on",
            approved,
            "Enter the date placement with parents was approved",
        ):
            checks.happened(
                "parent_placement_approved_on", approved, "The approval date", child=child
            )


def _check_reason_ceased(checks: Checks, reason: str, end_date: datetime.date) -> None:
    """Why care ended: an E code valid on the day it ended (X1 is for a change)."""
    if reason == NEW_EPISODE_FOLLOWS:
        checks.add(
            "reason_episode_ceased",
            "X1 is for a change of placement or legal status: choose why care ended",
        )
    else:
        checks.code(
            "reason_episode_ceased",
            CodeListName.REASON_EPISODE_CEASED,
            reason,
            on=end_date,
            what="reason care ended",
        )


def _check_reason_moved(
    checks: Checks, reason: str, moved_on: datetime.date, new_placement_type: str
) -> None:
    """Why the child moved: a code valid on the day they moved; a move to a temporary
    placement needs none."""
    if reason:
        checks.code(
            "reason_place_change",
            CodeListName.REASON_PLACEMENT_CHANGE,
            reason,
            on=moved_on,
            what="reason for the placement change",
        )
    elif not new_placement_type.startswith("T"):
        checks.add("reason_place_change", "Select the reason for the placement change")


def _overlap(child: Person, start_date: datetime.date) -> str:
    """Why a period of care cannot start on ``start_date`` (empty if it can)."""
    for episode in queries.episodes_of(child):
        if episode.end_date is None:
            return (
                f"{child.given_name} is already looked after, since "
                f"{format_date(episode.start_date)}: end that period of care first"
            )
        if episode.end_date > start_date:
            when = (
                "was already looked after on that date"
                if episode.start_date <= start_date
                else "has a later period of care recorded"
            )
            return (
                f"{child.given_name} {when} (an episode from "
                f"{format_date(episode.start_date)} to {format_date(episode.end_date)}): "
                "periods of care cannot overlap"
            )
    return ""


def _current_for_change(
    checks: Checks, child: Person, change_date: datetime.date
) -> Episode | None:
    """The episode a change on ``change_date`` ends; a problem if there is none, or if the
    date does not fall after it began."""
    current = queries.open_episode(child)
    if current is None:
        checks.add(
            "change_date",
            f"{child.given_name} is not looked after: start a period of care before recording "
            "a placement or legal status",
        )
    elif checks.check(
        change_date > current.start_date,
        "change_date",
        "The date of the change must be after the current episode began, on "
        f"{format_date(current.start_date)}",
    ):
        checks.happened("change_date", change_date, "The date of the change", child=child)
    return current


def _check_short_breaks(checks: Checks, child: Person, end_date: datetime.date) -> None:
    """CPPCR reg 48: no single short break over 17 days, no more than 75 days in 12 months."""
    periods = derive.periods_of_care(queries.episodes_of(child))
    period = periods[-1]
    if not period.is_short_breaks:
        return
    days = (end_date - period.start_date).days
    if days > SHORT_BREAK_MAX_DAYS:
        checks.add(
            "end_date",
            f"A short break cannot last more than {SHORT_BREAK_MAX_DAYS} days (regulation "
            "48): record the change of legal status to V2 from the 18th day first",
        )
        return
    year_before = add_calendar_months(end_date, -12)
    earlier = sum(
        ((p.end_date or end_date) - p.start_date).days
        for p in periods[:-1]
        if p.is_short_breaks and p.start_date > year_before
    )
    checks.check(
        earlier + days <= SHORT_BREAKS_MAX_DAYS_A_YEAR,
        "end_date",
        f"Short breaks cannot add up to more than {SHORT_BREAKS_MAX_DAYS_A_YEAR} days in 12 "
        f"months (regulation 48): this makes {earlier + days}. From then on "
        f"{child.given_name} is looked after in the usual way (V2)",
    )


def _check_episode_rules(
    checks: Checks, *, legal_status: str, placement_type: str, day: datetime.date, field: str
) -> None:
    """The DfE's rules on one episode's legal status and placement together."""
    SSDA903Rule378.check(
        checks,
        field,
        broken=SSDA903Rule378.breaks(legal_status=legal_status, placement_type=placement_type),
        on=day,
    )


def _check_emergency_protection(
    checks: Checks, child: Person, current: Episode, ends: datetime.date, field: str
) -> None:
    """An emergency protection order (L2, with the L2 episodes joined to it) ending on
    ``ends`` lasts at most 21 days."""
    if current.legal_status != "L2":
        return
    episodes = [(e.legal_status, e.start_date, e.end_date) for e in queries.episodes_of(child)]
    runs = epo_runs(episodes, until=ends)
    if runs:
        started, _ = runs[-1]
        SSDA903Rule362.check(
            checks,
            field,
            broken=SSDA903Rule362.breaks(order_started=started, order_ended=ends),
            on=ends,
        )


# --- Writes ---------------------------------------------------------------------------------


def _begin_episode(
    event: LookedAfterEvent,
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    rne: str,
    legal_status: str,
    details: PlacementDetails,
    ending: Episode | None = None,
    reason_place_change: str = "",
) -> Episode:
    """A new episode from ``start_date``, with ``details`` as stored (normalised, or copied
    from the current episode); for a change, ``ending`` (the current episode) ends that day
    with ``X1`` first."""
    if ending is not None:
        change(
            ending,
            event,
            acting_user=acting_user,
            end_date=start_date,
            reason_episode_ceased=NEW_EPISODE_FOLLOWS,
            reason_place_change=reason_place_change,
        )
    return record_new(
        Episode,
        event,
        acting_user=acting_user,
        child=child,
        start_date=start_date,
        reason_new_episode=rne,
        legal_status=legal_status,
        **details.as_dict(),
    )


@transaction.atomic(durable=True)
def start_period_of_care(
    *,
    acting_user: User,
    child: Person,
    start_date: datetime.date,
    legal_status: str,
    placement: PlacementDetails,
) -> Episode:
    """The child starts to be looked after: the first episode of a new period (RNE ``S``)."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    checks.happened("start_date", start_date, "The date the child became looked after", child=child)
    _check_legal_status(checks, legal_status, start_date)
    placement = placement.normalised()
    _check_placement(
        checks,
        placement,
        start_date,
        child,
        legal_status=legal_status,
        home_postcode=home_postcode_on(child, start_date),
    )
    _check_episode_rules(
        checks,
        legal_status=legal_status,
        placement_type=placement.placement_type,
        day=start_date,
        field="legal_status",
    )
    if not checks.has("start_date"):
        overlap = _overlap(child, start_date)
        checks.check(not overlap, "start_date", overlap)
    checks.raise_if_any()
    return _begin_episode(
        LookedAfterEvent.PERIOD_STARTED,
        acting_user=acting_user,
        child=child,
        start_date=start_date,
        rne=STARTED,
        legal_status=legal_status,
        details=placement,
    )


@transaction.atomic(durable=True)
def change_legal_status(
    *, acting_user: User, child: Person, change_date: datetime.date, legal_status: str
) -> Episode:
    """The legal status changes; the placement stays the same (RNE ``L``)."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    current = _current_for_change(checks, child, change_date)
    _check_legal_status(checks, legal_status, change_date)
    if current is not None and not checks.has("legal_status"):
        checks.check(
            legal_status != current.legal_status,
            "legal_status",
            f"The legal status is already {legal_status}: choose the new one",
        )
        _check_episode_rules(
            checks,
            legal_status=legal_status,
            placement_type=current.placement_type,
            day=change_date,
            field="legal_status",
        )
    if current is not None and not checks.has("change_date"):
        _check_emergency_protection(checks, child, current, change_date, "change_date")
    checks.raise_if_any()
    assert current is not None
    return _begin_episode(
        LookedAfterEvent.LEGAL_STATUS_CHANGED,
        acting_user=acting_user,
        child=child,
        start_date=change_date,
        rne=derive.reason_new_episode(
            legal_status_changed=True, placement_changed=False, same_carer=True
        ),
        legal_status=legal_status,
        details=PlacementDetails.of(current),
        ending=current,
    )


@transaction.atomic(durable=True)
def change_placement(
    *,
    acting_user: User,
    child: Person,
    change_date: datetime.date,
    placement: PlacementDetails,
    same_carer: bool,
    reason_place_change: str,
    legal_status: str = "",
) -> Episode:
    """The child moves placement (RNE ``P`` or ``T``), or moves and changes legal status at
    the same time (``B`` or ``U``) when ``legal_status`` is given and differs."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    current = _current_for_change(checks, child, change_date)
    placement = placement.normalised()
    status = legal_status or (current.legal_status if current is not None else "")
    home = "" if current is None else home_postcode_on(child, queries.period_began(child, current))
    _check_placement(checks, placement, change_date, child, legal_status=status, home_postcode=home)
    if legal_status:
        _check_legal_status(checks, legal_status, change_date)
    _check_reason_moved(checks, reason_place_change, change_date, placement.placement_type)
    if current is not None:
        _check_episode_rules(
            checks,
            legal_status=legal_status or current.legal_status,
            placement_type=placement.placement_type,
            day=change_date,
            field="placement_type",
        )
        if not checks.has("change_date") and (legal_status or current.legal_status) != "L2":
            _check_emergency_protection(checks, child, current, change_date, "change_date")
    checks.raise_if_any()
    assert current is not None
    status_changed = bool(legal_status) and legal_status != current.legal_status
    return _begin_episode(
        LookedAfterEvent.PLACEMENT_CHANGED,
        acting_user=acting_user,
        child=child,
        start_date=change_date,
        rne=derive.reason_new_episode(
            legal_status_changed=status_changed, placement_changed=True, same_carer=same_carer
        ),
        legal_status=legal_status or current.legal_status,
        details=placement,
        ending=current,
        reason_place_change=reason_place_change,
    )


@transaction.atomic(durable=True)
def end_period_of_care(
    *, acting_user: User, child: Person, end_date: datetime.date, reason_episode_ceased: str
) -> Episode:
    """The child stops being looked after; the reason is an E code (not X1). The IRO's
    allocation ends with care, unless the period ended is a short break and the series of
    short breaks goes on after it (:func:`_series_goes_on`): the IRO chairs the series'
    reviews, between breaks too."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(child)
    checks = Checks()
    current = queries.open_episode(child)
    if current is None:
        checks.add("end_date", f"{child.given_name} is not looked after")
    elif checks.check(
        end_date >= current.start_date,
        "end_date",
        "The date care ended must be on or after the current episode began, on "
        f"{format_date(current.start_date)}",
    ):
        checks.happened("end_date", end_date, "The date care ended", child=child)
    _check_reason_ceased(checks, reason_episode_ceased, end_date)
    if current is not None and not checks.has("end_date"):
        _check_short_breaks(checks, child, end_date)
        _check_emergency_protection(checks, child, current, end_date, "end_date")
    if current is not None:
        SSDA903Rule390.check(
            checks,
            "reason_episode_ceased",
            broken=SSDA903Rule390.breaks(
                reason_ceased=reason_episode_ceased, placement_type=current.placement_type
            ),
            on=end_date,
        )
    if child.date_of_birth is not None:
        SSDA903Rule460.check(
            checks,
            "reason_episode_ceased",
            broken=SSDA903Rule460.breaks(
                reason_ceased=reason_episode_ceased, born=child.date_of_birth, ended=end_date
            ),
            on=end_date,
            explain=f"E17 (stayed with current carers at 18) is for care that ends on or after "
            f"{child.given_name}'s 18th birthday",
        )
    checks.raise_if_any()
    assert current is not None
    change(
        current,
        LookedAfterEvent.PERIOD_ENDED,
        acting_user=acting_user,
        end_date=end_date,
        reason_episode_ceased=reason_episode_ceased,
    )
    if not _series_goes_on(child, end_date):
        end_iro_allocation(acting_user=acting_user, child=child, end_date=end_date)
    return current


def _series_goes_on(child: Person, end_date: datetime.date) -> bool:
    """Whether the child is still in a series of short breaks the day after care ended on
    ``end_date``, by the rules that make the series' reviews and visits due
    (``derive.short_breaks_on``). That is so after every short break: a series lapses only
    12 months after its latest break (``derive.SHORT_BREAKS_LAPSE_MONTHS``), and whether
    another break comes first is not known yet. A period of care in the usual way ends the
    IRO's role with it, as before."""
    periods = derive.periods_of_care(queries.episodes_of(child))
    day_after = end_date + datetime.timedelta(days=1)
    return derive.short_breaks_on(periods, day_after) is not None


# --- Corrections ----------------------------------------------------------------------------


def _check_start(checks: Checks, place: queries.EpisodeInCare, start_date: datetime.date) -> None:
    """A corrected start date keeps the episodes in order and periods of care apart."""
    episode, before = place.episode, place.before
    if before is not None:
        checks.check(
            start_date > before.start_date,
            "start_date",
            "The start date must be after the episode before began, on "
            f"{format_date(before.start_date)}",
        )
    elif place.previous_period_end is not None:
        checks.check(
            start_date >= place.previous_period_end,
            "start_date",
            "The start date must be on or after the period of care before ended, on "
            f"{format_date(place.previous_period_end)}: periods of care cannot overlap",
        )
    if episode.end_date is not None and not checks.has("start_date"):
        checks.check(
            start_date < episode.end_date
            or (start_date == episode.end_date and place.after is None),
            "start_date",
            f"The start date must be before the episode ended, on {format_date(episode.end_date)}",
        )


def _reason_new_episode(
    checks: Checks, episode: Episode, legal_status: str, earlier_status: str, which: str
) -> str:
    """The reason ``episode`` began, from what changed since the episode before it once the
    legal status is corrected; a problem if nothing did."""
    if episode.reason_new_episode == STARTED:
        return STARTED
    moved = episode.reason_new_episode in derive.PLACEMENT_CHANGES
    if not moved and legal_status == earlier_status:
        checks.add(
            "legal_status",
            f"{which} began with a change of legal status, so the legal status of the two "
            f"episodes cannot be the same ({legal_status})",
        )
        return episode.reason_new_episode
    return derive.reason_new_episode(
        legal_status_changed=legal_status != earlier_status,
        placement_changed=moved,
        same_carer=episode.reason_new_episode in {"T", "U"},
    )


@transaction.atomic(durable=True)
def correct_episode(
    *,
    acting_user: User,
    episode: Episode,
    start_date: datetime.date,
    legal_status: str,
    placement: PlacementDetails,
    reason_place_change: str = "",
    reason_episode_ceased: str = "",
    reason: str,
) -> Episode:
    """Correct what was mistyped in an episode, with the same checks as recording it, and say
    why. The episode it follows on from ends on the corrected start date; the placement is
    corrected in every episode of it; the reason each episode began is derived again. Every
    row changed is audited with its old and new values and the reason."""
    require_permission(acting_user, Permission.CARE_RECORD)
    child = lock(episode.person)
    place = queries.episode_in_care(child, episode.pk)
    episode, before, after = place.episode, place.before, place.after
    checks = Checks()
    checks.required("reason", reason, "Enter why you are correcting the episode")
    if checks.happened("start_date", start_date, "The start date", child=child):
        _check_start(checks, place, start_date)
    _check_legal_status(checks, legal_status, start_date)
    placement = placement.normalised()
    kept = episode.provider_id
    began = start_date if before is None else queries.period_began(child, episode)
    _check_placement(
        checks,
        placement,
        start_date,
        child,
        keeps_provider=kept,
        legal_status=legal_status,
        home_postcode=home_postcode_on(child, began),
    )
    for other in place.placement:
        if other.pk != episode.pk and not checks:
            _check_placement_codes(
                checks,
                placement,
                other.start_date,
                keeps_provider=kept,
                short_break=other.is_short_break,
            )
    changes: dict[int, dict[str, Any]] = {e.pk: placement.as_dict() for e in place.placement}
    mine = changes[episode.pk]
    mine.update(start_date=start_date, legal_status=legal_status)
    if before is not None:
        changes[before.pk] = {**changes.get(before.pk, {}), "end_date": start_date}
        mine["reason_new_episode"] = _reason_new_episode(
            checks, episode, legal_status, before.legal_status, "This episode"
        )
    if after is not None:
        changes.setdefault(after.pk, {})["reason_new_episode"] = _reason_new_episode(
            checks, after, after.legal_status, legal_status, "The episode after it"
        )
    if place.ended_by_move and after is not None and episode.end_date is not None:
        _check_reason_moved(checks, reason_place_change, episode.end_date, after.placement_type)
        mine["reason_place_change"] = reason_place_change
    if place.ended_care and episode.end_date is not None:
        _check_reason_ceased(checks, reason_episode_ceased, episode.end_date)
        mine["reason_episode_ceased"] = reason_episode_ceased
    rows = {e.pk: e for e in (before, episode, after, *place.placement) if e is not None}
    changed = {
        pk: {name: value for name, value in values.items() if getattr(rows[pk], name) != value}
        for pk, values in changes.items()
    }
    if not checks:
        checks.check(any(changed.values()), None, "Nothing has changed: correct what was wrong")
    checks.raise_if_any()
    changed[episode.pk].update(
        corrected_by=acting_user, corrected_at=timezone.now(), correction_reason=reason.strip()
    )
    why = {"reason": reason.strip(), "episode": episode.pk}
    for pk, values in changed.items():
        if values:
            change(
                rows[pk],
                LookedAfterEvent.EPISODE_CORRECTED,
                acting_user=acting_user,
                extra=why,
                **values,
            )
    return rows[episode.pk]
