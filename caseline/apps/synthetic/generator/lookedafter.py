"""Children looked after and care leavers: periods of care with their placement moves, IROs,
reviews, visits, care plans, health and education, and pathway plans from 16."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from caseline.apps.accounts.models import User
from caseline.apps.chronology.models import AgencyEvent
from caseline.apps.codes.lists import CodeListName
from caseline.apps.frontdoor.models import Referral
from caseline.apps.lookedafter.models import (
    AdoptionDecision,
    CareLeaverContact,
    CarePlan,
    DeprivationOfLibertyOrder,
    Episode,
    HealthRecord,
    IROAllocation,
    LACReview,
    LACVisit,
    MissingEpisode,
    PathwayPlan,
    PenPicture,
    PersonalAdviser,
    PersonalEducationPlan,
    PlacementNotice,
    PlacementPlan,
    PlacementProvider,
    PreviousPermanence,
    ReviewRecommendation,
    UASCDetails,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.synthetic import names
from caseline.apps.synthetic.generator import cin, recording
from caseline.apps.synthetic.generator.core import (
    Batch,
    Generation,
    birthday,
    valid_on,
    weighted,
    years_before,
)
from caseline.apps.synthetic.generator.staff import Authority, Staff, allocate
from caseline.apps.timescales.calendar import add_calendar_months

# How a period of care ends, for the referral to close with: the allocation, the day, the
# closure reason.
Ending = tuple[Allocation, datetime.date, str]


def placement_paperwork(batch: Batch, episode: Episode, worker: User, as_at: datetime.date) -> None:
    """The placement plan agreed and notice given within a few days of the placement's start
    (CPPCR regulations 9 and 13), as a service in good order has them. Drawn from no random
    numbers, so the rest of the authority is the same for the same seed."""
    plan_day = episode.start_date + datetime.timedelta(days=2)
    if plan_day <= as_at:
        batch.add(
            PlacementPlan(
                person=episode.person,
                episode=episode,
                agreed_on=plan_day,
                agreed_with=episode.carer_name or "The carer",
                summary="How the carer will meet the child's needs day to day, and keep them "
                "in touch with family and school.",
                recorded_by=worker,
            )
        )
    notice_day = episode.start_date  # a planned move: notice on the day counts as in time
    if notice_day <= as_at:
        batch.add(
            PlacementNotice(
                person=episode.person,
                episode=episode,
                emergency=False,
                given_on=notice_day,
                given_to=["child", "parents", "gp", "education", "iro"],
                recorded_by=worker,
            )
        )


# Placement types whose placements name no Ofsted-registered provider (903 rule 218's list of
# those needing no URN; rule 222 refuses one for them).
NO_URN = frozenset({"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4"})
# A regional adoption agency has no URN of its own: "XXXXXXX" (903 rule 242).
ADOPTION_AGENCY_URN = "XXXXXXX"
FOSTERING = ("U1", "U2", "U3", "U4", "U5", "U6")
# A short-term foster placement matched as long-term with the same carers (903 PLACE).
MATCHED = {"U3": "U1", "U6": "U4"}
KIN = ("U1", "U2", "U3")
# Why care ended at 18: staying put with the foster carers (E17), moving on with support
# (E5) or without (E6), or otherwise (E8).
AT_EIGHTEEN = (("E17", 25), ("E5", 45), ("E6", 10), ("E8", 20))
RETURNED_HOME = (("E4A", 80), ("E4B", 8), ("E13", 12))
SPECIAL_GUARDIANSHIP = ("E43", "E44", "E45", "E46", "E47", "E48")
ADOPTED = (("E11", 6), ("E12", 4))
PLACEMENT_CHANGES = (
    ("CARPL", 30),
    ("CHILD", 12),
    ("CREQB", 14),
    ("CREQO", 10),
    ("LAREQ", 10),
    ("STAND", 4),
    ("ALLEG", 3),
    ("CLOSE", 3),
    ("OTHER", 6),
)
# The closure of the child in need episode that care ended with (CIN census).
CLOSURE_AFTER = {"E11": "RC1", "E12": "RC1", "E41": "RC3"}
CLOSURE_AFTER |= dict.fromkeys(SPECIAL_GUARDIANSHIP, "RC4")
# Care that ends in adoption or an order (no child in need plan after it), and care that ends
# for good (the child died, E2, or another authority took over, E3: no support after it).
AFTER_AN_ORDER = frozenset(CLOSURE_AFTER)
LEFT_FOR_GOOD = frozenset({"E2", "E3"})
# Who adopts (903 AD1 SEX_ADOPTR with LS_ADOPTR), as the rules 514 to 524 pair them.
ADOPTERS = (
    (("MF", "L11"), 60),
    (("MF", "L3"), 10),
    (("F1", "L0"), 10),
    (("M1", "L0"), 1),
    (("FF", "L12"), 5),
    (("MM", "L12"), 4),
    (("FF", "L2"), 2),
    (("MM", "L4"), 1),
)
# Whether a child starting care had left care before under an order (903 PrevPerm).
PREVIOUS_PERMANENCE = (("Z1", 86), ("P4", 6), ("P2", 4), ("P3", 2), ("P1", 2))
RECOMMENDATIONS = (
    ("Arrange weekly family time with mum, supervised at the contact centre", "Social worker"),
    ("Complete the life story book with the carers", "Social worker"),
    ("Book the review health assessment and the dental check", "Carer"),
    ("Agree the plan for permanence at the next permanence panel", "Team manager"),
    ("Update the personal education plan with the virtual school", "Designated teacher"),
    ("Refer to CAMHS for support with sleep and anxiety", "Social worker"),
)
AGENCY_EVENTS = (
    ("Police", "Arrested for criminal damage; released with no further action.",
     "A first contact with the police: the risk of criminal exploitation is reviewed."),
    ("School", "Fixed-term exclusion for three days.",
     "School is the child's main stability: the PEP is brought forward."),
    ("Health", "Seen in A&E after a fall at the carers' home.",
     "The injury fits the explanation; the carers told the social worker the same day."),
    ("Youth justice", "Referral order made by the youth court.",
     "The youth offending worker joins the care planning."),
)  # fmt: skip


@dataclass(frozen=True)
class Provider:
    """Who provides a placement: the 903 provider code, Ofsted URN and setting postcode, and
    its entry in the council's register of providers."""

    code: str
    urn: str
    postcode: str
    name: str
    area: str  # IN or OUT
    entry: PlacementProvider


