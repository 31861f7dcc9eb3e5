"""Pages for child protection: thin views that look up, bind a form and call an action."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.record import record_export
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import (
    AuthenticatedRequest,
    PermissionRequiredMixin,
    requires,
    user_can,
)
from caseline.apps.core.formviews import F
from caseline.apps.core.links import url_builder
from caseline.apps.people.queries import current_allocation, get_person_for_user
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.plans import views as smart
from caseline.apps.plans.forms import ActionForm, ActionStatusForm, OutcomeForm, yes_no
from caseline.apps.plans.queries import get_plan
from caseline.apps.protection import actions, queries
from caseline.apps.protection.family import Audience, build_family_plan, render_family_pdf
from caseline.apps.protection.forms import (
    CoreGroupForm,
    EndPlanForm,
    EnquiryOutcomeForm,
    HistoryForm,
    IcpcNotRequiredForm,
    InitialConferenceForm,
    PeriodForm,
    PlanForm,
    PoliceDecisionForm,
    ReviewConferenceForm,
    StrategyForm,
    TransferInForm,
    VisitForm,
)
from caseline.apps.protection.models import (
    Conference,
    ProtectionPlan,
    Section47Enquiry,
    StrategyDiscussion,
    TransferIn,
)
from caseline.apps.protection.timescales import ICPC, TRANSFER_IN_CONFERENCE
from caseline.apps.timescales.rules import Timeliness, TimescaleRule, format_date


def _can(request: HttpRequest, permission: Permission) -> bool:
    return user_can(request.user, permission)


def category_label(code: str) -> str:
    return code_list(CodeListName.CP_CATEGORY).label(code) if code else ""


class RecordView(ChildRecordMixin, TemplateView):
    """The child's child protection history: strategy discussions, enquiries, conferences and
    plans, each with its due date and whether it was late."""

    permission = Permission.CHILD_VIEW
    record_section = "protection"
    template_name = "protection/record.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        discussions = []
        held_here: list[tuple[StrategyDiscussion | None, Section47Enquiry | None]] = [
            (discussion, getattr(discussion, "enquiry", None))
            for discussion in queries.discussions_of(self.person)
        ]
        # Enquiries recorded in another system have no strategy discussion on Caseline.
        elsewhere = queries.enquiries_recorded_elsewhere(self.person)
        for discussion, enquiry in [*held_here, *((None, e) for e in elsewhere)]:
            icpc = queries.icpc_timeliness(enquiry, today) if enquiry else None
            discussions.append(
                {
                    "discussion": discussion,
                    "missing": queries.agencies_not_taking_part(discussion) if discussion else [],
                    "enquiry": enquiry,
                    "icpc": icpc,
                    "conference": getattr(enquiry, "conference", None) if enquiry else None,
                    "icpc_needed": enquiry is not None and enquiry.awaits_conference,
                }
            )
        plans = []
        for plan in queries.plans_of(self.person):
            due = queries.plan_timeliness(queries.plan_with_detail(plan), today)
            plans.append(
                {"plan": plan, "due": due, "category": category_label(plan.latest_category)}
            )
        context.update(
            today=today,
            discussions=discussions,
            plans=plans,
            history=queries.history_of(self.person),
            can_record_history=_can(self.request, Permission.OVERSIGHT_RECORD),
            transfer_ins=Conference.objects.filter(
                person=self.person, kind=Conference.Kind.TRANSFER_IN
            ),
            transfers_awaiting=[
                (transfer_in, queries.transfer_in_due(transfer_in, today))
                for transfer_in in queries.transfers_in_awaiting(self.person)
            ],
            can_enquire=_can(self.request, Permission.ENQUIRY_RECORD),
            can_chair=_can(self.request, Permission.CONFERENCE_CHAIR),
            can_see_report=_can(self.request, Permission.CASE_ALLOCATE)
            or _can(self.request, Permission.INDICATORS_VIEW),
        )
        return context


class OnProtectionPage(smart.RecordFormPage[F]):
    """A form page of the child's child protection record: back to it, where a save goes."""

    record_section = "protection"
    back_text = "Back to child protection"


