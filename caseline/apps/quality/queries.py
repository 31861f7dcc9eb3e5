"""Every read of case audits and IRO challenges, with visibility applied to children."""

from __future__ import annotations

import datetime
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from caseline.apps.accounts.models import Team, User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.people.queries import visible_among
from caseline.apps.quality.models import (
    GOOD_OR_BETTER,
    GRADE_ORDER,
    AuditAction,
    AuditAnswer,
    AuditRound,
    AuditStatus,
    AuditTool,
    CaseAudit,
    ChallengeOutcome,
    ChallengeStage,
    ChallengeStep,
    Grade,
    IROChallenge,
    Theme,
)

# --- Tools and rounds -----------------------------------------------------------------------


def current_tools() -> list[AuditTool]:
    """The latest version of each tool."""
    latest = AuditTool.objects.values("key").annotate(v=Max("version"))
    wanted = Q()
    for row in latest:
        wanted |= Q(key=row["key"], version=row["v"])
    if not latest:
        return []
    return list(AuditTool.objects.filter(wanted).order_by("title"))


def tool_versions(tool: AuditTool) -> list[AuditTool]:
    """Every version of the tool, newest first, with how many audits used each."""
    return list(
        AuditTool.objects.filter(key=tool.key)
        .annotate(audit_count=Count("audits"))
        .order_by("-version")
    )


def get_tool(tool_id: int) -> AuditTool:
    try:
        return AuditTool.objects.prefetch_related("questions").get(pk=tool_id)
    except AuditTool.DoesNotExist:
        raise Http404("No audit tool with that ID") from None


def rounds() -> list[AuditRound]:
    """Every round, newest first, with counts of its audits by status."""
    return list(
        AuditRound.objects.select_related("tool")
        .annotate(
            audit_count=Count("audits"),
            moderated_count=Count("audits", filter=Q(audits__status=AuditStatus.MODERATED)),
        )
        .order_by("-created_at", "-id")
    )


def get_round(round_id: int) -> AuditRound:
    try:
        return AuditRound.objects.select_related("tool", "created_by").get(pk=round_id)
    except AuditRound.DoesNotExist:
        raise Http404("No audit round with that ID") from None


AUDIT_ROW_RELATED = ("person", "auditor", "worker", "team", "round")


@dataclass(frozen=True)
class AuditRows:
    """Audits a page lists, and how many more are of children the viewer may not see."""

    rows: list[CaseAudit]
    hidden: int = 0


def _visible_rows(user: User, audits: Iterable[CaseAudit]) -> AuditRows:
    audits = list(audits)
    visible = visible_among(user, {a.person_id for a in audits})
    rows = [a for a in audits if a.person_id in visible]
    return AuditRows(rows, len(audits) - len(rows))


def round_audits(user: User, round_: AuditRound) -> AuditRows:
    """The round's audits, of the children the user may see."""
    return _visible_rows(
        user, round_.audits.select_related(*AUDIT_ROW_RELATED).order_by("team__name", "person_id")
    )


def my_audits(user: User) -> AuditRows:
    """Audits the user is to carry out (in progress) or moderate (awaiting moderation)."""
    to_do = CaseAudit.objects.filter(
        Q(auditor=user, status=AuditStatus.IN_PROGRESS)
        | Q(
            round__moderators=user,
            status__in=[AuditStatus.SUBMITTED, AuditStatus.REFLECTED],
        )
    ).exclude(Q(auditor=user) & ~Q(status=AuditStatus.IN_PROGRESS))
    return _visible_rows(
        user, to_do.select_related(*AUDIT_ROW_RELATED).order_by("round__deadline", "id")
    )


def get_audit_for_user(user: User, audit_id: int) -> CaseAudit:
    """An audit of a child the user may see: 404 if none, 403 if the child is hidden."""
    try:
        audit = CaseAudit.objects.select_related(*AUDIT_ROW_RELATED, "tool").get(pk=audit_id)
    except CaseAudit.DoesNotExist:
        raise Http404("No audit with that ID") from None
    if audit.person_id not in visible_among(user, [audit.person_id]):
        raise PermissionDenied("You may not see this child's record")
    return audit


