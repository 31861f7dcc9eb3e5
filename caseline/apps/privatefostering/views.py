"""Pages of private fostering, young carers and participation on the child's record: thin
views that look up, bind a form, call an action, go back to the section."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import user_can
from caseline.apps.core.formviews import ActionFormView, F
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.privatefostering import actions, forms, queries
from caseline.apps.privatefostering.models import Arrangement, YoungCarerAssessment


class RecordView(ChildRecordMixin, TemplateView):
    """The child's private fostering arrangements, caring role and participation."""

    permission = Permission.CHILD_VIEW
    record_section = "private-fostering"
    template_name = "privatefostering/record.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        user = self.request.user
        arrangements = queries.arrangements_of(self.person)
        context.update(
            states=[queries.arrangement_state(a, today) for a in arrangements],
            has_open=any(a.ended_on is None for a in arrangements),
            young_carer=queries.young_carer_assessments_of(self.person),
            participation=queries.participation_of(self.person),
            can_record=user_can(user, Permission.ASSESSMENT_RECORD),
            can_visit=user_can(user, Permission.VISIT_RECORD),
            can_decide=user_can(user, Permission.ASSESSMENT_AUTHORISE),
            can_support=user_can(user, Permission.PLAN_RECORD),
            can_participation=user_can(user, Permission.CARE_RECORD),
        )
        return context


class FormPage(ChildRecordMixin, ActionFormView[F]):
    """A form on the child's private fostering page, which a save goes back to."""

    record_section = "private-fostering"
    template_name = "people/record_form.html"

    def get_success_url(self) -> str:
        return reverse("privatefostering:record", kwargs={"person_id": self.person.pk})


class OnArrangement(FormPage[F]):
    """A form about the child's arrangement ``arrangement_id``."""

    @cached_property
    def arrangement(self) -> Arrangement:
        return queries.get_arrangement(self.person, int(self.kwargs["arrangement_id"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.arrangement  # 404 before anything is drawn  # noqa: B018
        return super().get_context_data(**kwargs)


class NotificationView(FormPage[forms.NotificationForm]):
    permission = Permission.ASSESSMENT_RECORD
    form_class = forms.NotificationForm
    title = "Record a private fostering notification"
    button = "Record the notification"
    success_message = "Notification recorded. The first visit is due within 7 working days."

    def perform(self, form: forms.NotificationForm) -> object:
        data = dict(form.cleaned_data)
        data["proposed"] = bool(data["proposed"])
        return actions.record_notification(acting_user=self.request.user, child=self.person, **data)


class VisitView(OnArrangement[forms.VisitForm]):
    permission = Permission.VISIT_RECORD
    form_class = forms.VisitForm
    title = "Record a private fostering visit"
    button = "Record the visit"
    success_message = "Visit recorded"

    def perform(self, form: forms.VisitForm) -> object:
        data = form.cleaned_data
        return actions.record_private_fostering_visit(
            acting_user=self.request.user,
            arrangement=self.arrangement,
            **{
                **data,
                "child_seen": bool(data["child_seen"]),
                "child_seen_alone": bool(data["child_seen_alone"]),
            },
        )


class DecisionView(OnArrangement[forms.DecisionForm]):
    permission = Permission.ASSESSMENT_AUTHORISE
    form_class = forms.DecisionForm
    title = "Record the decision on the arrangement"
    button = "Record the decision"
    success_message = "Decision recorded"

    def perform(self, form: forms.DecisionForm) -> object:
        return actions.record_decision(
            acting_user=self.request.user, arrangement=self.arrangement, **form.cleaned_data
        )


class EndView(OnArrangement[forms.EndForm]):
    permission = Permission.ASSESSMENT_RECORD
    form_class = forms.EndForm
    title = "End the private fostering arrangement"
    button = "End the arrangement"
    success_message = "Arrangement ended"

    def perform(self, form: forms.EndForm) -> object:
        return actions.end_arrangement(
            acting_user=self.request.user, arrangement=self.arrangement, **form.cleaned_data
        )


class YoungCarerView(FormPage[forms.YoungCarerForm]):
    permission = Permission.ASSESSMENT_RECORD
    form_class = forms.YoungCarerForm
    title = "Record a young carer"
    button = "Record the young carer"
    success_message = "Young carer recorded. Their needs assessment is now due."

    def perform(self, form: forms.YoungCarerForm) -> object:
        return actions.record_young_carer(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class OnYoungCarer(FormPage[F]):
    """A form about the child's young carer's assessment ``assessment_id``."""

    @cached_property
    def assessment(self) -> YoungCarerAssessment:
        return queries.get_young_carer_assessment(self.person, int(self.kwargs["assessment_id"]))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.assessment  # 404 before anything is drawn  # noqa: B018
        return super().get_context_data(**kwargs)


class YoungCarerAssessedView(OnYoungCarer[forms.YoungCarerAssessedForm]):
    permission = Permission.ASSESSMENT_RECORD
    form_class = forms.YoungCarerAssessedForm
    title = "Record the young carer's needs assessment"
    button = "Record the assessment"
    success_message = "Needs assessment recorded"

    def perform(self, form: forms.YoungCarerAssessedForm) -> object:
        data = form.cleaned_data
        return actions.complete_young_carer_assessment(
            acting_user=self.request.user,
            assessment=self.assessment,
            **{**data, "needs_support": bool(data["needs_support"])},
        )


class YoungCarerSupportView(OnYoungCarer[forms.YoungCarerSupportForm]):
    permission = Permission.PLAN_RECORD
    form_class = forms.YoungCarerSupportForm
    title = "Record support for the young carer"
    button = "Record the support"
    success_message = "Support recorded"

    def perform(self, form: forms.YoungCarerSupportForm) -> object:
        return actions.record_young_carer_support(
            acting_user=self.request.user, assessment=self.assessment, **form.cleaned_data
        )


class ToldView(FormPage[forms.ToldForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.ToldForm
    title = "Record what the child was told about having a say"
    button = "Record it"
    success_message = "Recorded"

    def perform(self, form: forms.ToldForm) -> object:
        return actions.record_participation(
            acting_user=self.request.user, child=self.person, kind="told", **form.cleaned_data
        )


class ReferralView(FormPage[forms.ReferralForm]):
    permission = Permission.CARE_RECORD
    form_class = forms.ReferralForm
    title = "Record an advocacy referral or independent visitor match"
    button = "Record it"
    success_message = "Recorded"

    def perform(self, form: forms.ReferralForm) -> object:
        return actions.record_participation(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )
