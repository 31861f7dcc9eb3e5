"""Pages for case audits (tools, rounds, audits, actions, results) and IRO challenges."""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.people.shown import children_shown
from caseline.apps.quality import actions, queries
from caseline.apps.quality import forms as qforms
from caseline.apps.quality.models import (
    GRADE_ORDER,
    AuditStatus,
    AuditTool,
    CaseAudit,
    Grade,
    Theme,
)
from caseline.apps.quality.timescales import CHALLENGE_RULES
from caseline.apps.timescales.calendar import add_calendar_months
from caseline.apps.timescales.queries import rules_in_force
from caseline.apps.timescales.rules import assess_timeliness

# --- Tools ----------------------------------------------------------------------------------


class HomeView(PermissionRequiredMixin, TemplateView):
    """Audits to carry out and moderate, and every round."""

    permission = Permission.AUDIT_CASE
    template_name = "quality/home.html"
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["mine"] = queries.my_audits(user)
        context["rounds"] = queries.rounds()
        context["can_manage"] = user_can(user, Permission.AUDIT_ROUND_MANAGE)
        context["can_see_results"] = user_can(user, Permission.AUDIT_RESULTS_VIEW)
        return context


class ToolListView(PermissionRequiredMixin, TemplateView):
    permission = Permission.AUDIT_CASE
    template_name = "quality/tools.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tools"] = queries.current_tools()
        return context


class ToolMixin(PermissionRequiredMixin):
    tool: AuditTool

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.tool = queries.get_tool(int(kwargs["tool_id"]))
        return super().dispatch(request, *args, **kwargs)


class ToolView(ToolMixin, TemplateView):
    """A tool version's questions by theme, and every version of the tool."""

    permission = Permission.AUDIT_CASE
    template_name = "quality/tool.html"
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        questions = list(self.tool.questions.all())
        context["tool"] = self.tool
        context["themes"] = [
            (theme.label, [q for q in questions if q.theme == theme.value])
            for theme in Theme
            if any(q.theme == theme.value for q in questions)
        ]
        context["versions"] = queries.tool_versions(self.tool)
        context["can_manage"] = user_can(self.request.user, Permission.AUDIT_ROUND_MANAGE)
        return context


class ToolEditView(ToolMixin, ActionFormView[qforms.ToolEditForm]):
    permission = Permission.AUDIT_ROUND_MANAGE
    form_class = qforms.ToolEditForm
    template_name = "quality/tool_edit.html"
    title = "Edit the audit tool"
    button = "Save as a new version"
    success_message = "New version of the tool saved"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "tool": self.tool}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tool"] = self.tool
        return context

    def perform(self, form: qforms.ToolEditForm) -> object:
        data = form.cleaned_data
        return actions.save_tool_version(
            acting_user=self.request.user,
            base=self.tool,
            title=data["title"],
            introduction=data["introduction"],
            questions=form.questions(),
            change_note=data["change_note"],
        )

    def get_back_url(self) -> str:
        return reverse("quality:tool", kwargs={"tool_id": self.tool.pk})

    def get_success_url(self) -> str:
        if self.result is None:
            return self.get_back_url()
        return reverse("quality:tool", kwargs={"tool_id": self.result.pk})


# --- Rounds ---------------------------------------------------------------------------------


class RoundNewView(PermissionRequiredMixin, ActionFormView[qforms.RoundForm]):
    permission = Permission.AUDIT_ROUND_MANAGE
    form_class = qforms.RoundForm
    template_name = "quality/form.html"
    title = "Set up an audit round"
    button = "Draw the sample and set up the round"
    success_message = "Audit round set up"

    def perform(self, form: qforms.RoundForm) -> object:
        data = form.cleaned_data
        return actions.set_up_round(
            acting_user=self.request.user,
            title=data["title"],
            tool=data["tool"],
            sample_kind=data["sample_kind"],
            size=data["size"],
            as_at=data["as_at"],
            deadline=data["deadline"],
            auditors=list(data["auditors"]),
            moderators=list(data["moderators"]),
            teams=list(data["teams"]),
            stage=data["stage"],
            theme=data["theme"],
            seed=data["seed"],
        )

    def get_back_url(self) -> str:
        return reverse("quality:audits")

    def get_success_url(self) -> str:
        if self.result is None:
            return self.get_back_url()
        return reverse("quality:round", kwargs={"round_id": self.result.pk})


