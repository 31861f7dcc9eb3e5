"""Pages of private fostering, young carers and participation on the child's record: thin
views that look up, bind a form, call an action, go back to the section."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView, F
from caseline.apps.people.queries import get_person_for_user, visible_among
from caseline.apps.people.record import ChildRecordMixin
from caseline.apps.privatefostering import actions, forms, queries
from caseline.apps.privatefostering.models import (
    AgeGroup,
    Arrangement,
    Survey,
    YoungCarerAssessment,
)


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


# --- Surveys of children's views and the Children in Care Council --------------------------


class SurveysView(PermissionRequiredMixin, TemplateView):
    """Every survey, newest first, and the Children in Care Council."""

    permission = Permission.PARTICIPATION_MANAGE
    template_name = "privatefostering/surveys.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["surveys"] = queries.surveys()
        return context


class SurveyNewView(PermissionRequiredMixin, ActionFormView[forms.SurveyForm]):
    permission = Permission.PARTICIPATION_MANAGE
    form_class = forms.SurveyForm
    template_name = "privatefostering/form.html"
    title = "Start a survey"
    button = "Start the survey"
    success_message = "Survey started"

    def perform(self, form: forms.SurveyForm) -> object:
        return actions.create_survey(acting_user=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        if self.result is not None:
            return reverse("privatefostering:survey", args=[self.result.pk])
        return reverse("privatefostering:surveys")

    def get_back_url(self) -> str:
        return reverse("privatefostering:surveys")


class SurveyMixin(PermissionRequiredMixin):
    permission = Permission.PARTICIPATION_MANAGE
    kwargs: dict[str, Any]

    @cached_property
    def survey(self) -> Survey:
        return get_object_or_404(Survey, pk=int(self.kwargs["survey_id"]))


class SurveyView(SurveyMixin, TemplateView):
    """A survey's results by question and age group, against the survey before."""

    template_name = "privatefostering/survey.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        results, before, responses = queries.survey_results(self.survey)
        context.update(
            survey=self.survey,
            results=results,
            before=before,
            responses=responses,
            age_groups=AgeGroup.choices,
        )
        return context


class SurveyStepView(SurveyMixin, ActionFormView[Any]):
    template_name = "privatefostering/form.html"

    def get_success_url(self) -> str:
        return reverse("privatefostering:survey", args=[self.survey.pk])


class SurveyResponseView(SurveyStepView):
    form_class = forms.SurveyResponseForm
    title = "Record a response"
    success_message = "Response recorded"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        kwargs["questions"] = list(self.survey.questions.order_by("number"))
        return kwargs

    def perform(self, form: forms.SurveyResponseForm) -> object:
        return actions.record_survey_response(
            acting_user=self.request.user,
            survey=self.survey,
            responded_on=form.cleaned_data["responded_on"],
            age_group=form.cleaned_data["age_group"],
            scores=form.scores(),
        )


class WhatChangedView(SurveyStepView):
    form_class = forms.WhatChangedForm
    title = "Record what changed"
    success_message = "Recorded what changed; the survey is closed"

    def get_initial(self) -> dict[str, Any]:
        return {"what_changed": self.survey.what_changed}

    def perform(self, form: forms.WhatChangedForm) -> object:
        return actions.record_what_changed(
            acting_user=self.request.user,
            survey=self.survey,
            what_changed=form.cleaned_data["what_changed"],
            closed_on=self.survey.closed_on or timezone.localdate(),
        )


class CouncilView(PermissionRequiredMixin, TemplateView):
    """The Children in Care Council's members and the meetings they attended."""

    permission = Permission.PARTICIPATION_MANAGE
    template_name = "privatefostering/council.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        members, meetings = queries.council()
        visible = visible_among(self.request.user, {m.person_id for m in members})
        context.update(
            members=[m for m in members if m.person_id in visible],
            meetings=meetings,
            visible=visible,
        )
        return context


class CouncilStepView(PermissionRequiredMixin, ActionFormView[Any]):
    permission = Permission.PARTICIPATION_MANAGE
    template_name = "privatefostering/form.html"

    def get_success_url(self) -> str:
        return reverse("privatefostering:council")


class CouncilMemberView(CouncilStepView):
    form_class = forms.CouncilMemberForm
    title = "Add a member of the Children in Care Council"
    success_message = "Member added"

    def perform(self, form: forms.CouncilMemberForm) -> object:
        child = get_person_for_user(self.request.user, form.cleaned_data["person_id"])
        return actions.add_council_member(
            acting_user=self.request.user, child=child, joined_on=form.cleaned_data["joined_on"]
        )


class CouncilMeetingView(CouncilStepView):
    form_class = forms.CouncilMeetingForm
    title = "Record a Children in Care Council meeting"
    success_message = "Meeting recorded"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        members, _ = queries.council()
        kwargs["members"] = [m for m in members if m.left_on is None]
        return kwargs

    def perform(self, form: forms.CouncilMeetingForm) -> object:
        return actions.record_council_meeting(acting_user=self.request.user, **form.cleaned_data)