@dataclass(frozen=True)
class QuestionLine:
    """A question of the audit's tool with the auditor's and partners' answers."""

    order: int
    theme: str
    text: str
    guidance: str
    question_id: int
    grade: str = ""
    answer: str = ""
    partners: list[object] = field(default_factory=list)

    @property
    def theme_label(self) -> str:
        return Theme(self.theme).label

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else ""


def audit_lines(audit: CaseAudit) -> list[QuestionLine]:
    """The tool version's questions in order, each with its answer (three queries)."""
    answers = {a.question_id: a for a in audit.answers.all()}
    partners: dict[int | None, list[object]] = defaultdict(list)
    for p in audit.partner_answers.all():
        partners[p.question_id].append(p)
    lines = []
    for q in audit.tool.questions.all():
        answer = answers.get(q.pk)
        lines.append(
            QuestionLine(
                order=q.order,
                theme=q.theme,
                text=q.text,
                guidance=q.guidance,
                question_id=q.pk,
                grade=answer.grade if answer else "",
                answer=answer.answer if answer else "",
                partners=partners.get(q.pk, []),
            )
        )
    return lines


def general_partner_answers(audit: CaseAudit) -> list[object]:
    """Partners' answers not about one question."""
    return list(audit.partner_answers.filter(question__isnull=True))


def audit_actions(audit: CaseAudit) -> list[AuditAction]:
    return list(audit.actions.select_related("owner").order_by("by_when", "id"))


def get_action_for_user(user: User, action_id: int) -> AuditAction:
    try:
        action = AuditAction.objects.select_related("audit", "person", "owner").get(pk=action_id)
    except AuditAction.DoesNotExist:
        raise Http404("No audit action with that ID") from None
    if action.person_id not in visible_among(user, [action.person_id]):
        raise PermissionDenied("You may not see this child's record")
    return action


def open_actions_owned(user: User) -> list[AuditAction]:
    """Open actions from audits that the user owns, soonest first, of children they see."""
    actions = list(
        AuditAction.objects.filter(owner=user, done_on__isnull=True)
        .select_related("person")
        .order_by("by_when", "id")
    )
    visible = visible_among(user, {a.person_id for a in actions})
    return [a for a in actions if a.person_id in visible]


# --- A child's record -----------------------------------------------------------------------


def child_audits(person_id: int) -> list[CaseAudit]:
    """The child's submitted and moderated audits, newest first."""
    return list(
        CaseAudit.objects.filter(person_id=person_id)
        .exclude(status=AuditStatus.IN_PROGRESS)
        .select_related("round", "auditor")
        .order_by("-submitted_at", "-id")
    )


def child_actions(person_id: int) -> list[AuditAction]:
    return list(
        AuditAction.objects.filter(person_id=person_id)
        .select_related("owner")
        .order_by("done_on", "by_when", "id")
    )


def child_challenges(person_id: int) -> list[IROChallenge]:
    return list(
        IROChallenge.objects.filter(person_id=person_id)
        .select_related("raised_by")
        .prefetch_related(
            Prefetch("steps", queryset=ChallengeStep.objects.order_by("started_on", "id"))
        )
        .order_by("-raised_on", "-id")
    )


def get_challenge(person_id: int, challenge_id: int) -> IROChallenge:
    try:
        return IROChallenge.objects.prefetch_related("steps").get(
            pk=challenge_id, person_id=person_id
        )
    except IROChallenge.DoesNotExist:
        raise Http404("No IRO challenge with that ID on this record") from None


def current_stage(challenge: IROChallenge) -> ChallengeStep:
    """The latest stage the challenge reached (steps prefetched)."""
    steps = sorted(challenge.steps.all(), key=lambda s: (s.started_on, s.pk))
    return steps[-1]