class RoundView(PermissionRequiredMixin, TemplateView):
    """A round: how it was sampled (with its seed), and its audits."""

    permission = Permission.AUDIT_CASE
    template_name = "quality/round.html"
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        round_ = queries.get_round(int(self.kwargs["round_id"]))
        context["round"] = round_
        context["audits"] = queries.round_audits(self.request.user, round_)
        context["auditors"] = list(round_.auditors.order_by("last_name"))
        context["moderators"] = list(round_.moderators.order_by("last_name"))
        context["can_see_results"] = user_can(self.request.user, Permission.AUDIT_RESULTS_VIEW)
        return context


# --- One audit ------------------------------------------------------------------------------


class AuditMixin(PermissionRequiredMixin):
    """A page about one audit: permission, then the child's visibility, then the read is
    audited as a read of the child's record."""

    audit: CaseAudit
    request: Any
    section: ClassVar[str] = "quality-audit"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.audit = queries.get_audit_for_user(request.user, int(kwargs["audit_id"]))
            if request.method == "GET":
                children_shown(request, subject=self.audit.person_id, section=self.section)
        return super().dispatch(request, *args, **kwargs)

    def audit_context(self) -> dict[str, Any]:
        user = self.request.user
        audit = self.audit
        return {
            "audit": audit,
            "person": audit.person,
            "lines": queries.audit_lines(audit),
            "general_partners": queries.general_partner_answers(audit),
            "actions": queries.audit_actions(audit),
            "is_auditor": audit.auditor_id == user.pk
            or user_can(user, Permission.AUDIT_ROUND_MANAGE),
            "can_moderate": user_can(user, Permission.AUDIT_MODERATE)
            and audit.round.moderators.filter(pk=user.pk).exists(),
            "is_worker": audit.worker_id == user.pk,
            "moderate_now": audit.status in (AuditStatus.SUBMITTED, AuditStatus.REFLECTED)
            and audit.auditor_id != user.pk
            and user_can(user, Permission.AUDIT_MODERATE)
            and audit.round.moderators.filter(pk=user.pk).exists(),
            "statuses": AuditStatus,
        }

    def audit_url(self) -> str:
        return reverse("quality:audit", kwargs={"audit_id": self.audit.pk})


class AuditView(AuditMixin, TemplateView):
    permission = Permission.AUDIT_CASE
    template_name = "quality/audit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.audit_context())
        return context


class AuditFormView(AuditMixin, ActionFormView[Any]):
    template_name = "quality/audit_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.audit_context())
        return context

    def get_success_url(self) -> str:
        return self.audit_url()


class AnswersView(AuditFormView):
    permission = Permission.AUDIT_CASE
    form_class = qforms.AnswersForm
    template_name = "quality/answers.html"
    title = "Record the audit"
    button = "Save answers"
    success_message = "Answers saved"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "audit": self.audit}

    def perform(self, form: qforms.AnswersForm) -> object:
        return actions.save_answers(
            acting_user=self.request.user,
            audit=self.audit,
            answers=form.answers(),
            overall_grade=form.cleaned_data["overall_grade"],
            summary=form.cleaned_data["summary"],
        )


class SubmitView(AuditFormView):
    permission = Permission.AUDIT_CASE
    form_class = forms.Form
    title = "Submit the audit"
    button = "Submit for reflection and moderation"
    success_message = "Audit submitted"

    def perform(self, form: forms.Form) -> object:
        return actions.submit_audit(acting_user=self.request.user, audit=self.audit)