@dataclass(frozen=True)
class Placement:
    kind: str  # 903 PLACE
    provider: str  # PLACE_PROVIDER
    urn: str
    postcode: str
    carer: str
    area: str
    entry: PlacementProvider | None = None  # the register's provider


@dataclass
class Step:
    """What changed on a day of a period of care: the legal status, the placement or both."""

    day: datetime.date
    legal: str = ""
    placement: Placement | None = None
    same_carer: bool = False  # the placement type changed, the carer did not (RNE T or U)
    why_moved: str = ""  # REASON_PLACE_CHANGE of the placement this one follows


class Providers:
    """The authority's placement providers, entered in its register of providers once a run
    (from their own random source, so the casework's draws do not depend on them)."""

    def __init__(self, gen: Generation, recorded_by: User) -> None:
        rng = random.Random(f"providers-{gen.params.seed}")
        places = gen.places
        counter = iter(range(1, 1000))
        entries: list[PlacementProvider] = []

        def make(
            code: str, name: str, out: bool, types: tuple[str, ...], urn: str = ""
        ) -> Provider:
            _, postcode = places.out_of_area(rng) if out else places.address(rng)
            urn = urn or f"SC9{next(counter):05d}"
            entry = PlacementProvider(
                name=name,
                ofsted_urn=urn,
                postcode=postcode,
                provider_type=code,
                placement_types=list(types),
                recorded_by=recorded_by,
            )
            entries.append(entry)
            return Provider(code, urn, postcode, name, "OUT" if out else "IN", entry)

        foster = ("U1", "U2", "U3", "U4", "U5", "U6")
        self.fostering = make("PR1", f"{places.town} fostering service", False, foster)
        self.agencies = [
            make("PR4", f"Fostering agency {n}", n > 2, foster[3:]) for n in range(1, 5)
        ]
        self.agencies.append(make("PR5", "Family Placement Trust", True, (*foster[3:], "A5", "A6")))
        self.adoption = make(
            "PR1", "Regional adoption agency", False, ("A3", "A4", "A5", "A6"), ADOPTION_AGENCY_URN
        )
        homes = ("K2",)
        self.homes = [
            make("PR1", f"{places.town} children's home {n}", False, homes) for n in (1, 2)
        ]
        self.homes += [
            make("PR4", f"Private children's home {n}", n > 1, homes) for n in range(1, 6)
        ]
        self.homes.append(make("PR5", "Voluntary children's home", True, homes))
        # Supported accommodation (K3) in the authority's own area (903 rule 241).
        self.supported = [
            make("PR4", f"Supported accommodation {n}", False, ("K3",)) for n in (1, 2)
        ]
        self.supported.append(make("PR5", "Young people's housing trust", False, ("K3",)))
        self.schools = [make("PR4", "Residential special school", True, ("S1",))]
        self.schools.append(make("PR5", "Charity residential school", True, ("S1",)))
        PlacementProvider.objects.bulk_create(entries)
        gen.counts[PlacementProvider._meta.label] += len(entries)


def providers(gen: Generation, recorded_by: User) -> Providers:
    found = getattr(gen, "_providers", None)
    if found is None:
        found = Providers(gen, recorded_by)
        gen._providers = found  # type: ignore[attr-defined]
    assert isinstance(found, Providers)
    return found


def new_placement(gen: Generation, kind: str, homes: tuple[str, ...], pool: Providers) -> Placement:
    """A placement of this 903 type: with the authority's own carers in its area, or with an
    agency or home in or near it, each from the register; never at the postcode of any of the
    child's homes, current or former (903 rule 392d), but with parents (P1), at the current
    home."""
    rng = gen.rng
    carer = f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}"
    if kind == "P1":
        return Placement(kind, "PR0", "", homes[0] if homes else "", "Mum", "IN")
    if kind in ("A5", "A6"):
        agency = pool.adoption if rng.random() < 0.78 else pool.agencies[-1]
        _, postcode = gen.places.address(rng)
        while postcode in homes:
            _, postcode = gen.places.address(rng)
        return Placement(kind, agency.code, agency.urn, postcode, carer, "IN", agency.entry)
    if kind in FOSTERING:
        own = kind in KIN or rng.random() < 0.6
        provider = pool.fostering if own else rng.choice(pool.agencies)
        out = provider.area == "OUT" and not own
        _, postcode = gen.places.out_of_area(rng) if out else gen.places.address(rng)
        while postcode in homes:
            _, postcode = gen.places.address(rng)
        return Placement(
            kind, provider.code, provider.urn, postcode, carer, provider.area, provider.entry
        )
    group = {"K2": pool.homes, "K3": pool.supported, "S1": pool.schools}[kind]
    provider = rng.choice(group)
    if provider.postcode in homes:
        provider = rng.choice([p for p in group if p.postcode not in homes] or group)
    return Placement(
        kind,
        provider.code,
        provider.urn,
        provider.postcode,
        provider.name,
        provider.area,
        provider.entry,
    )


