"""The front door and what follows a referral: contacts and their decisions, early help,
referrals with their allocations, and the path each takes (assessment, then a child in need
plan, child protection or care) until it closes.

Volumes scale with the number of children and years, calibrated on a city with 50,000
children on record over 10 years: about 70,000 contacts and 8,000 referrals a year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseline.apps.accounts.models import User
from caseline.apps.codes.lists import CodeListName, code_list, collection_year
from caseline.apps.frontdoor.models import (
    Contact,
    ContactPerson,
    EarlyHelpEpisode,
    Referral,
    StepChange,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.protection.models import ProtectionHistory
from caseline.apps.synthetic import names
from caseline.apps.synthetic.generator import (
    assessments,
    cin,
    lookedafter,
    protection,
    recording,
    staff,
)
from caseline.apps.synthetic.generator.core import (
    Batch,
    Generation,
    poisson,
    valid_on,
    weighted,
    years_before,
)
from caseline.apps.synthetic.generator.families import Family
from caseline.apps.synthetic.generator.staff import Authority, Staff

# Calibration: per child on record, per year.
CONTACTS_PER_CHILD_YEAR = 70_000 / 50_000
REFERRALS_PER_CHILD_YEAR = 8_000 / 50_000
NEED_MEAN = 1 - 1 / 7  # the mean of min(Pareto(2) - 1, 6)

CONTACT_SOURCES = (
    ("6", 28),
    ("2A", 18),
    ("3A", 3),
    ("3B", 4),
    ("3D", 3),
    ("3E", 4),
    ("1A", 6),
    ("1B", 2),
    ("1C", 1),
    ("5A", 4),
    ("5D", 5),
    ("4", 3),
    ("7", 2),
    ("8", 4),
    ("9", 3),
    ("10", 2),
)
PRIMARY_NEEDS = (
    ("N1", 52),
    ("N2", 4),
    ("N3", 5),
    ("N4", 14),
    ("N5", 12),
    ("N6", 3),
    ("N7", 1),
    ("N8", 3),
    ("N9", 4),
    ("N0", 2),
)
# The needs a child who goes on to a plan or into care has: not "not stated" (N0) or "cases
# other than children in need" (N9), and for a child looked after only the SSDA903's
# categories of need N1-N8 (903 rule 145).
NEEDS_WITH_SERVICES = tuple(pair for pair in PRIMARY_NEEDS if pair[0] not in ("N0", "N9"))
# Closing a case after assessment with a referral to early help is RC9 from 2022-23
# (cin_closure_reason.csv); before then it was RC8, closed with no further action.
STEP_DOWN = "RC9"
CONCERNS = (
    "Police attended a domestic incident at the home overnight; the children were present.",
    "School report the child arrived hungry and in the same clothes for several days.",
    "Health visitor is worried about the home conditions and the baby's weight.",
    "The child told a teacher that mum's partner hits her when he is angry.",
    "Neighbour reports the children are left alone in the evenings.",
    "A&E saw the child with a bruise that does not fit the explanation given.",
    "Mum asked for help: she is struggling with her mental health and the children's behaviour.",
    "The young person has been missing from home three times this month.",
    "Concerns the young person is being exploited by older males in the area.",
    "Dad has relapsed into drug use and is the children's main carer.",
)


def build_casework(
    gen: Generation, batch: Batch, family: Family, authority: Authority, scale: float
) -> None:
    for child in family.children:
        if family.arrived is not None:
            build_uasc_history(gen, batch, child, family, authority, family.arrived)
        else:
            build_child_history(gen, batch, child, family, authority, scale)


@dataclass
class History:
    """What the front door knows of a child from their earlier referrals."""

    busy_until: datetime.date | None = None
    last_closed: datetime.date = datetime.date.min
    plans: int = 0  # child protection plans so far
    # The day the child's latest early help ends (date.max while it is open): no other
    # episode begins before it (one early help episode is open at a time).
    helped_until: datetime.date = datetime.date.min

    def helped(self, day: datetime.date) -> bool:
        """Whether the child has early help open on ``day`` (ending later than it)."""
        return day < self.helped_until

    def help_given(self, episode: EarlyHelpEpisode) -> None:
        self.helped_until = episode.end_date or datetime.date.max


def build_child_history(
    gen: Generation, batch: Batch, child: Person, family: Family, authority: Authority, scale: float
) -> None:
    rng = gen.rng
    span = gen.window(child)
    if span is None:
        return
    first, last = span
    years = (last - first).days / 365.25
    need = min(rng.paretovariate(2.0) - 1, 6.0) / NEED_MEAN  # mean 1, a long tail
    count = poisson(rng, need * scale * years)
    dates = sorted(gen.random_dob(first, last) for _ in range(count))
    forced: list[datetime.date] = []
    journey = ""
    referred = adoption_due(gen, child, first)
    if referred is not None:
        # One of the adoptions every authority has (core.ADOPTIONS_DUE): a young child with
        # no earlier casework, referred once and adopted from care.
        dates, forced, journey = [], [referred], "adoption"
    history = History()
    fd = authority.front_door
    assessment_staff = authority.assessment[family.area % len(authority.assessment)]
    cin_staff = authority.cin[family.area % len(authority.cin)]
    while dates or forced:
        if forced and (not dates or forced[0] <= dates[0]):
            day, force_referral = forced.pop(0), True
        else:
            day, force_referral = dates.pop(0), False
        if day > last:  # the as-at date, or the 18th birthday: no referrals of adults
            continue
        contact = new_contact(gen, batch, child, family, day, fd)
        open_case = history.busy_until is not None and day <= history.busy_until
        recent = (day - history.last_closed).days < 366
        if open_case:
            decision = "advice"
        elif journey:
            decision = "referral"
        elif force_referral or rng.random() < (0.06 if recent else 0.21):
            # A child who has been on a plan is more often the subject of a strategy discussion.
            strategy = 0.45 if history.plans else 0.22
            decision = "strategy" if rng.random() < strategy else "referral"
        else:
            # Early help is not offered again while the child has it.
            help_offered = 0 if history.helped(day) else 25
            decision = weighted(rng, (("nfa", 40), ("advice", 35), ("early-help", help_offered)))
        decided = decide(gen, contact, decision, fd)
        if decided is None:
            continue
        if decision == "early-help":
            history.help_given(
                new_early_help(
                    gen, batch, child, decided, fd.workers[0], "Family support after a contact"
                )
            )
        if decision in ("referral", "strategy"):
            closed, follow_up = new_referral(
                gen,
                batch,
                child,
                contact,
                decided,
                assessment_staff,
                cin_staff,
                authority,
                history,
                journey=journey,
            )
            history.busy_until = closed or datetime.date.max
            history.last_closed = history.busy_until
            if batch.last(Referral).closure_reason == "RC1":
                break  # adopted: the child's life goes on under a new record
            if follow_up is not None and follow_up <= gen.params.as_at:
                forced.append(follow_up)
                forced.sort()


# How long before the as-at date a child given one of ADOPTIONS_DUE is referred: care starts
# 10 to 66 days later, the decision 20 to 48 days after that, the final hearing (placement
# order) 150 to 188 and the move to adopters 60 to 80 days after it
# (lookedafter.plan_journey, prompt).
ADOPTION_REFERRED_DAYS_BEFORE = {"placed": 360, "waiting": 200}


def adoption_due(gen: Generation, child: Person, first: datetime.date) -> datetime.date | None:
    """The day this child is referred, if they take the next of the authority's adoptions
    due (``gen.adoptions_due``): a child of two weeks to two years old that day, in the
    period covered (``first``, the start of the child's window). None otherwise."""
    if not gen.adoptions_due or child.date_of_birth is None:
        return None
    days = ADOPTION_REFERRED_DAYS_BEFORE[gen.adoptions_due[0]]
    referred = gen.params.as_at - datetime.timedelta(days=days)
    if referred < first or not 14 <= (referred - child.date_of_birth).days <= 730:
        return None
    gen.adoptions_due.pop(0)
    return referred


def build_uasc_history(
    gen: Generation,
    batch: Batch,
    child: Person,
    family: Family,
    authority: Authority,
    arrived: datetime.date,
) -> None:
    """An unaccompanied asylum-seeking young person: referred on arrival (by the Home Office,
    source 7) and, for nine in ten, looked after from within days under section 20; the rest
    are assessed as adults, with their details kept and the case closed."""
    rng = gen.rng
    fd = authority.front_door
    assessment_staff = authority.assessment[family.area % len(authority.assessment)]
    contact = new_contact(gen, batch, child, family, arrived, fd, source="7")
    contact.concern = "An unaccompanied young person seeking asylum arrived in the area."
    decided = decide(gen, contact, "referral", fd)
    if decided is None:
        return
    worker = rng.choice(assessment_staff.workers)
    referral = Referral(
        person=child,
        referral_date=decided,
        source=contact.source,
        primary_need="N8",  # absent parenting
        contact=contact,
        opened_by=contact.decided_by,
    )
    batch.add(referral)
    allocation = staff.allocate(
        batch, child, assessment_staff, worker, decided, "New referral", change_reason="FCONTA"
    )
    looked_after = rng.random() < 0.9
    authorised = gen.working_days(decided, rng.randint(10, 40))
    assessments.new_assessment(
        gen,
        batch,
        child,
        referral,
        worker,
        assessment_staff.manager,
        decided,
        authorised,
        False,
        "looked-after" if looked_after else "nfa",
        factors=("9A",),
    )
    lookedafter.new_uasc_details(gen, batch, child, arrived, worker, adult=not looked_after)
    if not looked_after:
        if authorised <= gen.params.as_at:
            referral.primary_need = "N9"
            close(gen, referral, allocation, authorised, "RC8")
        return
    ending = lookedafter.new_care(
        gen, batch, child, allocation, decided, authority, referral=referral, route="uasc"
    )
    if ending is not None:
        close(gen, referral, *ending)


def new_contact(
    gen: Generation,
    batch: Batch,
    child: Person,
    family: Family,
    day: datetime.date,
    fd: Staff,
    *,
    source: str = "",
) -> Contact:
    rng = gen.rng
    received = gen.at(day, rng.randint(8, 18), rng.choice((0, 15, 30, 45)))
    contact = Contact(
        received_at=received,
        source=source or valid_on(rng, CONTACT_SOURCES, CodeListName.REFERRAL_SOURCE, day),
        referrer_name=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
        referrer_organisation=rng.choice(("Police", *names.SCHOOL_NAMES[:3], "Health visiting")),
        concern=rng.choice(CONCERNS),
        consent=weighted(
            rng, (("given", 6), ("not-needed", 2), ("overridden", 1), ("not-sought", 1))
        ),
        recorded_by=rng.choice(fd.workers),
    )
    batch.add(contact)
    batch.add(ContactPerson(contact=contact, person=child, role="subject"))
    if rng.random() < 0.5 and family.parents:
        batch.add(ContactPerson(contact=contact, person=family.parents[0], role="parent"))
    gen.counts["_contacts"] += 1
    return contact


def decide(gen: Generation, contact: Contact, decision: str, fd: Staff) -> datetime.date | None:
    """Set the decision (late for about one in seven); None when still awaiting one."""
    rng = gen.rng
    received: datetime.date = contact.received_at.date()
    late = rng.random() < 0.14
    day = gen.working_days(received, rng.randint(2, 6) if late else rng.choice((0, 0, 1)))
    if day > gen.params.as_at:
        return None
    contact.decision = decision
    contact.decision_rationale = {
        "nfa": "No role for children's social care; universal services are involved.",
        "advice": "Advice given to the referrer; information shared with the allocated worker.",
        "early-help": "Needs can be met by early help with the family's consent.",
        "referral": "The child may be in need: a child and family assessment is needed.",
        "strategy": "Reasonable cause to suspect significant harm: strategy discussion held.",
    }[decision]
    contact.decided_at = gen.at(day, rng.randint(9, 19))
    contact.decided_by = fd.manager if rng.random() < 0.5 else rng.choice(fd.workers)
    return day


def new_early_help(
    gen: Generation, batch: Batch, child: Person, start: datetime.date, worker: User, reason: str
) -> EarlyHelpEpisode:
    rng = gen.rng
    end = start + datetime.timedelta(days=rng.randint(60, 300))
    episode = EarlyHelpEpisode(
        person=child,
        start_date=start,
        end_date=end if end <= gen.params.as_at else None,
        reason=reason,
        end_reason="Outcomes of the family plan met." if end <= gen.params.as_at else "",
        organisation="Caseline family hub",
        lead_practitioner=f"{rng.choice(names.ADULT_NAMES_FEMALE)} {names.family_name(rng)}",
        recorded_by=worker,
    )
    batch.add(episode)
    return episode


def fit_need(gen: Generation, referral: Referral, path: str) -> None:
    """A child who goes on to services has a primary need that says why (not N0 or N9)."""
    if path not in ("nfa", "early-help") and referral.primary_need in ("N0", "N9"):
        referral.primary_need = weighted(gen.rng, NEEDS_WITH_SERVICES)


def new_referral(
    gen: Generation,
    batch: Batch,
    child: Person,
    contact: Contact,
    day: datetime.date,
    assessment_staff: Staff,
    cin_staff: Staff,
    authority: Authority,
    history: History,
    *,
    journey: str = "",
) -> tuple[datetime.date | None, datetime.date | None]:
    """A referral and what follows it; returns (closed on, a forced re-referral date). With
    a ``journey`` (one of the authority's adoptions due), the child is assessed on time and
    comes into care on that journey, at the prompt pace."""
    rng, as_at = gen.rng, gen.params.as_at
    worker = rng.choice(assessment_staff.workers)
    referral = Referral(
        person=child,
        referral_date=day,
        source=contact.source,
        primary_need=weighted(rng, PRIMARY_NEEDS),
        contact=contact,
        opened_by=contact.decided_by,
    )
    batch.add(referral)
    if not journey and rng.random() < 0.06:
        # No further action on the referral, decided at the front door that day or the next
        # (no worker is allocated).
        closed = gen.working_days(day, rng.randint(0, 1))
        if closed > as_at:
            return None, None
        return close(gen, referral, None, closed, "RC8", nfa=True)
    allocation = staff.allocate(
        batch, child, assessment_staff, worker, day, "New referral", change_reason="FCONTA"
    )
    recording.new_oversight(
        gen,
        batch,
        child,
        assessment_staff.manager,
        day + datetime.timedelta(days=rng.randint(0, 2)),
        "Allocate for a child and family assessment.",
    )
    # The assessment: most within 45 working days (England 86%), some teams later than others.
    late = not journey and rng.random() < 0.14 * assessment_staff.lateness
    duration = rng.randint(46, 95) if late else rng.randint(8, 45)
    authorised = gen.working_days(day, duration)
    # Early help the child has when referred goes on: the assessment does not step down to
    # another episode.
    help_offered = 0 if history.helped(day) else 18
    path = weighted(
        rng, (("nfa", 34), ("early-help", help_offered), ("cin-plan", 41), ("looked-after", 7))
    )
    if journey:
        path = "looked-after"
    too_old = child.date_of_birth is None or years_before(authorised, 17) > child.date_of_birth
    if path == "looked-after" and too_old:
        path = "cin-plan"  # nobody comes into care for the first time at 17 here
    enquiry = None
    if contact.decision == "strategy" and rng.random() < 0.05:
        # A child on a plan in another authority who has moved here (referred by that
        # authority's children's services, source 5C).
        contact.source = referral.source = "5C"
        enquiry = protection.new_transfer_in(gen, batch, child, referral, day, cin_staff, authority)
        # Nor is the assessment authorised, or the referral closed, before the transfer-in
        # conference (CIN census rule 8565: no activity after the case closed).
        if enquiry.completed is not None:
            authorised = max(authorised, enquiry.completed)
    elif contact.decision == "strategy":
        enquiry = protection.new_protection(
            gen, batch, child, referral, day, cin_staff, authority, assessment_staff, history.plans
        )
        # The assessment agrees with the enquiry: its outcome follows the enquiry's, and it
        # is not authorised before the enquiry is complete.
        if enquiry.path:
            path = enquiry.path
        if enquiry.completed is not None:
            authorised = max(authorised, enquiry.completed)
    fit_need(gen, referral, path)
    assessments.new_assessment(
        gen, batch, child, referral, worker, assessment_staff.manager, day, authorised, late, path
    )
    recording.new_notes(
        gen, batch, child, worker, assessment_staff.manager, day, min(authorised, as_at)
    )
    if enquiry is not None and enquiry.plan is not None:  # held by a CIN/CP team
        # Some children had plans before the record began (brought in from the system before):
        # the CIN census counts them in NumberOfPreviousCPP.
        older = years_before(day, 3) > (child.date_of_birth or day)
        if history.plans == 0 and older and rng.random() < 0.12:
            batch.add(
                ProtectionHistory(
                    person=child,
                    plans_before_caseline=weighted(rng, ((1, 4), (2, 1))),
                    source_note="Brought in from the previous case management system.",
                    recorded_by=cin_staff.manager,
                )
            )
            history.plans += 1
        history.plans += 1
        start, end, lead = enquiry.plan
        cp_allocation = staff.allocate(
            batch, child, cin_staff, lead, start, "Child protection plan", ending=allocation
        )
        recording.new_notes(gen, batch, child, lead, cin_staff.manager, start, min(end, as_at))
        if end > as_at:
            return None, None
        end = max(end, authorised)
        if enquiry.into_care and not too_old:
            ending = lookedafter.new_care(
                gen, batch, child, cp_allocation, end, authority, referral=referral
            )
            return close(gen, referral, *ending) if ending else (None, None)
        return close(gen, referral, cp_allocation, end, "RC7", rereferral=0.35)
    if authorised > as_at:
        return None, None
    if path == "looked-after":
        ending = lookedafter.new_care(
            gen, batch, child, allocation, authorised, authority, referral=referral,
            route=journey, prompt=bool(journey),
        )  # fmt: skip
        return close(gen, referral, *ending) if ending else (None, None)
    if path != "cin-plan":  # closed after the assessment
        closed = authorised + datetime.timedelta(days=rng.randint(0, 10))
        if closed > as_at:
            return None, None
        if enquiry is not None:
            # Activity (an enquiry) means the case was not closed "after assessment" (CIN
            # census rule 2990): services ceased.
            return close(gen, referral, allocation, closed, "RC7")
        step_down = path == "early-help"
        if step_down:
            episode = new_early_help(
                gen, batch, child, closed, worker, "Stepped down after assessment"
            )
            history.help_given(episode)
            batch.add(
                StepChange(
                    person=child,
                    direction="down",
                    date=closed,
                    from_referral=referral,
                    to_early_help=episode,
                    recorded_by=assessment_staff.manager,
                    rationale="Needs can be met by early help; the family agree.",
                )
            )
        closures = code_list(CodeListName.CIN_CLOSURE_REASON)
        reason = (
            STEP_DOWN
            if step_down and closures.is_valid(STEP_DOWN, collection_year(closed))
            else "RC8"
        )
        result = close(gen, referral, allocation, closed, reason)
        if step_down and rng.random() < 0.3:
            return result[0], closed + datetime.timedelta(days=rng.randint(14, 90))
        return result
    # A child in need plan, held by a children in need team.
    start = authorised + datetime.timedelta(days=rng.randint(1, 10))
    if start > as_at:
        return None, None
    cin_worker = rng.choice(cin_staff.workers)
    cin_allocation = staff.allocate(
        batch, child, cin_staff, cin_worker, start, "Transfer to the children in need team",
        ending=allocation,
    )  # fmt: skip
    end = start + datetime.timedelta(days=rng.randint(90, 540))
    cin.new_plan(gen, batch, child, referral, cin_worker, cin_staff.manager, start, end)
    recording.new_notes(gen, batch, child, cin_worker, cin_staff.manager, start, min(end, as_at))
    if end > as_at:
        return None, None
    return close(gen, referral, cin_allocation, end, "RC7")


def re_referral(gen: Generation, closed: datetime.date | None, rate: float) -> datetime.date | None:
    if closed is None or gen.rng.random() >= rate:
        return None
    return closed + datetime.timedelta(days=gen.rng.randint(30, 330))


def close(
    gen: Generation,
    referral: Referral,
    allocation: Allocation | None,
    day: datetime.date,
    reason: str,
    *,
    nfa: bool = False,
    rereferral: float = 0.28,
) -> tuple[datetime.date | None, datetime.date | None]:
    referral.closed_on = day
    referral.closure_reason = reason
    referral.nfa = nfa
    referral.closure_note = "No further action." if nfa else "Case closed."
    if allocation is not None:
        allocation.end_date = day
    return day, (re_referral(gen, day, rereferral) if not nfa else None)