class ReflectView(AuditFormView):
    permission = Permission.AUDIT_REFLECT
    form_class = qforms.ReflectionForm
    title = "Add your reflection"
    button = "Save reflection"
    success_message = "Reflection saved"

    def perform(self, form: qforms.ReflectionForm) -> object:
        return actions.record_reflection(
            acting_user=self.request.user, audit=self.audit, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        if user_can(self.request.user, Permission.AUDIT_CASE):
            return self.audit_url()
        return reverse("quality:record", kwargs={"person_id": self.audit.person_id})


class ModerateView(AuditFormView):
    permission = Permission.AUDIT_MODERATE
    form_class = qforms.ModerationForm
    title = "Moderate the audit"
    button = "Save moderation"
    success_message = "Audit moderated"

    def perform(self, form: qforms.ModerationForm) -> object:
        return actions.moderate_audit(
            acting_user=self.request.user, audit=self.audit, **form.cleaned_data
        )


class PartnerAnswerView(AuditFormView):
    permission = Permission.AUDIT_CASE
    form_class = qforms.PartnerAnswerForm
    title = "Add a partner agency's answer"
    success_message = "Partner's answer added"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "audit": self.audit}

    def perform(self, form: qforms.PartnerAnswerForm) -> object:
        return actions.record_partner_answer(
            acting_user=self.request.user, audit=self.audit, **form.cleaned_data
        )


class ActionNewView(AuditFormView):
    permission = Permission.AUDIT_CASE
    form_class = qforms.ActionForm
    title = "Set an action from the audit"
    success_message = "Action set"

    def perform(self, form: qforms.ActionForm) -> object:
        return actions.set_action(
            acting_user=self.request.user, audit=self.audit, **form.cleaned_data
        )