def new_care(
    gen: Generation,
    batch: Batch,
    child: Person,
    allocation: Allocation,
    authorised: datetime.date,
    authority: Authority,
    *,
    referral: Referral | None = None,
    route: str = "",
    prompt: bool = False,
) -> Ending | None:
    """The child comes into care: a period of care whose legal statuses and placements follow
    one of the usual journeys, with the IRO, reviews, visits, plans, health and education,
    missing episodes and, from 16, leaving care. ``route`` sets the journey; ``prompt``, the
    prompt pace of an adoption (``plan_journey``). Returns how care ended, or None while it
    goes on."""
    rng, as_at = gen.rng, gen.params.as_at
    assert child.date_of_birth is not None
    start = authorised + datetime.timedelta(days=rng.randint(1, 3) if route else rng.randint(1, 5))
    if start > as_at:
        return None
    care, iros = rng.choice(authority.care), authority.reviewing
    worker, iro = rng.choice(care.workers), rng.choice(iros.workers)
    care_allocation = allocate(
        batch, child, care, worker, start, "The child came into care", ending=allocation
    )
    eighteen = birthday(child.date_of_birth, 18)
    age = (start - child.date_of_birth).days / 365.25
    journey = route or choose_journey(gen, age)
    homes = gen.homes.get(id(child), ())
    gen.adoption = None
    pool = providers(gen, care.manager)
    steps, end, reason = plan_journey(
        gen, child, start, eighteen, journey, care, homes, pool, prompt=prompt
    )
    last = min(end, as_at)
    episodes = write_episodes(gen, batch, child, worker, steps, end, reason)
    for episode in episodes:
        if episode.reason_new_episode in ("S", "P", "B"):  # a new placement
            placement_paperwork(batch, episode, worker, as_at)
    new_permanence(gen, batch, child, worker, episodes, end)
    batch.add(
        IROAllocation(
            person=child,
            iro=iro,
            start_date=start,
            end_date=end if end <= as_at else None,
            recorded_by=iro,
        )
    )
    new_reviews(gen, batch, child, iro, start, last)
    visit = start + datetime.timedelta(days=rng.randint(2, 7))
    while visit <= last:
        seen = rng.random() < 0.95
        batch.add(
            LACVisit(
                person=child,
                visit_date=visit,
                child_seen=seen,
                seen_alone=seen and rng.random() < 0.75,
                note="Settled in placement; talked about school and contact.",
                recorded_by=worker,
            )
        )
        visit += datetime.timedelta(days=rng.randint(30, 50))
    new_care_plans(gen, batch, child, worker, start, last)
    new_missing(gen, batch, child, worker, start, last)
    new_story(gen, batch, child, worker, start, last, journey)
    recording.new_notes(gen, batch, child, worker, care.manager, start, last)
    holding = care_allocation
    if end - start > datetime.timedelta(days=400) and rng.random() < 0.4:
        # A change of social worker within the team during a long period of care.
        changed = start + datetime.timedelta(days=rng.randint(200, (end - start).days - 100))
        others = [w for w in care.workers if w != worker] or [worker]
        if changed <= as_at:
            holding = allocate(
                batch, child, care, rng.choice(others), changed, "Change of social worker",
                ending=care_allocation,
                change_reason=weighted(rng, (("LEFTRL", 5), ("MANAGE", 3), ("ABSENC", 1))),
            )  # fmt: skip
    leaving_care(gen, batch, child, episodes, start, end, authority)
    if end > as_at:
        return None
    closed: datetime.date | None = end
    if end < eighteen and reason not in LEFT_FOR_GOOD:
        closed = support_after_care(gen, batch, child, holding, care, referral, end, reason)
    if closed is None:
        return None
    return holding, closed, CLOSURE_AFTER.get(reason, "RC7")


def support_after_care(
    gen: Generation,
    batch: Batch,
    child: Person,
    holding: Allocation,
    care: Staff,
    referral: Referral | None,
    end: datetime.date,
    reason: str,
) -> datetime.date | None:
    """A child under 18 who leaves care keeps their social worker while the case stays open:
    a child in need plan after a return home, support to the family after an order (adoption,
    special guardianship, child arrangements). The case closes 3 to 12 months after care
    ended, and not before the 31 March that ends the collection year care ended in: the
    SSDA903 reports the child's social worker episodes for that year, and the validator wants
    the latest open at 31 March (rule SW17STG2). Returns the day the case closes, or None if it
    is still open."""
    rng, as_at = gen.rng, gen.params.as_at
    assert holding.worker is not None
    year_end = datetime.date(end.year + (1 if end.month >= 4 else 0), 3, 31)
    closed = max(
        end + datetime.timedelta(days=rng.randint(90, 365)),
        year_end + datetime.timedelta(days=rng.randint(1, 90)),
    )
    if referral is not None and reason not in AFTER_AN_ORDER:
        cin.new_plan(
            gen, batch, child, referral, holding.worker, care.manager,
            end + datetime.timedelta(days=1), closed,
        )  # fmt: skip
    return closed if closed <= as_at else None


def choose_journey(gen: Generation, age: float) -> str:
    """The shape of a period of care, by age at entry: home again after a short stay, a
    special guardianship or child arrangements order to family, adoption for the youngest,
    long-term care, or (for teenagers) accommodation to 18."""
    rng = gen.rng
    if age < 5:
        return weighted(
            rng, (("return", 30), ("sgo", 18), ("cao", 6), ("adoption", 24), ("long-term", 22))
        )
    if age < 13:
        return weighted(rng, (("return", 40), ("sgo", 10), ("cao", 5), ("long-term", 45)))
    return weighted(rng, (("return", 40), ("long-term", 25), ("teen", 35)))


def plan_journey(
    gen: Generation,
    child: Person,
    start: datetime.date,
    eighteen: datetime.date,
    journey: str,
    care: Staff,
    homes: tuple[str, ...],
    pool: Providers,
    *,
    prompt: bool = False,
) -> tuple[list[Step], datetime.date, str]:
    """The legal statuses and placements of a period of care, as the days they change, with
    the day it ends and why (903 REC). Statuses follow the law: an emergency protection order
    (L2) lasts 8 days at most and an interim care order (C1) follows it; an interim order
    becomes a full care order (C2) or a placement order (E1) at the final hearing, about 26
    weeks on; a child accommodated under section 20 (V2) is never placed with parents (903
    rule 378); adoption ends only a placement for adoption (A5/A6, rule 390). An adoption at
    the ``prompt`` pace (one of the authority's adoptions due, ``core.ADOPTIONS_DUE``) has its
    decision 20 to 40 days into the interim order, the final hearing 150 to 180 days in and the
    move to adopters 60 to 80 days after it."""
    rng = gen.rng
    days = datetime.timedelta

    def hearing(day: datetime.date) -> datetime.date:
        return day + days(days=rng.randint(150, 320))

    def born_years(day: datetime.date) -> float:
        assert child.date_of_birth is not None
        return (day - child.date_of_birth).days / 365.25

    def foster_kind(day: datetime.date) -> str:
        if journey in ("sgo", "cao") or rng.random() < 0.15:
            return "U3"
        if journey == "adoption" and rng.random() < 0.25:
            return "U5"
        return "U6"

    def kind_for(day: datetime.date) -> str:
        age = born_years(day)
        if journey in ("teen", "long-term", "uasc", "return") and age >= 12:
            pairs = [("U6", 55.0), ("K2", 30.0 if journey != "uasc" else 5.0), ("S1", 3.0)]
            if age >= 16:
                pairs.append(("K3", 40.0))
            return valid_on(rng, pairs, CodeListName.PLACEMENT_TYPE, day)
        return foster_kind(day)

    legal: list[tuple[datetime.date, str]] = []
    placed: list[tuple[datetime.date, str]] = []  # planned placement types (same carer: "=X")
    first = kind_for(start)
    placed.append((start, first))
    if journey in ("return", "teen", "uasc"):
        legal.append((start, "V2" if journey != "return" or rng.random() < 0.7 else "C1"))
        length = rng.randint(20, 400) if journey == "return" else rng.randint(200, 2400)
        end = start + days(days=length)
        reason = weighted(rng, RETURNED_HOME)
        if journey == "uasc":
            end = eighteen
    else:
        emergency = rng.random() < 0.12
        interim = start
        if emergency:
            legal.append((start, "L2"))
            interim = start + days(days=rng.randint(3, 8))
        elif journey == "long-term" and rng.random() < 0.4:
            legal.append((start, "V2"))
            interim = start + days(days=rng.randint(40, 300))
        legal.append((interim, "C1"))
        final = hearing(interim)
        if journey == "sgo":
            end = final
            to_carers = rng.random() < 0.5
            kin = placed[-1][1] in KIN
            # E45-E48 from 2018-19: to the former foster carers (relatives E45, others E46) or
            # to other carers (relatives E47, others E48); before, E43 and E44.
            pairs: tuple[tuple[str, float], ...]
            if to_carers:
                pairs = (("E45", 1), ("E43", 1)) if kin else (("E46", 1), ("E43", 1))
            else:
                pairs = (("E47", 4), ("E48", 1), ("E44", 5))
            reason = valid_on(rng, pairs, CodeListName.REASON_EPISODE_CEASED, final)
        elif journey == "cao":
            end, reason = final, "E41"
        elif journey == "adoption":
            if prompt:
                final = interim + days(days=rng.randint(150, 180))
            legal.append((final, "E1"))
            moved = final + days(days=rng.randint(60, 80) if prompt else rng.randint(60, 240))
            # The agency decision maker's decision comes before the placement order; the match
            # before the move.
            latest = 40 if prompt else max(21, (final - interim).days - 10)
            gen.adoption = (
                interim + days(days=rng.randint(20, latest)),
                moved - days(days=rng.randint(7, 60)),
            )
            same = placed[-1][1] == "U5"
            placed.append((moved, "=A5" if same else "A6"))
            end = moved + days(days=rng.randint(120, 400))
            reason = weighted(rng, ADOPTED)
        else:
            legal.append((final, "C2"))
            if born_years(final) < 15 and rng.random() < 0.12:
                home_from = final + days(days=rng.randint(30, 200))
                placed.append((home_from, "P1"))  # placed with parents under the care order
                end = home_from + days(days=rng.randint(180, 500))
                reason = "E4A"
            else:
                end = eighteen
                reason = ""
                if born_years(final) < 14 and rng.random() < 0.5:
                    # Matched with long-term foster carers: the same carer, now long term.
                    matched = final + days(days=rng.randint(60, 300))
                    if placed[-1][1] in ("U3", "U6"):
                        placed.append((matched, "=" + MATCHED[placed[-1][1]]))
    end = min(end, eighteen)
    if end == eighteen:
        reason = weighted(rng, AT_EIGHTEEN)
    # Moves between carers, more in the first year; some teams' children move more often.
    moves: list[tuple[datetime.date, str]] = []
    day = start
    while True:
        rate = (0.8 if (day - start).days < 365 else 0.28) * care.lateness
        day = day + days(days=max(21, round(rng.expovariate(rate) * 365)))
        if day >= end - days(days=14):
            break
        if any(abs((day - d).days) < 14 for d, _ in legal + placed):
            continue
        current = [k for d, k in sorted(placed + moves) if d <= day][-1].lstrip("=")
        if current in ("P1", "A5", "A6"):
            continue
        # A teenager whose placement breaks down may move to a children's home.
        moves.append((day, kind_for(day) if born_years(day) >= 12 else foster_kind(day)))
    steps: dict[datetime.date, Step] = {}
    for day, code in legal:
        steps.setdefault(day, Step(day)).legal = code
    current_kind = ""
    for day, code in sorted(placed + moves):
        same = code.startswith("=")
        kind = code.lstrip("=")
        if same and kind in MATCHED.values():
            # Matched as long-term carers: only if still with those carers, not moved since.
            if current_kind not in MATCHED:
                continue
            kind = MATCHED[current_kind]
        elif same and current_kind not in FOSTERING:
            same, kind = False, "A6"  # no foster carer to adopt: placed with adopters (A6)
        if same and kind == current_kind:
            continue  # already of this type with this carer: nothing changes
        if kind == current_kind and not same:
            kind = {"U6": "U4", "U4": "U6"}.get(kind, kind)  # another carer of the same kind
        step = steps.setdefault(day, Step(day))
        step.same_carer = same
        step.placement = Placement(kind, "", "", "", "", "")  # filled in below
        current_kind = kind
    ordered = [steps[d] for d in sorted(steps)]
    placement: Placement | None = None
    for step in ordered:
        if step.placement is None:
            continue
        kind = step.placement.kind
        if step.same_carer and placement is not None:
            entry = placement.entry
            if kind == "A5":  # now with an adoption agency: the authority's (RAA) or a charity
                agency = pool.adoption if placement.provider == "PR1" else pool.agencies[-1]
                entry = agency.entry
            step.placement = Placement(
                kind,
                entry.provider_type if entry else placement.provider,
                entry.ofsted_urn if entry else placement.urn,
                placement.postcode,
                placement.carer,
                placement.area,
                entry,
            )
            step.why_moved = "CARPL"  # the care plan carried out with the same carer
        else:
            step.placement = new_placement(gen, kind, homes, pool)
            while (
                placement is not None
                and step.placement.urn == placement.urn != ""
                and step.placement.postcode == placement.postcode
            ):
                step.placement = new_placement(gen, kind, homes, pool)  # a different home
            if placement is not None:
                step.why_moved = (
                    "CARPL" if kind in ("P1", "A6") else weighted(rng, PLACEMENT_CHANGES)
                )
        placement = step.placement
    return ordered, end, reason