class OnEnquiry(OnProtectionPage[F]):
    """A form page about the child's section 47 enquiry ``enquiry_id``."""

    enquiry: Section47Enquiry

    def look_up(self) -> None:
        super().look_up()
        self.enquiry = queries.get_enquiry(self.person, int(self.kwargs["enquiry_id"]))


class OnPlan(smart.PlanPage[F], OnProtectionPage[F]):
    """A form page about the child's plan ``plan_id``: back to the plan, where a save goes."""

    kind = actions.SMART_PLAN
    back_text = "Back to the plan"
    plan: ProtectionPlan

    def get_back_url(self) -> str:
        return reverse(
            "protection:plan", kwargs={"person_id": self.person.pk, "plan_id": self.plan.pk}
        )


class ToTheConference:
    """A save goes to the conference recorded (``result``)."""

    person: Any
    result: Any

    def get_success_url(self) -> str:
        return reverse(
            "protection:conference",
            kwargs={"person_id": self.person.pk, "conference_id": self.result.pk},
        )


class StrategyCreateView(OnProtectionPage[StrategyForm]):
    permission = Permission.ENQUIRY_RECORD
    form_class = StrategyForm
    title = "Record a strategy discussion"
    button = "Save strategy discussion"
    success_message = "Strategy discussion recorded"
    error_aliases = {"held_at": "held_on"}

    def intro(self) -> str:
        return (
            "Working Together expects children's social care, the police and health to take "
            "part. A discussion without the police or health is flagged for your manager."
        )

    def perform(self, form: StrategyForm) -> object:
        data = form.cleaned_data
        return actions.record_strategy_discussion(
            acting_user=self.request.user,
            child=self.person,
            kind=data["kind"],
            held_at=form.held_at(),
            participants=form.agency_participation(),
            information_shared=data["information_shared"],
            decision=data["decision"],
            rationale=data["rationale"],
            s47_decision=data["s47_decision"],
        )


class EnquiryOutcomeView(OnEnquiry[EnquiryOutcomeForm]):
    permission = Permission.ENQUIRY_RECORD
    form_class = EnquiryOutcomeForm
    title = "Record the outcome of the section 47 enquiry"
    button = "Save outcome"
    success_message = "Section 47 outcome recorded"

    def intro(self) -> str:
        return f"The enquiry started on {format_date(self.enquiry.start_date)}."

    def perform(self, form: EnquiryOutcomeForm) -> object:
        return actions.complete_enquiry(
            acting_user=self.request.user, enquiry=self.enquiry, **form.cleaned_data
        )


class IcpcNotRequiredView(OnEnquiry[IcpcNotRequiredForm]):
    permission = Permission.ENQUIRY_RECORD
    form_class = IcpcNotRequiredForm
    title = "Record that an initial conference is not required"
    button = "Save decision"
    success_message = "Recorded that an initial conference is not required"

    def intro(self) -> str:
        return (
            "The enquiry that started on "
            f"{format_date(self.enquiry.start_date)} found a conference is needed. Record "
            "here a later decision that it is not. No conference can then be recorded for "
            "this enquiry."
        )

    def perform(self, form: IcpcNotRequiredForm) -> object:
        return actions.decide_icpc_not_required(
            acting_user=self.request.user, enquiry=self.enquiry, **form.cleaned_data
        )