class ActionDoneView(PermissionRequiredMixin, ActionFormView[qforms.ActionDoneForm]):
    permission = Permission.AUDIT_ACTION_UPDATE
    form_class = qforms.ActionDoneForm
    template_name = "quality/action_done.html"
    title = "Mark an audit action as done"
    button = "Mark as done"
    success_message = "Action marked as done"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.action = queries.get_action_for_user(request.user, int(kwargs["action_id"]))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        context["person"] = self.action.person
        return context

    def perform(self, form: qforms.ActionDoneForm) -> object:
        return actions.complete_action(
            acting_user=self.request.user, action=self.action, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return reverse("quality:record", kwargs={"person_id": self.action.person_id})


# --- Results --------------------------------------------------------------------------------


def _round_param(request: HttpRequest) -> int | None:
    value = request.GET.get("round", "")
    if not value:
        return None
    if not value.isdigit():
        raise BadRequest("The round must be a number")
    return int(value)


class ResultsView(PermissionRequiredMixin, TemplateView):
    """Moderated grades by theme, team and month, each figure opening onto its audits, and
    the IRO challenges of the last twelve months."""

    permission = Permission.AUDIT_RESULTS_VIEW
    template_name = "quality/results.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        round_id = _round_param(self.request)
        context["round"] = queries.get_round(round_id) if round_id else None
        context["results"] = queries.results(round_id)
        context["grades"] = [Grade(g) for g in GRADE_ORDER]
        today = timezone.localdate()
        since = add_calendar_months(today, -12)
        context["challenge_since"] = since
        context["challenges"] = queries.challenge_counts(since, today)
        context["round_query"] = f"&round={round_id}" if round_id else ""
        return context


class ResultsAuditsView(PermissionRequiredMixin, TemplateView):
    """The moderated audits behind one figure of the results."""

    permission = Permission.AUDIT_RESULTS_VIEW
    template_name = "quality/results_audits.html"
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        wanted = queries.FigureFilter(
            theme=get.get("theme", ""),
            team=get.get("team", ""),
            month=get.get("month", ""),
            grade=get.get("grade", ""),
            round_id=_round_param(self.request),
        )
        if wanted.theme and wanted.theme not in Theme.values:
            raise BadRequest("No such theme")
        if wanted.grade and wanted.grade not in Grade.values:
            raise BadRequest("No such grade")
        if wanted.team and not wanted.team.isdigit():
            raise BadRequest("The team must be a number")
        if wanted.month:
            try:
                datetime.date.fromisoformat(f"{wanted.month}-01")
            except ValueError:
                raise BadRequest("The month must be like 2026-03") from None
        context["description"] = wanted.describe(queries.team_names())
        context["audits"] = queries.audits_behind(self.request.user, wanted)
        return context


# --- The child's record: audits, actions and IRO challenges ---------------------------------


class RecordView(ChildRecordMixin, TemplateView):
    record_section = "quality"
    template_name = "quality/record.html"
    request: AuthenticatedRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person_id = self.person.pk
        user = self.request.user
        context["audits"] = queries.child_audits(person_id)
        context["actions"] = queries.child_actions(person_id)
        challenges = queries.child_challenges(person_id)
        context["challenges"] = [(c, queries.current_stage(c)) for c in challenges]
        context["can_challenge"] = user_can(user, Permission.IRO_CHALLENGE_RECORD)
        context["can_see_audits"] = user_can(user, Permission.AUDIT_CASE)
        context["can_reflect"] = user_can(user, Permission.AUDIT_REFLECT)
        context["statuses"] = AuditStatus
        return context


class ChallengeMixin(ChildRecordMixin):
    kwargs: dict[str, Any]
    record_section = "quality"
    permission = Permission.IRO_CHALLENGE_RECORD

    def challenge_context(self) -> dict[str, Any]:
        challenge = queries.get_challenge(self.person.pk, int(self.kwargs["challenge_id"]))
        step = queries.current_stage(challenge)
        code = CHALLENGE_RULES[step.stage].code
        rule = rules_in_force([code])[code]
        timeliness = assess_timeliness(
            rule.due_date(step.started_on), challenge.resolved_on, timezone.localdate()
        )
        return {"challenge": challenge, "step": step, "rule": rule, "timeliness": timeliness}

    def record_url(self) -> str:
        return reverse("quality:record", kwargs={"person_id": self.person.pk})


class ChallengeView(ChallengeMixin, TemplateView):
    template_name = "quality/challenge.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.challenge_context())
        return context


class ChallengeNewView(ChallengeMixin, ActionFormView[qforms.ChallengeForm]):
    form_class = qforms.ChallengeForm
    template_name = "quality/record_form.html"
    title = "Raise an IRO challenge"
    success_message = "IRO challenge raised"

    def perform(self, form: qforms.ChallengeForm) -> object:
        return actions.raise_challenge(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_url(self) -> str:
        return self.record_url()


class ChallengeStepView(ChallengeMixin, ActionFormView[Any]):
    template_name = "quality/record_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.challenge_context())
        return context

    def get_success_url(self) -> str:
        return reverse(
            "quality:challenge",
            kwargs={"person_id": self.person.pk, "challenge_id": self.kwargs["challenge_id"]},
        )


class ChallengeEscalateView(ChallengeStepView):
    form_class = qforms.EscalateForm
    title = "Escalate the IRO challenge"
    success_message = "IRO challenge escalated"

    def perform(self, form: qforms.EscalateForm) -> object:
        challenge = queries.get_challenge(self.person.pk, int(self.kwargs["challenge_id"]))
        return actions.escalate_challenge(
            acting_user=self.request.user, challenge=challenge, **form.cleaned_data
        )


class ChallengeResolveView(ChallengeStepView):
    form_class = qforms.ResolveForm
    title = "Record how the IRO challenge was resolved"
    success_message = "IRO challenge resolved"

    def perform(self, form: qforms.ResolveForm) -> object:
        challenge = queries.get_challenge(self.person.pk, int(self.kwargs["challenge_id"]))
        return actions.resolve_challenge(
            acting_user=self.request.user, challenge=challenge, **form.cleaned_data
        )