def write_episodes(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    steps: list[Step],
    end: datetime.date,
    reason: str,
) -> list[Episode]:
    """The 903 episodes of the period: a new one on each day of change, with the reason for
    it (S, then L for the legal status only, P or T for the placement only, B or U for both)
    and the one before ending X1 with its reason for the placement change."""
    as_at = gen.params.as_at
    episodes: list[Episode] = []
    legal, placement = "", None
    for i, step in enumerate(steps):
        if step.day >= end or step.day > as_at:
            break
        if not episodes:
            rne = "S"
        elif step.legal and step.placement is not None:
            rne = "U" if step.same_carer else "B"
        elif step.legal:
            rne = "L"
        else:
            rne = "T" if step.same_carer else "P"
        legal = step.legal or legal
        placement = step.placement or placement
        assert placement is not None
        if episodes:
            previous = episodes[-1]
            previous.end_date = step.day
            previous.reason_episode_ceased = "X1"
            moved = step.placement is not None
            previous.reason_place_change = step.why_moved if moved else ""
        nxt = steps[i + 1].day if i + 1 < len(steps) else None
        finish = end if nxt is None or nxt >= end else None
        episode = Episode(
            person=child,
            start_date=step.day,
            reason_new_episode=rne,
            legal_status=legal,
            placement_type=placement.kind,
            placement_provider=placement.provider,
            placement_postcode=placement.postcode,
            ofsted_urn="" if placement.kind in NO_URN else placement.urn,
            provider=placement.entry,
            carer_name=placement.carer,
            area=placement.area,
            intended_until_18=placement.kind in ("U1", "U4"),
            end_date=finish if finish is not None and finish <= as_at else None,
            reason_episode_ceased=reason if finish is not None and finish <= as_at else "",
            recorded_by=worker,
        )
        batch.add(episode)
        episodes.append(episode)
    return episodes


def new_care_plans(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    start: datetime.date,
    last: datetime.date,
) -> None:
    """The care plan, health assessments, dental checks and personal education plans of a
    period of care, mostly within their timescales and some late by days or weeks (IHAs
    are often late nationally)."""
    rng = gen.rng
    assert child.date_of_birth is not None
    day = gen.late_by(gen.working_days(start, rng.randint(1, 10)), 0.1, 10)
    while day <= last:
        batch.add(
            CarePlan(
                person=child,
                plan_date=day,
                permanence_plan=weighted(
                    rng,
                    (("return-home", 3), ("long-term-fostering", 4), ("adoption", 1)),
                ),
                plan_summary="Stay with the current carers while the plan is assessed.",
                placement_plan="The carers take the child to school and to family time.",
                child_views="Likes the carers; wants more time with their brother.",
                recorded_by=worker,
            )
        )
        day += datetime.timedelta(days=rng.randint(150, 200))
    day = gen.late_by(gen.working_days(start, rng.randint(8, 20)), 0.3, 25)
    kind = "iha"
    while day <= last:
        batch.add(
            HealthRecord(
                person=child,
                kind=kind,
                event_date=day,
                immunisations_up_to_date=rng.random() < 0.9,
                health_plan="Continue with the GP; dental check booked.",
                recorded_by=worker,
            )
        )
        dental = day + datetime.timedelta(days=rng.randint(20, 60))
        if dental <= last:
            batch.add(
                HealthRecord(person=child, kind="dental", event_date=dental, recorded_by=worker)
            )
        batch.add(
            HealthRecord(
                person=child,
                kind="immunisations",
                event_date=day,
                immunisations_up_to_date=rng.random() < 0.86,
                recorded_by=worker,
            )
        )
        age = (day - child.date_of_birth).days / 365.25
        if age < 5 and rng.random() < 0.9:  # development checks of the under-5s (OC2)
            batch.add(
                HealthRecord(person=child, kind="development", event_date=day, recorded_by=worker)
            )
        if age >= 11 and rng.random() < 0.08:
            received = rng.random() < 0.6
            batch.add(
                HealthRecord(
                    person=child,
                    kind="substance-misuse",
                    event_date=day,
                    substance_misuse=True,
                    intervention_received=received,
                    intervention_offered=None if received else rng.random() < 0.7,
                    notes="Cannabis use most days; referred to the young people's service.",
                    recorded_by=worker,
                )
            )
        convicted = day + datetime.timedelta(days=rng.randint(10, 120))
        if age >= 10 and rng.random() < 0.03 and convicted <= last:
            batch.add(
                HealthRecord(
                    person=child,
                    kind="conviction",
                    event_date=convicted,
                    notes="Theft from a shop; a referral order.",
                    recorded_by=worker,
                )
            )
        months = 6 if years_before(day, 5) < child.date_of_birth else 12
        due = add_calendar_months(day, months)
        day = gen.late_by(due - datetime.timedelta(days=rng.randint(0, 25)), 0.15, 15)
        kind = "rha"
    new_sdqs(gen, batch, child, worker, start, last)
    if years_before(last, 4) >= child.date_of_birth:
        day = gen.late_by(gen.working_days(start, rng.randint(5, 20)), 0.15, 15)
        school = f"{rng.choice(('Oak', 'Hill', 'Park', 'St Anne'))} Primary School"
        while day <= last:
            batch.add(
                PersonalEducationPlan(
                    person=child,
                    pep_date=day,
                    school=school,
                    virtual_school_contact="Virtual school caseworker",
                    quality=weighted(
                        rng, (("good", 6), ("requires-improvement", 3), ("inadequate", 1))
                    ),
                    attainment="Making expected progress in reading; support in maths.",
                    child_views="Likes art and wants help with maths.",
                    recorded_by=worker,
                )
            )
            due = add_calendar_months(day, 4)
            day = gen.late_by(due - datetime.timedelta(days=rng.randint(0, 20)), 0.15, 15)
    sixteen = birthday(child.date_of_birth, 16)
    if sixteen <= last:
        # Eligible at 16 after 13 weeks in care: the plan within 3 months, then 6-monthly.
        eligible = max(sixteen, start + datetime.timedelta(weeks=13))
        day = gen.late_by(eligible + datetime.timedelta(days=rng.randint(20, 85)), 0.15, 15)
        kind = "plan"
        while day <= last:
            batch.add(
                PathwayPlan(
                    person=child,
                    kind=kind,
                    plan_date=day,
                    summary="Staying put with the carers; college place for September.",
                    young_person_views="Wants to learn to cook and manage money.",
                    recorded_by=worker,
                )
            )
            due = add_calendar_months(day, 6)
            day = gen.late_by(due - datetime.timedelta(days=rng.randint(0, 25)), 0.15, 15)
            kind = "review"


def new_sdqs(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    start: datetime.date,
    last: datetime.date,
) -> None:
    """A strengths and difficulties questionnaire each year the child is looked after, sent
    to the carers between October and February, so that every collection year of care holds
    one (903 OC2: the score, or why there is none, for a child looked after 12 months at 31
    March; rule 197B) however late the health assessments run. England: 78% of children
    have a score. Outside 4 to 16 the reason says there is none (SDQ1)."""
    rng = gen.rng
    assert child.date_of_birth is not None
    for year_end in range(start.year, last.year + 2):
        day = datetime.date(year_end - 1, 10, 1) + datetime.timedelta(days=rng.randint(0, 150))
        if not start <= day <= last:
            continue
        age = (day - child.date_of_birth).days / 365.25
        if age < 3:
            continue
        if age < 4 or age >= 17:
            batch.add(
                HealthRecord(
                    person=child, kind="sdq", event_date=day, sdq_reason="SDQ1", recorded_by=worker
                )
            )
            continue
        scored = rng.random() < 0.8
        batch.add(
            HealthRecord(
                person=child,
                kind="sdq",
                event_date=day,
                sdq_score=min(40, max(0, round(rng.gauss(14.9, 6.5)))) if scored else None,
                sdq_reason=""
                if scored
                else weighted(rng, (("SDQ2", 3), ("SDQ3", 1), ("SDQ4", 3), ("SDQ5", 3))),
                recorded_by=worker,
            )
        )


def participation(gen: Generation, child: Person, day: datetime.date) -> str:
    """How the child took part in a review (903 REVIEW_CODE): PN0 up to the fourth birthday,
    PN1-PN7 from it (903 rules 440, 441)."""
    assert child.date_of_birth is not None
    if day <= birthday(child.date_of_birth, 4):
        return "PN0"
    return weighted(
        gen.rng,
        (("PN1", 50), ("PN2", 5), ("PN3", 8), ("PN4", 3), ("PN5", 6), ("PN6", 20), ("PN7", 8)),
    )


def new_reviews(
    gen: Generation,
    batch: Batch,
    child: Person,
    iro: User,
    start: datetime.date,
    last: datetime.date,
) -> None:
    """Reviews at 20 working days, 3 months and then 6-monthly (CPPCR reg 33), each with two or
    three SMART recommendations."""
    rng, as_at = gen.rng, gen.params.as_at
    review = gen.working_days(start, rng.randint(12, 20))
    gap = 91
    while review <= last:
        code = participation(gen, child, review)
        row = LACReview(
            person=child,
            review_date=review,
            chair=iro,
            participation=code,
            child_attended=(rng.random() < 0.3) if code == "PN0" else None,
            child_views="Wants to see mum more often." if code != "PN7" else "",
            child_views_not_obtained="Did not want to take part." if code == "PN7" else "",
            iro_view_of_plan="The plan meets the child's needs; permanence to be confirmed.",
            minutes_completed_on=min(as_at, review + datetime.timedelta(days=15)),
            recorded_by=iro,
        )
        batch.add(row)
        for what, who in rng.sample(RECOMMENDATIONS, rng.randint(2, 3)):
            batch.add(
                ReviewRecommendation(
                    review=row,
                    what=what,
                    who=who,
                    by_when=review + datetime.timedelta(days=rng.randint(14, 90)),
                    how_we_will_know="Reported at the next review.",
                )
            )
        review += datetime.timedelta(days=gap + rng.randint(-20, 10))
        gap = 182


def new_missing(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    start: datetime.date,
    last: datetime.date,
) -> None:
    """Times missing from care (M) or away without authorisation (A), mostly of children of 11
    and over, each within the period of care, with a return interview offered after going
    missing."""
    rng = gen.rng
    assert child.date_of_birth is not None
    eleven = birthday(child.date_of_birth, 11)
    first = max(start, eleven)
    if first >= last or rng.random() > 0.3:
        return
    day = first
    for _ in range(min(12, 1 + int(rng.expovariate(0.4)))):
        day = day + datetime.timedelta(days=rng.randint(5, 200))
        if day >= last:
            break
        kind = weighted(rng, (("M", 7), ("A", 3)))
        back = day + datetime.timedelta(days=weighted(rng, ((0, 5), (1, 4), (2, 2), (5, 1))))
        if last < gen.params.as_at and back >= last:
            # Back before care ended: a child missing on the day care ends leaves care for
            # that reason (E8, 903 rule 580), which the journeys do not write.
            back = max(day, last - datetime.timedelta(days=1))
        open_now = back > last
        offered = kind == "M" and not open_now and rng.random() < 0.9
        batch.add(
            MissingEpisode(
                person=child,
                missing_type=kind,
                start_date=day,
                end_date=None if open_now else back,
                return_interview_offered=offered if kind == "M" and not open_now else None,
                return_interview_accepted=(rng.random() < 0.6) if offered else None,
                notes="Found with friends in the town centre.",
                recorded_by=worker,
            )
        )
        if open_now:
            break
        day = back


def new_story(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    start: datetime.date,
    last: datetime.date,
    journey: str,
) -> None:
    """The child's pen picture (one, kept up to date) and significant events other agencies
    told us about."""
    rng = gen.rng
    if getattr(child, "_pen_picture", False):
        return
    child._pen_picture = True  # type: ignore[attr-defined]
    batch.add(
        PenPicture(
            person=child,
            who_they_are=f"{child.given_name} is funny, loves football and drawing, and is "
            "close to their brother.",
            what_matters="Seeing mum and their brother; staying at the same school.",
            story_so_far="Came into care after neglect at home; settled with the carers.",
            big_decisions={
                "adoption": "The court agreed that adoption is the only way to permanence.",
                "sgo": "Grandma was assessed and will care for them under an order.",
                "uasc": "Arrived alone; the age assessment accepted the age given.",
            }.get(journey, "Care continues while the plan for permanence is made."),
            updated_by=worker,
        )
    )
    for _ in range(rng.choice((0, 0, 1, 2))):
        agency, what, why = rng.choice(AGENCY_EVENTS)
        batch.add(
            AgencyEvent(
                person=child,
                event_date=gen.random_dob(start, last),
                agency=agency,
                what_happened=what,
                why_it_matters=why,
                recorded_by=worker,
            )
        )


def eligible(child: Person, start: datetime.date, end: datetime.date) -> bool:
    """Whether the period of care makes the child an eligible child (Care Leavers Regulations,
    reg 40): 13 weeks looked after from 14, still looked after after turning 16."""
    assert child.date_of_birth is not None
    fourteen = birthday(child.date_of_birth, 14)
    sixteen = birthday(child.date_of_birth, 16)
    from_14 = (end - max(start, fourteen)).days
    return from_14 >= 91 and end > sixteen


def leaving_care(
    gen: Generation,
    batch: Batch,
    child: Person,
    episodes: list[Episode],
    start: datetime.date,
    end: datetime.date,
    authority: Authority,
) -> None:
    """A young person eligible for leaving care support: a personal adviser from 16, the
    leaving care team's allocation once care ends, and the keeping-in-touch contact around
    each birthday from 17 to 21 after leaving care (903 OC3: at 17 and 18 only if they left
    before the birthday)."""
    rng, as_at = gen.rng, gen.params.as_at
    assert child.date_of_birth is not None
    if not episodes or not eligible(child, start, end):
        return
    sixteen = birthday(child.date_of_birth, 16)
    twenty_one = birthday(child.date_of_birth, 21)
    team = authority.leaving_care
    adviser = rng.choice(team.workers)
    appointed = max(start, sixteen) + datetime.timedelta(days=rng.randint(10, 60))
    if appointed > as_at:
        return
    batch.add(
        PersonalAdviser(
            person=child,
            name=adviser.get_full_name(),
            start_date=appointed,
            end_date=twenty_one if twenty_one <= as_at else None,
            recorded_by=adviser,
        )
    )
    if end > as_at or episodes[-1].reason_episode_ceased in ("E2", "E3"):
        return
    moved_on = end + datetime.timedelta(days=1)
    if end >= birthday(child.date_of_birth, 18):
        # An adult care leaver's case moves to the leaving care team (a younger one who went
        # home stays with whoever holds their case, with the personal adviser beside).
        # Handed over on the day care ends: the SSDA903's social worker episodes then run on
        # from the period of care (its rule SW12STG2 wants none that begins after care ends).
        allocation = allocate(
            batch, child, team, adviser, end, "Leaving care: personal adviser",
            change_reason="TSPROC",
        )  # fmt: skip
        allocation.end_date = twenty_one if twenty_one <= as_at else None
    staying_put = episodes[-1].reason_episode_ceased == "E17"
    for age in (17, 18, 19, 20, 21):
        turns = birthday(child.date_of_birth, age)
        if turns <= end or turns > as_at:
            continue
        day = turns + datetime.timedelta(days=rng.randint(-60, 25))
        day = min(max(day, moved_on), as_at)
        new_keeping_in_touch(gen, batch, child, adviser, day, age, staying_put)


