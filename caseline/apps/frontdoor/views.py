"""Front door pages: thin views that check permission, look up, bind a form, call an action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import PermissionRequiredMixin, user_can
from caseline.apps.core.paging import paged
from caseline.apps.frontdoor import actions, queries
from caseline.apps.frontdoor.forms import (
    AllocationForm,
    CloseReferralForm,
    ContactForm,
    DecisionForm,
    EarlyHelpForm,
    EndEarlyHelpForm,
    ReferralForm,
    StepDownForm,
    StepUpForm,
    add_action_errors,
)
from caseline.apps.frontdoor.models import Contact, ContactPerson, EarlyHelpEpisode, StepChange
from caseline.apps.people.models import Person
from caseline.apps.people.queries import current_allocation, get_person_for_user
from caseline.apps.people.record import ChildRecordMixin


def _episodes_url(person_id: int) -> str:
    return reverse("frontdoor:record-episodes", kwargs={"person_id": person_id})


def _invalid(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context, status=400)


# --- Contacts -------------------------------------------------------------------------------


class ContactListView(PermissionRequiredMixin, TemplateView):
    """The front door: contacts awaiting a decision, oldest first, with their due dates."""

    permission = Permission.CONTACT_RECORD
    template_name = "frontdoor/contact_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        sources = code_list(CodeListName.REFERRAL_SOURCE)
        context["rows"] = [
            {
                "contact": contact,
                "subjects": [
                    cp.person
                    for cp in contact.people.all()
                    if cp.role == ContactPerson.Role.SUBJECT
                ],
                "source": sources.label(contact.source),
                "timeliness": queries.contact_timeliness(contact, today),
            }
            for contact in queries.contacts_awaiting_decision(self.request.user)
        ]
        return context


class ContactCreateView(PermissionRequiredMixin, View):
    """Record a contact about a child picked with ``?person=<id>``."""

    permission = Permission.CONTACT_RECORD
    template_name = "frontdoor/contact_form.html"

    def _child(self, request: HttpRequest) -> Person | None:
        raw = request.GET.get("person", "")
        return get_person_for_user(request.user, int(raw)) if raw.isdigit() else None

    def _form(self, request: HttpRequest, child: Person) -> ContactForm:
        related = queries.people_involved_with(child)
        return ContactForm(request.POST or None, related=related)

    def get(self, request: HttpRequest) -> HttpResponse:
        child = self._child(request)
        form = self._form(request, child) if child else None
        return render(request, self.template_name, {"child": child, "form": form})

    def post(self, request: HttpRequest) -> HttpResponseBase:
        child = self._child(request)
        if child is None:
            return redirect("frontdoor:contact-new")
        form = self._form(request, child)
        if form.is_valid():
            people = [(child, ContactPerson.Role.SUBJECT), *form.other_people()]
            data = form.cleaned_data
            try:
                contact = actions.record_contact(
                    acting_user=request.user,  # type: ignore[arg-type]
                    received_at=data["received_at"],
                    source=data["source"],
                    concern=data["concern"],
                    consent=data["consent"],
                    consent_note=data["consent_note"],
                    referrer_name=data["referrer_name"],
                    referrer_organisation=data["referrer_organisation"],
                    referrer_contact=data["referrer_contact"],
                    people=people,
                )
            except ValidationError as error:
                add_action_errors(form, error, {"received_at": "received_on", "people": "others"})
            else:
                messages.success(request, f"Contact about {child.full_name} recorded")
                return redirect("frontdoor:contact-detail", pk=contact.pk)
        return _invalid(request, self.template_name, {"child": child, "form": form})


class _ContactMixin(PermissionRequiredMixin):
    contact: Contact

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.contact = queries.get_contact_for_user(request.user, int(kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def contact_context(self) -> dict[str, Any]:
        today = timezone.localdate()
        received_on = timezone.localdate(self.contact.received_at)
        people = list(self.contact.people.select_related("person").order_by("id"))
        step_downs = []
        for cp in people:
            if cp.role != ContactPerson.Role.SUBJECT:
                continue
            step = queries.recent_step_down(cp.person, received_on)
            if step is not None:
                step_downs.append((cp.person, queries.step_down_description(step, today)))
        open_cases = [
            (cp.person, referral)
            for cp in people
            if cp.role == ContactPerson.Role.SUBJECT
            and (referral := actions.open_referral_for(cp.person)) is not None
            and referral.contact_id != self.contact.pk
        ]
        return {
            "open_cases": open_cases,
            "contact": self.contact,
            "people": people,
            "source": code_list(CodeListName.REFERRAL_SOURCE).label(self.contact.source),
            "timeliness": queries.contact_timeliness(self.contact, today),
            "step_downs": step_downs,
            "referrals": list(self.contact.referrals.select_related("person")),
            "can_decide": user_can(self.request.user, Permission.CONTACT_DECIDE),  # type: ignore[attr-defined]
        }


class ContactDetailView(_ContactMixin, TemplateView):
    permission = Permission.CONTACT_RECORD
    template_name = "frontdoor/contact_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.contact_context())
        return context


class ContactDecideView(_ContactMixin, View):
    permission = Permission.CONTACT_DECIDE
    template_name = "frontdoor/contact_decide.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        if self.contact.decision:
            messages.success(request, "A decision has already been recorded for this contact")
            return redirect("frontdoor:contact-detail", pk=self.contact.pk)
        context = {**self.contact_context(), "form": DecisionForm()}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                referrals = actions.decide_contact(
                    acting_user=request.user,  # type: ignore[arg-type]
                    contact=self.contact,
                    decision=data["decision"],
                    rationale=data["decision_rationale"],
                    decided_at=data["decided_at"],
                    primary_need=data["primary_need"],
                )
            except ValidationError as error:
                add_action_errors(form, error, {"decided_at": "decided_on"})
            else:
                message = "Decision recorded"
                if referrals:
                    names = ", ".join(r.person.full_name for r in referrals)
                    message = f"Decision recorded and referral opened for {names}"
                messages.success(request, message)
                return redirect("frontdoor:contact-detail", pk=self.contact.pk)
        self.contact.refresh_from_db()
        return _invalid(request, self.template_name, {**self.contact_context(), "form": form})


# --- A child's record: episodes -------------------------------------------------------------

# Contacts on one page of the child's contacts and episodes, newest first.
CONTACTS_PER_PAGE = 25


class RecordEpisodesView(ChildRecordMixin, TemplateView):
    """The child's contacts (newest first, a page at a time), referrals, early help, step
    changes and allocation history."""

    record_section = "episodes"
    template_name = "frontdoor/record_episodes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.person
        today = timezone.localdate()
        sources = code_list(CodeListName.REFERRAL_SOURCE)
        needs = code_list(CodeListName.PRIMARY_NEED)
        closures = code_list(CodeListName.CIN_CLOSURE_REASON)
        step_changes = list(StepChange.objects.filter(person=person).order_by("-date", "-id"))
        referrals = []
        for referral in queries.referrals_for(person):
            step = queries.step_down_within(step_changes, referral.referral_date)
            referrals.append(
                {
                    "referral": referral,
                    "source": sources.label(referral.source),
                    "need": needs.label(referral.primary_need) if referral.primary_need else "",
                    "closure": closures.label(referral.closure_reason)
                    if referral.closure_reason
                    else "",
                    "step_down": queries.step_down_description(step, referral.referral_date)
                    if step and step.from_referral_id != referral.pk
                    else "",
                }
            )
        contact_pages = paged(queries.contacts_about(person), self.request, CONTACTS_PER_PAGE)
        contacts = [
            {
                "contact": contact,
                "role": next(
                    (
                        cp.get_role_display()
                        for cp in contact.people.all()
                        if cp.person_id == person.pk
                    ),
                    "",
                ),
                "timeliness": queries.contact_timeliness(contact, today),
            }
            for contact in contact_pages.page.object_list
        ]
        context.update(
            contacts=contacts,
            contact_pages=contact_pages,
            referrals=referrals,
            open_referral=actions.open_referral_for(person),
            early_help=list(EarlyHelpEpisode.objects.filter(person=person)),
            open_early_help=actions.open_early_help_for(person),
            step_changes=step_changes,
            allocations=list(person.allocations.select_related("team", "worker", "allocated_by")),
            current_allocation=current_allocation(person),
        )
        return context


class _PersonFormView(ChildRecordMixin, View):
    """A form about one child; ``run`` calls the action and returns a success message."""

    record_section = "episodes"
    template_name = ""
    title = ""
    button = "Save"
    form_class: type[forms.Form]
    aliases: dict[str, str] = {}

    def make_form(self, data: Any = None) -> forms.Form:
        return self.form_class(data)

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {"person": self.person, "form": form, "title": self.title, "button": self.button}

    def get(self, request: HttpRequest, person_id: int) -> HttpResponse:
        return render(request, self.template_name, self.context(self.make_form()))

    def post(self, request: HttpRequest, person_id: int) -> HttpResponseBase:
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                message = self.run(form.cleaned_data)
            except ValidationError as error:
                add_action_errors(form, error, self.aliases)
            else:
                messages.success(request, message)
                return redirect(_episodes_url(self.person.pk))
        return _invalid(request, self.template_name, self.context(form))

    def run(self, data: dict[str, Any]) -> str:  # pragma: no cover - overridden
        raise NotImplementedError


class ReferralCreateView(_PersonFormView):
    permission = Permission.REFERRAL_RECORD
    template_name = "frontdoor/person_form.html"
    title = "Record a referral"
    button = "Record referral"
    form_class = ReferralForm

    def context(self, form: forms.Form) -> dict[str, Any]:
        context = super().context(form)
        step = queries.recent_step_down(self.person, timezone.localdate())
        if step is not None:
            context["warning"] = queries.step_down_description(step, timezone.localdate())
        return context

    def run(self, data: dict[str, Any]) -> str:
        actions.record_referral(
            acting_user=self.request.user,  # type: ignore[arg-type]
            person=self.person,
            referral_date=data["referral_date"],
            source=data["source"],
            primary_need=data["primary_need"],
        )
        return f"Referral recorded for {self.person.full_name}"


class StepDownView(_PersonFormView):
    permission = Permission.REFERRAL_RECORD
    template_name = "frontdoor/person_form.html"
    title = "Step down to early help"
    button = "Record step down"
    form_class = StepDownForm

    def run(self, data: dict[str, Any]) -> str:
        actions.record_step_down(
            acting_user=self.request.user,  # type: ignore[arg-type]
            person=self.person,
            date=data["date"],
            rationale=data["rationale"],
            organisation=data["organisation"],
            lead_practitioner=data["lead_practitioner"],
        )
        return f"{self.person.full_name} stepped down to early help"


class StepUpView(_PersonFormView):
    permission = Permission.REFERRAL_RECORD
    template_name = "frontdoor/person_form.html"
    title = "Step up to children's social care"
    button = "Record step up"
    form_class = StepUpForm

    def run(self, data: dict[str, Any]) -> str:
        actions.record_step_up(
            acting_user=self.request.user,  # type: ignore[arg-type]
            person=self.person,
            date=data["date"],
            rationale=data["rationale"],
        )
        return f"{self.person.full_name} stepped up: now record the referral"


class EarlyHelpCreateView(_PersonFormView):
    permission = Permission.REFERRAL_RECORD
    template_name = "frontdoor/person_form.html"
    title = "Start early help"
    button = "Start early help"
    form_class = EarlyHelpForm

    def run(self, data: dict[str, Any]) -> str:
        actions.start_early_help(
            acting_user=self.request.user,  # type: ignore[arg-type]
            person=self.person,
            start_date=data["start_date"],
            reason=data["reason"],
            organisation=data["organisation"],
            lead_practitioner=data["lead_practitioner"],
        )
        return f"Early help started for {self.person.full_name}"


class AllocateView(_PersonFormView):
    permission = Permission.CASE_ALLOCATE
    template_name = "frontdoor/person_form.html"
    title = "Allocate the case"
    button = "Allocate"
    form_class = AllocationForm

    def make_form(self, data: Any = None) -> forms.Form:
        return AllocationForm(data, initial={"start_date": timezone.localdate()})

    def context(self, form: forms.Form) -> dict[str, Any]:
        context = super().context(form)
        context["current_allocation"] = current_allocation(self.person)
        return context

    def run(self, data: dict[str, Any]) -> str:
        allocation = actions.allocate_case(
            acting_user=self.request.user,  # type: ignore[arg-type]
            person=self.person,
            team=data["team"],
            worker=data["worker"],
            start_date=data["start_date"],
            reason=data["reason"],
        )
        return f"Case allocated to {allocation.team}"


# --- Changes to an existing episode ---------------------------------------------------------


class ReferralCloseView(PermissionRequiredMixin, View):
    permission = Permission.REFERRAL_RECORD
    template_name = "frontdoor/person_form.html"

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {
            "person": self.referral.person,
            "form": form,
            "title": "Close the referral",
            "button": "Close referral",
            "referral": self.referral,
        }

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.referral = queries.get_referral_for_user(request.user, int(kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(CloseReferralForm()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        form = CloseReferralForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.close_referral(
                    acting_user=request.user,  # type: ignore[arg-type]
                    referral=self.referral,
                    closed_on=data["closed_on"],
                    closure_reason=data["closure_reason"],
                    closure_note=data["closure_note"],
                    nfa=data["nfa"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, "Referral closed")
                return redirect(_episodes_url(self.referral.person_id))
        return _invalid(request, self.template_name, self.context(form))


class EarlyHelpEndView(PermissionRequiredMixin, View):
    permission = Permission.REFERRAL_RECORD
    template_name = "frontdoor/person_form.html"

    def context(self, form: forms.Form) -> dict[str, Any]:
        return {
            "person": self.episode.person,
            "form": form,
            "title": "End early help",
            "button": "End early help",
        }

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.episode = queries.get_early_help_for_user(request.user, int(kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.context(EndEarlyHelpForm()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        form = EndEarlyHelpForm(request.POST)
        if form.is_valid():
            try:
                actions.end_early_help(
                    acting_user=request.user,  # type: ignore[arg-type]
                    episode=self.episode,
                    end_date=form.cleaned_data["end_date"],
                    end_reason=form.cleaned_data["end_reason"],
                )
            except ValidationError as error:
                add_action_errors(form, error)
            else:
                messages.success(request, "Early help ended")
                return redirect(_episodes_url(self.episode.person_id))
        return _invalid(request, self.template_name, self.context(form))