class HistoryEditView(OnProtectionPage[HistoryForm]):
    """A team manager records how many plans the child had before Caseline."""

    permission = Permission.OVERSIGHT_RECORD
    form_class = HistoryForm
    title = "Child protection plans before Caseline"
    button = "Save"
    success_message = "Child protection plans before Caseline recorded"

    def intro(self) -> str:
        return (
            "For a child whose record came from another system. The number counts towards "
            "the previous plans of every plan in Caseline, as the CIN census reports them."
        )

    def get_initial(self) -> dict[str, Any]:
        history = queries.history_of(self.person)
        if history is None:
            return {}
        return {
            "plans_before_caseline": history.plans_before_caseline,
            "source_note": history.source_note,
        }

    def perform(self, form: HistoryForm) -> object:
        return actions.record_plans_before_caseline(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class PoliceDecisionView(OnEnquiry[PoliceDecisionForm]):
    permission = Permission.ENQUIRY_RECORD
    form_class = PoliceDecisionForm
    title = "Record a police decision"
    button = "Save police decision"
    success_message = "Police decision recorded"

    def intro(self) -> str:
        return (
            "Record the police investigation's decisions so that it and the enquiry are "
            "planned together."
        )

    def perform(self, form: PoliceDecisionForm) -> object:
        data = form.cleaned_data
        return actions.record_police_decision(
            acting_user=self.request.user,
            enquiry=self.enquiry,
            decided_on=data["decided_on"],
            decision=data["decision"],
            abe_interview=data["abe_interview"] == "yes",
            abe_interview_on=data.get("abe_interview_on"),
            officer=data.get("officer", ""),
        )


class ChoosesTheLead:
    """A form page choosing the plan's lead social worker (``forms.lead_field``): gives the
    form the child's team (their allocation's), whose workers come first, and the lead to
    choose to start with (:meth:`current_lead`, else the child's allocated worker)."""

    person: Any

    def current_lead(self) -> Any:
        """The lead now: ``None`` for a new plan (then the child's allocated worker)."""
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        allocation = current_allocation(self.person)
        kwargs["team"] = allocation.team if allocation is not None else None
        kwargs["lead"] = self.current_lead() or (
            allocation.worker if allocation is not None else None
        )
        return kwargs


def _conference_kwargs(form: InitialConferenceForm | ReviewConferenceForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "conference_date": data["conference_date"],
        "attendees": form.agency_participation(),
        "health_knows_child": yes_no(data["health_knows_child"]),
        "reports_shared": data["reports_shared"],
        "child_participation": data["child_participation"],
        "family_participation": data["family_participation"],
        "decision": data["decision"],
        "rationale": data["rationale"],
        "category": data.get("category", ""),
        "identity_needs": data["identity_needs"],
    }


class InitialConferenceView(
    ToTheConference, ChoosesTheLead, smart.IdentityNeedsPage, OnEnquiry[InitialConferenceForm]
):
    permission = Permission.CONFERENCE_CHAIR
    form_class = InitialConferenceForm
    title = "Record the initial child protection conference"
    button = "Save conference"
    success_message = "Initial child protection conference recorded"

    def intro(self) -> str:
        due = ICPC.due_date(self.enquiry.start_date)
        previous = queries.previous_plans(self.person, timezone.localdate())
        return (
            f"The section 47 enquiry started at the strategy discussion on "
            f"{format_date(self.enquiry.start_date)}, so the conference is due by "
            f"{format_date(due)} (15 working days). Previous child protection plans: {previous}."
        )

    def perform(self, form: InitialConferenceForm) -> object:
        data = form.cleaned_data
        return actions.hold_initial_conference(
            acting_user=self.request.user,
            child=self.person,
            enquiry=self.enquiry,
            lead_social_worker=data.get("lead_social_worker"),
            outline_plan=data.get("outline_plan", ""),
            **_conference_kwargs(form),
        )


class TransferInView(OnProtectionPage[TransferInForm]):
    """Records that a child on a plan in another area has moved here: the transfer-in
    conference is due from then."""

    permission = Permission.ENQUIRY_RECORD
    form_class = TransferInForm
    title = "Record a transfer in"
    button = "Save the transfer in"

    def intro(self) -> str:
        return (
            "For a child subject to a child protection plan in another local authority who "
            "has moved here permanently. A transfer-in conference is then due within 15 "
            "working days of the day we were told."
        )

    def perform(self, form: TransferInForm) -> object:
        return actions.record_transfer_in(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_message(self) -> str:
        due = TRANSFER_IN_CONFERENCE.due_date(self.result.notified_on)
        return f"Transfer in recorded. The transfer-in conference is due by {format_date(due)}"


class TransferInConferenceView(
    ToTheConference,
    ChoosesTheLead,
    smart.IdentityNeedsPage,
    OnProtectionPage[InitialConferenceForm],
):
    """Records the transfer-in conference for the child's transfer in ``transfer_id``."""

    permission = Permission.CONFERENCE_CHAIR
    form_class = InitialConferenceForm
    title = "Record a transfer-in conference"
    button = "Save conference"
    success_message = "Transfer-in conference recorded"
    transfer_in: TransferIn

    def look_up(self) -> None:
        super().look_up()
        self.transfer_in = queries.get_transfer_in(self.person, int(self.kwargs["transfer_id"]))

    def intro(self) -> str:
        told = self.transfer_in.notified_on
        return (
            f"We were told on {format_date(told)} that {self.person.full_name} had moved here "
            f"from {self.transfer_in.from_authority}, on a child protection plan there. The "
            f"conference is due by {format_date(TRANSFER_IN_CONFERENCE.due_date(told))} "
            "(15 working days)."
        )

    def perform(self, form: InitialConferenceForm) -> object:
        data = form.cleaned_data
        return actions.hold_initial_conference(
            acting_user=self.request.user,
            child=self.person,
            transfer_in=self.transfer_in,
            lead_social_worker=data.get("lead_social_worker"),
            outline_plan=data.get("outline_plan", ""),
            **_conference_kwargs(form),
        )


class ConferenceView(ChildRecordMixin, TemplateView):
    permission = Permission.CHILD_VIEW
    record_section = "protection"
    template_name = "protection/conference.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        conference = queries.get_conference(self.person, int(self.kwargs["conference_id"]))
        started: ProtectionPlan | None = getattr(conference, "started_plan", None)
        timeliness: Timeliness | None = None
        rule: TimescaleRule | None = None
        if conference.kind == Conference.Kind.INITIAL and conference.enquiry:
            timeliness = queries.icpc_timeliness(conference.enquiry, today)
            rule = ICPC
        elif conference.kind == Conference.Kind.TRANSFER_IN:
            timeliness = queries.transfer_in_timeliness(conference, today)
            rule = TRANSFER_IN_CONFERENCE
        elif conference.plan is not None:
            plan = queries.plan_with_detail(conference.plan)
            for step in queries.plan_timeliness(plan, today).reviews:
                if step.item.pk == conference.pk:
                    timeliness = step.timeliness
        context.update(
            conference=conference,
            gaps=queries.conference_gaps(conference),
            attendees=list(conference.attendees.all()),
            started_plan=started,
            previous_plans=queries.previous_plans(
                self.person, conference.conference_date, exclude=started.pk if started else None
            ),
            category=category_label(conference.category),
            timeliness=timeliness,
            rule=rule,
        )
        return context


class PlanView(ChildRecordMixin, TemplateView):
    permission = Permission.CHILD_VIEW
    record_section = "protection"
    template_name = "protection/plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        plan = queries.plan_with_detail(
            get_plan(actions.SMART_PLAN, self.person, int(self.kwargs["plan_id"]))
        )
        is_open = plan.end_date is None
        can_plan = is_open and _can(self.request, Permission.PLAN_RECORD)
        ids = {"person_id": self.person.pk, "plan_id": plan.pk}
        add_action = url_builder("protection:action-new", "person_id", "plan_id", "outcome_id")
        progress = url_builder("protection:action-status", "person_id", "plan_id", "action_id")
        reviews = []
        category = plan.initial_category
        due = queries.plan_timeliness(plan, today)
        for step in due.reviews:
            review = step.item
            changed = bool(review.category) and review.category != category
            reviews.append(
                {
                    "step": step,
                    "category": category_label(review.category),
                    "changed_from": category_label(category) if changed else "",
                }
            )
            category = review.category or category
        context.update(
            plan=plan,
            today=today,
            due=due,
            family=build_family_plan(plan, Audience.PARENTS, today),
            outcomes=smart.outcome_rows(
                plan.outcomes.all(),
                today,
                add_action_url=(lambda o: add_action(**ids, outcome_id=o.pk)) if can_plan else None,
                progress_url=(lambda a: progress(**ids, action_id=a.pk)) if can_plan else None,
            ),
            outcome_label=actions.SMART_PLAN.outcome_called(smart.child_name(self.person)),
            reviews=reviews,
            initial_category=category_label(plan.initial_category),
            latest_category=category_label(plan.latest_category),
            previous_plans=queries.previous_plans(self.person, plan.start_date, exclude=plan.pk),
            core_group_rule=queries.core_group_rule(plan),
            visit_rule=queries.visit_rule(plan),
            can_plan=can_plan,
            can_enquire=is_open and _can(self.request, Permission.ENQUIRY_RECORD),
            can_visit=is_open and _can(self.request, Permission.VISIT_RECORD),
            can_chair=is_open and _can(self.request, Permission.CONFERENCE_CHAIR),
        )
        return context


class PlanEditView(ChoosesTheLead, smart.IdentityNeedsPage, OnPlan[PlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = PlanForm
    title = "Change the plan"
    button = "Save the plan"
    success_message = "Plan saved"

    def current_lead(self) -> Any:
        return self.plan.lead_social_worker

    def get_initial(self) -> dict[str, Any]:
        return {
            "worries": self.plan.worries,
            "contingency": self.plan.contingency,
            "child_views": self.plan.child_views,
            "identity_needs": self.plan.identity_needs,
            "core_group_every_weeks": self.plan.core_group_every_weeks,
            "visit_every_working_days": self.plan.visit_every_working_days,
            "version": self.plan.version,
        }

    def perform(self, form: PlanForm) -> object:
        data = form.cleaned_data
        return actions.update_plan(
            acting_user=self.request.user, plan=self.plan, read_version=data.pop("version"), **data
        )


class ActionCreateView(smart.AddAction, OnPlan[ActionForm]):
    """Add an action towards one of the plan's outcomes."""


class ActionStatusView(smart.UpdateProgress, OnPlan[ActionStatusForm]):
    """Record how an action is going, as heard at a core group."""


class OutcomeCreateView(smart.AddOutcome, OnPlan[OutcomeForm]):
    title = "Add what needs to change"
    button = "Add"
    success_message = "Added to the plan"


class CoreGroupCreateView(OnPlan[CoreGroupForm]):
    permission = Permission.ENQUIRY_RECORD
    form_class = CoreGroupForm
    title = "Record a core group meeting"
    button = "Save core group"
    success_message = "Core group recorded"

    def perform(self, form: CoreGroupForm) -> object:
        return actions.record_core_group(
            acting_user=self.request.user, plan=self.plan, **form.cleaned_data
        )


class ReviewConferenceView(ToTheConference, smart.IdentityNeedsPage, OnPlan[ReviewConferenceForm]):
    permission = Permission.CONFERENCE_CHAIR
    form_class = ReviewConferenceForm
    title = "Record a review child protection conference"
    button = "Save review conference"
    success_message = "Review conference recorded"

    def intro(self) -> str:
        return (
            "Previous child protection plans: "
            f"{queries.previous_plans(self.person, self.plan.start_date, exclude=self.plan.pk)}."
        )

    def get_initial(self) -> dict[str, Any]:
        return {
            "category": self.plan.latest_category,
            "identity_needs": self.plan.identity_needs,
        }

    def perform(self, form: ReviewConferenceForm) -> object:
        return actions.hold_review_conference(
            acting_user=self.request.user,
            plan=self.plan,
            progress=form.cleaned_data["progress"],
            **_conference_kwargs(form),
        )


class VisitCreateView(OnPlan[VisitForm]):
    permission = Permission.VISIT_RECORD
    form_class = VisitForm
    title = "Record a child protection visit"
    button = "Save visit"
    success_message = "Visit recorded"

    def perform(self, form: VisitForm) -> object:
        data = form.cleaned_data
        return actions.record_visit(
            acting_user=self.request.user,
            plan=self.plan,
            visit_date=data["visit_date"],
            child_seen=data["child_seen"] == "yes",
            child_seen_alone=data["child_seen_alone"] == "yes",
            observations=data["observations"],
        )


class EndPlanView(OnPlan[EndPlanForm]):
    permission = Permission.PLAN_RECORD
    form_class = EndPlanForm
    title = "End the plan for another reason"
    button = "End the plan"
    success_message = "Plan ended"

    def intro(self) -> str:
        return (
            "A plan usually ends at a review conference. Use this when the child has moved "
            "permanently to another area, reached 18, died or left the UK."
        )

    def perform(self, form: EndPlanForm) -> object:
        return actions.end_plan(acting_user=self.request.user, plan=self.plan, **form.cleaned_data)


def _audience(request: HttpRequest) -> Audience:
    try:
        return Audience(request.GET.get("audience", Audience.PARENTS))
    except ValueError:
        return Audience.PARENTS


class FamilyPlanView(ChildRecordMixin, TemplateView):
    """The plan the family can read, with its readability and the jargon it uses."""

    permission = Permission.CHILD_VIEW
    record_section = "protection"
    template_name = "protection/family_plan.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        audience = _audience(self.request)
        plan = queries.plan_with_detail(
            get_plan(actions.SMART_PLAN, self.person, int(self.kwargs["plan_id"]))
        )
        context.update(
            plan=plan,
            family=build_family_plan(plan, audience, timezone.localdate()),
            audience=audience,
            audiences=list(Audience),
        )
        return context


@requires(Permission.CHILD_VIEW)
def family_plan_pdf(request: HttpRequest, person_id: int, plan_id: int) -> HttpResponse:
    """The family plan as a PDF, audited as an export."""
    person = get_person_for_user(request.user, person_id)
    plan = queries.plan_with_detail(get_plan(actions.SMART_PLAN, person, plan_id))
    audience = _audience(request)
    today = timezone.localdate()
    family = build_family_plan(plan, audience, today)
    pdf = render_family_pdf(family, {"person": person, "today": today})
    record_export(
        acting_user=request.user,
        export_name="protection.family-plan-pdf",
        subject_person_ids=[person.pk],
        extra={"plan": plan.pk, "audience": audience.value},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="plan-{person.caseline_id}-{audience.value}.pdf"'
    )
    return response


class StrategyComplianceView(PermissionRequiredMixin, TemplateView):
    """Strategy discussions in a period where the police or health took no part.

    For managers (allocate cases) and performance staff (see indicators)."""

    permission = Permission.CASE_ALLOCATE
    template_name = "protection/strategy_compliance.html"
    request: AuthenticatedRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if _can(request, Permission.INDICATORS_VIEW) and not _can(
            request, Permission.CASE_ALLOCATE
        ):
            return TemplateView.dispatch(self, request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        today = timezone.localdate()
        default = {"start": today - datetime.timedelta(days=90), "end": today}
        form = PeriodForm(request.GET if "start_day" in request.GET else None, initial=default)
        report = None
        icpc = None
        status = 200
        if form.is_bound and not form.is_valid():
            status = 400
        else:
            start, end = (
                (form.cleaned_data["start"], form.cleaned_data["end"])
                if form.is_bound
                else (default["start"], default["end"])
            )
            report = queries.strategy_compliance(self.request.user, start, end)
            icpc = queries.icpc_report(self.request.user, start, end)
        return self.render_to_response(
            self.get_context_data(form=form, report=report, icpc=icpc), status=status
        )