def new_keeping_in_touch(
    gen: Generation,
    batch: Batch,
    child: Person,
    adviser: User,
    day: datetime.date,
    age: int,
    staying_put: bool,
) -> None:
    """A contact around the birthday (903 OC3): in touch (England: 4% not), and then where the
    young person lives (89-91% suitable) and what they do (54-64% in education, employment
    or training), in the codes of the year."""
    rng = gen.rng
    in_touch = weighted(rng, (("YES", 90), ("NO", 4), ("REFU", 2), ("NREQ", 3), ("RHOM", 1)))
    accommodation, suitable, activity = "", None, ""
    if in_touch == "YES":
        homes = [("D", 20.0), ("E", 8.0), ("U", 25.0), ("B", 12.0), ("K", 4.0), ("S", 1.0)]
        homes += [("X", 2.0), ("V", 1.0), ("W", 0.5), ("Y", 2.0)]
        if age >= 18:
            homes += [("Z", 25.0 if staying_put else 3.0), ("T", 3.0)]
        accommodation = weighted(rng, homes)
        suitable = accommodation not in ("S", "V", "W", "X") and rng.random() < 0.96
        eet = rng.random() < (0.62 if age < 19 else 0.54)
        working = (
            *(("F1", 3), ("P1", 1), ("F2", 8), ("P2", 2), ("F4", 2), ("P4", 1)),
            *(("F5", 4), ("P5", 3), ("F3", 4), ("P3", 2)),
        )
        idle = (("G4", 2), ("G5", 6), ("G6", 2))
        activity = valid_on(rng, working if eet else idle, CodeListName.CARE_LEAVER_ACTIVITY, day)
    batch.add(
        CareLeaverContact(
            person=child,
            contact_date=day,
            in_touch=in_touch,
            accommodation=accommodation,
            accommodation_suitable=suitable,
            activity=activity,
            staying_put=staying_put and accommodation == "Z",
            notes="Birthday contact with the personal adviser.",
            recorded_by=adviser,
        )
    )


def new_uasc_details(
    gen: Generation,
    batch: Batch,
    child: Person,
    arrived: datetime.date,
    worker: User,
    *,
    adult: bool,
) -> None:
    """What is known of an unaccompanied asylum-seeking child: arrival, the National Transfer
    Scheme, the age assessment and, once they turn 18 (or are found to be adults), the day
    they stopped being UASC (903 DUC)."""
    rng, as_at = gen.rng, gen.params.as_at
    assert child.date_of_birth is not None
    assessed = arrived + datetime.timedelta(days=rng.randint(10, 60))
    ceased = assessed if adult else birthday(child.date_of_birth, 18)
    batch.add(
        UASCDetails(
            person=child,
            arrived_on=arrived,
            national_transfer_scheme=rng.random() < 0.6,
            age_assessment_on=assessed if assessed <= as_at and rng.random() < 0.5 else None,
            age_assessment_outcome=(
                "Assessed as over 18." if adult else "The age given was accepted."
            ),
            ceased_on=ceased if ceased <= as_at else None,
            updated_by=worker,
        )
    )


def new_permanence(
    gen: Generation,
    batch: Batch,
    child: Person,
    worker: User,
    episodes: list[Episode],
    end: datetime.date,
) -> None:
    """What the 903's permanence tables hold for the period: whether the child had left care
    under an order before (PrevPerm, for every period), the decision that the child should be
    placed for adoption with the match that followed (PlacedAdoption, AD1), and a deprivation
    of liberty order for some children in a children's home (DoLo)."""
    rng, as_at = gen.rng, gen.params.as_at
    if not episodes:
        return
    first = episodes[0]
    assert child.date_of_birth is not None
    option = weighted(rng, PREVIOUS_PERMANENCE)
    ordered_on = first.start_date - datetime.timedelta(days=rng.randint(400, 2500))
    if option not in ("Z1", "P4") and ordered_on.year <= child.date_of_birth.year:
        option = "Z1"  # too young to have left care under an order and come back since
    known = option not in ("Z1", "P4")
    part = rng.random()
    previous = PreviousPermanence(
        person=child,
        episode=first,
        option=option,
        arranged_by=(gen.la_number if rng.random() < 0.7 else "341") if known else "",
        order_year=ordered_on.year if known else None,
        order_month=ordered_on.month if known and part < 0.8 else None,
        order_day=ordered_on.day if known and part < 0.5 else None,
        recorded_by=worker,
    )
    # One row a child, for their latest period of care: the SSD carries a child's previous
    # permanence without saying which period it is for, and its import keeps it for the
    # latest. A later period's row takes the place of an earlier one's (a child's periods of
    # care are all in the one batch of their chunk).
    rows = batch.rows.setdefault(PreviousPermanence, [])
    earlier = next(
        (i for i, r in enumerate(rows) if isinstance(r, PreviousPermanence) and r.person is child),
        None,
    )
    if earlier is None:
        rows.append(previous)
    else:
        rows[earlier] = previous
    adoption = getattr(gen, "adoption", None)
    if adoption is not None:
        decided, matched = adoption
        if decided <= as_at:
            placed = next((e for e in episodes if e.placement_type in ("A5", "A6")), None)
            matched_yet = placed is not None and matched <= as_at
            sex, status = weighted(rng, ADOPTERS) if matched_yet else ("", "")
            by_carers = placed.placement_type == "A5" if placed is not None else None
            batch.add(
                AdoptionDecision(
                    person=child,
                    decided_on=decided,
                    decided_by="Agency decision maker, regional adoption agency",
                    matched_on=matched if matched_yet else None,
                    adopters_sex=sex,
                    adopters_legal_status=status,
                    adopted_by_foster_carers=by_carers if matched_yet else None,
                    recorded_by=worker,
                )
            )
    for episode in episodes:
        if episode.placement_type == "K2" and rng.random() < 0.2:
            start = episode.start_date + datetime.timedelta(days=rng.randint(5, 40))
            stop = start + datetime.timedelta(days=rng.randint(60, 300))
            last = min(end, episode.end_date or end)
            if start < last and start <= as_at:
                stop = min(stop, last)
                batch.add(
                    DeprivationOfLibertyOrder(
                        person=child,
                        start_date=start,
                        end_date=stop if stop <= as_at else None,
                        notes="Restrictions on leaving the home, authorised by the High Court.",
                        recorded_by=worker,
                    )
                )