# --- Results --------------------------------------------------------------------------------


@dataclass
class Figure:
    """Grades counted for one line of results (a theme, a team or a month)."""

    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)
    previous_share: float | None = None  # the line before's share good or better (months)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> int:
        return sum(self.counts.get(g, 0) for g in GOOD_OR_BETTER)

    @property
    def share(self) -> float | None:
        """The share good or better, as a percentage."""
        return 100 * self.good_or_better / self.total if self.total else None

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(g, self.counts.get(g, 0)) for g in GRADE_ORDER]

    @property
    def trend(self) -> str:
        """ "Up", "Down" or "No change" against the month before; "" for the first."""
        if self.previous_share is None or self.share is None:
            return ""
        if round(self.share) > round(self.previous_share):
            return "Up"
        if round(self.share) < round(self.previous_share):
            return "Down"
        return "No change"


@dataclass(frozen=True)
class Results:
    by_theme: list[Figure]
    by_team: list[Figure]
    by_month: list[Figure]
    moderated: int
    awaiting_moderation: int


def _month(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def _month_label(key: str) -> str:
    return datetime.date.fromisoformat(f"{key}-01").strftime("%B %Y")


def moderated_audits(round_id: int | None = None) -> QuerySet[CaseAudit]:
    audits = CaseAudit.objects.filter(status=AuditStatus.MODERATED)
    if round_id is not None:
        audits = audits.filter(round_id=round_id)
    return audits


def results(round_id: int | None = None) -> Results:
    """Moderated audits' grades by theme (each question's grade), by team and by month of
    moderation (the final grade), with each month's trend against the one before. Three
    queries however many audits."""
    audits = moderated_audits(round_id)
    rows = list(audits.values_list("team_id", "team__name", "moderated_at", "moderated_grade"))
    teams: dict[str, Figure] = {}
    months: dict[str, Figure] = {}
    for team_id, team_name, moderated_at, grade in rows:
        key = str(team_id or "")
        team = teams.setdefault(key, Figure(key, team_name or "No team"))
        team.counts[grade] = team.counts.get(grade, 0) + 1
        assert moderated_at is not None  # every moderated audit has its moment
        month_key = _month(moderated_at)
        month = months.setdefault(month_key, Figure(month_key, _month_label(month_key)))
        month.counts[grade] = month.counts.get(grade, 0) + 1
    by_month = [months[k] for k in sorted(months)]
    for before, after in itertools.pairwise(by_month):
        after.previous_share = before.share
    theme_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for theme, grade in (
        AuditAnswer.objects.filter(audit__in=audits)
        .exclude(grade="")
        .values_list("question__theme", "grade")
    ):
        theme_counts[theme][grade] += 1
    by_theme = [
        Figure(theme.value, theme.label, dict(theme_counts[theme.value]))
        for theme in Theme
        if theme.value in theme_counts
    ]
    awaiting = CaseAudit.objects.filter(status__in=[AuditStatus.SUBMITTED, AuditStatus.REFLECTED])
    if round_id is not None:
        awaiting = awaiting.filter(round_id=round_id)
    return Results(
        by_theme=by_theme,
        by_team=sorted(teams.values(), key=lambda f: f.label),
        by_month=by_month,
        moderated=len(rows),
        awaiting_moderation=awaiting.count(),
    )


@dataclass(frozen=True)
class FigureFilter:
    """Which audits a figure counts: any of theme, team, month (YYYY-MM) and grade."""

    theme: str = ""
    team: str = ""
    month: str = ""
    grade: str = ""
    round_id: int | None = None

    def describe(self, team_names: dict[int, str]) -> str:
        parts = []
        if self.grade:
            parts.append(f"graded {Grade(self.grade).label.lower()}")
        if self.theme:
            parts.append(f"on {Theme(self.theme).label.lower()}")
        if self.team:
            parts.append(f"in {team_names.get(int(self.team), 'an unknown team')}")
        if self.month:
            parts.append(f"moderated in {_month_label(self.month)}")
        return "Moderated audits " + (" ".join(parts) if parts else "(all)")


def audits_behind(user: User, wanted: FigureFilter) -> AuditRows:
    """The moderated audits a figure counts, of children the user may see."""
    audits = moderated_audits(wanted.round_id)
    if wanted.theme:
        answered = Q(answers__question__theme=wanted.theme)
        if wanted.grade:
            answered &= Q(answers__grade=wanted.grade)
        audits = audits.filter(answered)
    elif wanted.grade:
        audits = audits.filter(moderated_grade=wanted.grade)
    if wanted.team:
        audits = audits.filter(team_id=int(wanted.team))
    if wanted.month:
        year, month = (int(p) for p in wanted.month.split("-"))
        zone = timezone.get_current_timezone()
        start = datetime.datetime(year, month, 1, tzinfo=zone)
        end = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        audits = audits.filter(moderated_at__gte=start, moderated_at__lt=end)
    return _visible_rows(
        user, audits.distinct().select_related(*AUDIT_ROW_RELATED).order_by("-moderated_at", "id")
    )


def team_names() -> dict[int, str]:
    return dict(Team.objects.values_list("pk", "name"))


# --- IRO challenges counted for the service -------------------------------------------------


@dataclass(frozen=True)
class ChallengeCounts:
    raised: int
    open: int
    resolved: int
    by_stage: list[tuple[str, int]]  # the furthest stage each challenge reached
    by_outcome: list[tuple[str, int]]


def challenge_counts(since: datetime.date, until: datetime.date) -> ChallengeCounts:
    """IRO challenges raised between the dates (inclusive): how many, how many are still
    open, and the furthest stage each reached. Two queries."""
    challenges = IROChallenge.objects.filter(raised_on__gte=since, raised_on__lte=until)
    rows = list(challenges.values_list("pk", "resolved_on", "outcome"))
    order = {stage: index for index, stage in enumerate(ChallengeStage.values)}
    furthest: dict[int, str] = {}
    for challenge_id, stage in ChallengeStep.objects.filter(
        challenge_id__in=[r[0] for r in rows]
    ).values_list("challenge_id", "stage"):
        if challenge_id not in furthest or order[stage] > order[furthest[challenge_id]]:
            furthest[challenge_id] = stage
    stages = Counter(furthest.values())
    outcomes = Counter(outcome for _, resolved, outcome in rows if resolved is not None)
    return ChallengeCounts(
        raised=len(rows),
        open=sum(1 for _, resolved, _ in rows if resolved is None),
        resolved=sum(1 for _, resolved, _ in rows if resolved is not None),
        by_stage=[(s.label, stages.get(s.value, 0)) for s in ChallengeStage],
        by_outcome=[(o.label, outcomes.get(o.value, 0)) for o in ChallengeOutcome],
    )


def children_with_actions_owned(user: User) -> set[int]:
    """The children on whom the user owns an open action from a case audit (one query on
    the open-actions index)."""
    return set(
        AuditAction.objects.filter(owner=user, done_on__isnull=True).values_list(
            "person_id", flat=True
        )
    )


def holders_of(permission: Permission) -> QuerySet[User]:
    """The active users holding ``permission`` through a role or as their own, by name."""
    code = permission.codename
    through_role = User.groups.through.objects.filter(
        user=OuterRef("pk"),
        group__permissions__codename=code,
        group__permissions__content_type__app_label="accounts",
    )
    own = User.user_permissions.through.objects.filter(
        user=OuterRef("pk"),
        permission__codename=code,
        permission__content_type__app_label="accounts",
    )
    return User.objects.filter(Exists(through_role) | Exists(own), is_active=True).order_by(
        "last_name", "first_name", "username"
    )
