"""Front door pages: thin views that check permission, look up, bind a form, call an action."""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.models import User
from caseline.apps.accounts.permissions import Permission
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.core.paging import paged
from caseline.apps.frontdoor import actions, queries
from caseline.apps.frontdoor.forms import (
    AllocationForm,
    CloseReferralForm,
    ContactCorrectionForm,
    ContactForm,
    DecisionForm,
    EarlyHelpForm,
    EndEarlyHelpForm,
    ReferralForm,
    StepDownForm,
    StepUpForm,
)
from caseline.apps.frontdoor.models import (
    Contact,
    ContactPerson,
    EarlyHelpEpisode,
    Referral,
    StepChange,
)
from caseline.apps.people.models import Allocation, Person
from caseline.apps.people.queries import current_allocation, get_person_for_user, restricted_from
from caseline.apps.people.record import ChildRecordMixin

F = TypeVar("F", bound=forms.BaseForm)


def _episodes_url(person_id: int) -> str:
    return reverse("frontdoor:record-episodes", kwargs={"person_id": person_id})


# --- Contacts -------------------------------------------------------------------------------


# Contacts on one page of the front door's list, oldest first; the count covers them all.
WAITING_PER_PAGE = 50


class ContactListView(PermissionRequiredMixin, TemplateView):
    """The front door: contacts awaiting a decision, oldest first, with their due dates,
    a page at a time."""

    request: AuthenticatedRequest

    permission = Permission.CONTACT_RECORD
    template_name = "frontdoor/contact_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        sources = code_list(CodeListName.REFERRAL_SOURCE)
        waiting = queries.contacts_awaiting_decision(self.request.user)
        pages = paged(waiting, self.request, WAITING_PER_PAGE)
        contacts = list(pages.page.object_list)
        hidden = restricted_from(
            self.request.user, {cp.person_id for contact in contacts for cp in contact.people.all()}
        )
        context["row_total"] = len(waiting)
        context["paged"] = pages
        context["rows"] = [
            {
                "contact": contact,
                "subjects": [
                    cp.person
                    for cp in contact.people.all()
                    if cp.role == ContactPerson.Role.SUBJECT and cp.person_id not in hidden
                ],
                "source": sources.label(contact.source),
                "timeliness": queries.contact_timeliness(contact, today),
            }
            for contact in contacts
        ]
        return context


# What the contact form gives the actions that record and correct a contact.
_CONTACT_DETAILS = (
    "received_at",
    "received_time_given",
    "source",
    "concern",
    "consent",
    "consent_note",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
)


def _contact_details(form: ContactForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in _CONTACT_DETAILS}


class ContactCreateView(PermissionRequiredMixin, ActionFormView[ContactForm]):
    """Record a contact about a child picked with ``?person=<id>``."""

    permission = Permission.CONTACT_RECORD
    template_name = "frontdoor/contact_form.html"
    form_class = ContactForm
    title = "Record a contact"
    button = "Record contact"
    error_aliases = {"received_at": "received_on", "people": "others"}
    child: Person | None = None

    def _child(self) -> Person | None:
        raw = self.request.GET.get("person", "")
        return get_person_for_user(self.request.user, int(raw)) if raw.isdigit() else None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.child = self._child()
        if self.child is None:
            # No child yet: the page says how to find one, with no form.
            return self.render_to_response({"child": None, "form": None})
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.child = self._child()
        if self.child is None:
            return redirect("frontdoor:contact-new")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        assert self.child is not None
        kwargs["related"] = queries.people_involved_with(self.child)
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["child"] = self.child
        return context

    def perform(self, form: ContactForm) -> Contact:
        assert self.child is not None
        return actions.record_contact(
            acting_user=self.request.user,
            people=[(self.child, ContactPerson.Role.SUBJECT), *form.other_people()],
            **_contact_details(form),
        )

    def get_success_message(self) -> str:
        assert self.child is not None
        return f"Contact about {self.child.full_name} recorded"

    def get_success_url(self) -> str:
        return reverse("frontdoor:contact-detail", kwargs={"pk": self.result.pk})

    def get_back_url(self) -> str:
        return reverse("frontdoor:contacts")


class _LookupMixin(PermissionRequiredMixin):
    """Looks up the record in the URL's ``pk`` once the permission is known to be held (so a
    user without it learns nothing about which records exist)."""

    def look_up(self, user: User, pk: int) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.look_up(request.user, int(kwargs["pk"]))
        return super().dispatch(request, *args, **kwargs)


class _ContactMixin(_LookupMixin):
    contact: Contact

    def look_up(self, user: User, pk: int) -> None:
        self.contact = queries.get_contact_for_user(user, pk)

    def contact_context(self, user: User) -> dict[str, Any]:
        today = timezone.localdate()
        received_on = timezone.localdate(self.contact.received_at)
        people = queries.people_of(self.contact)
        # Anyone on the contact whose record is restricted from the user is left out (ADR 0030).
        hidden = restricted_from(user, {cp.person_id for cp in people})
        people = [cp for cp in people if cp.person_id not in hidden]
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
            and (referral := queries.open_referral_for(cp.person)) is not None
            and referral.contact_id != self.contact.pk
        ]
        return {
            "open_cases": open_cases,
            "contact": self.contact,
            "people": people,
            "source": code_list(CodeListName.REFERRAL_SOURCE).label(self.contact.source),
            "timeliness": queries.contact_timeliness(self.contact, today),
            "step_downs": step_downs,
            "referrals": [
                referral
                for referral in self.contact.referrals.select_related("person")
                if referral.person_id not in hidden
            ],
            "can_decide": user_can(user, Permission.CONTACT_DECIDE),
            "can_correct": not self.contact.decision and user_can(user, Permission.CONTACT_RECORD),
        }


class ContactDetailView(_ContactMixin, TemplateView):
    request: AuthenticatedRequest
    permission = Permission.CONTACT_RECORD
    template_name = "frontdoor/contact_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.contact_context(self.request.user))
        return context


class ContactDecideView(_ContactMixin, ActionFormView[DecisionForm]):
    permission = Permission.CONTACT_DECIDE
    template_name = "frontdoor/contact_decide.html"
    form_class = DecisionForm
    error_aliases = {"decided_at": "decided_on"}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.contact.decision:
            messages.success(request, "A decision has already been recorded for this contact")
            return redirect("frontdoor:contact-detail", pk=self.contact.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.contact.version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.contact_context(self.request.user))
        return context

    def form_invalid(self, form: DecisionForm) -> HttpResponse:
        # Someone else may have decided it meanwhile: show the contact as it is now.
        self.contact.refresh_from_db()
        return super().form_invalid(form)

    def perform(self, form: DecisionForm) -> list[Referral]:
        data = form.cleaned_data
        return actions.decide_contact(
            acting_user=self.request.user,
            contact=self.contact,
            decision=data["decision"],
            rationale=data["decision_rationale"],
            decided_at=data["decided_at"],
            decided_time_given=data["decided_time_given"],
            primary_need=data["primary_need"],
            read_version=data["version"],
        )

    def get_success_message(self) -> str:
        if not self.result:
            return "Decision recorded"
        names = ", ".join(r.person.full_name for r in self.result)
        return f"Decision recorded and referral opened for {names}"

    def get_success_url(self) -> str:
        return reverse("frontdoor:contact-detail", kwargs={"pk": self.contact.pk})


class ContactCorrectView(_ContactMixin, ActionFormView[ContactCorrectionForm]):
    """Correct an undecided contact's details: when it was received, who made it, the
    concern, consent and the people it is about beside its first child."""

    permission = Permission.CONTACT_RECORD
    template_name = "frontdoor/contact_form.html"
    form_class = ContactCorrectionForm
    title = "Correct the contact's details"
    button = "Save corrections"
    success_message = "Contact details corrected"
    error_aliases = {"received_at": "received_on", "people": "others"}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.contact.decision:
            messages.success(request, "A decided contact's details cannot be corrected")
            return redirect("frontdoor:contact-detail", pk=self.contact.pk)
        return super().get(request, *args, **kwargs)

    @cached_property
    def about(self) -> tuple[Person, list[ContactPerson]]:
        """The contact's first child, and everyone else it is about."""
        people = queries.people_of(self.contact)
        first = next(cp for cp in people if cp.role == ContactPerson.Role.SUBJECT)
        return first.person, [cp for cp in people if cp is not first]

    def get_initial(self) -> dict[str, Any]:
        _, others = self.about
        return ContactCorrectionForm.initial_from(self.contact, [cp.person for cp in others])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        child, others = self.about
        # The child's relatives, and anyone else the contact is about; each in the role the
        # contact gives them, so that a correction changes no one's role unasked.
        roles = {cp.person_id: cp.role for cp in others}
        related = [
            (person, roles.pop(person.pk, role), label)
            for person, role, label in queries.people_involved_with(child)
        ]
        kwargs["related"] = related + [
            (cp.person, cp.role, cp.get_role_display().lower())
            for cp in others
            if cp.person_id in roles
        ]
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["child"], _ = self.about
        context["contact"] = self.contact
        return context

    def perform(self, form: ContactCorrectionForm) -> Contact:
        child, _ = self.about
        return actions.correct_contact(
            acting_user=self.request.user,
            contact=self.contact,
            read_version=form.cleaned_data["version"],
            people=[(child, ContactPerson.Role.SUBJECT), *form.other_people()],
            **_contact_details(form),
        )

    def get_success_url(self) -> str:
        return reverse("frontdoor:contact-detail", kwargs={"pk": self.contact.pk})


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
            open_referral=queries.open_referral_for(person),
            early_help=list(EarlyHelpEpisode.objects.filter(person=person)),
            open_early_help=queries.open_early_help_for(person),
            step_changes=step_changes,
            allocations=list(person.allocations.select_related("team", "worker", "allocated_by")),
            current_allocation=current_allocation(person),
        )
        return context


class _EpisodeFormView(ChildRecordMixin, ActionFormView[F]):
    """A form about one child's episodes; a save goes back to the child's episodes."""

    record_section = "episodes"
    template_name = "frontdoor/person_form.html"

    def get_success_message(self) -> str:
        return self.success_message.format(name=self.person.full_name)

    def get_success_url(self) -> str:
        return _episodes_url(self.person.pk)


class ReferralCreateView(_EpisodeFormView[ReferralForm]):
    permission = Permission.REFERRAL_RECORD
    title = "Record a referral"
    button = "Record referral"
    form_class = ReferralForm
    success_message = "Referral recorded for {name}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        step = queries.recent_step_down(self.person, timezone.localdate())
        if step is not None:
            context["warning"] = queries.step_down_description(step, timezone.localdate())
        return context

    def perform(self, form: ReferralForm) -> Referral:
        data = form.cleaned_data
        return actions.record_referral(
            acting_user=self.request.user,
            child=self.person,
            referral_date=data["referral_date"],
            source=data["source"],
            primary_need=data["primary_need"],
        )


class StepDownView(_EpisodeFormView[StepDownForm]):
    permission = Permission.REFERRAL_RECORD
    title = "Step down to early help"
    button = "Record step down"
    form_class = StepDownForm
    success_message = "{name} stepped down to early help"

    def perform(self, form: StepDownForm) -> StepChange:
        return actions.record_step_down(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class StepUpView(_EpisodeFormView[StepUpForm]):
    permission = Permission.REFERRAL_RECORD
    title = "Step up to children's social care"
    button = "Record step up"
    form_class = StepUpForm
    success_message = "{name} stepped up: now record the referral"

    def perform(self, form: StepUpForm) -> StepChange:
        return actions.record_step_up(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class EarlyHelpCreateView(_EpisodeFormView[EarlyHelpForm]):
    permission = Permission.REFERRAL_RECORD
    title = "Start early help"
    button = "Start early help"
    form_class = EarlyHelpForm
    success_message = "Early help started for {name}"

    def perform(self, form: EarlyHelpForm) -> EarlyHelpEpisode:
        return actions.start_early_help(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )


class AllocateView(_EpisodeFormView[AllocationForm]):
    permission = Permission.CASE_ALLOCATE
    title = "Allocate the case"
    button = "Allocate"
    form_class = AllocationForm

    @cached_property
    def current(self) -> Allocation | None:
        return current_allocation(self.person)

    def get_initial(self) -> dict[str, Any]:
        # Reallocating starts from the current team and worker; a first allocation from the
        # allocating manager's own team.
        if self.current is not None:
            return {
                "start_date": timezone.localdate(),
                "team": self.current.team,
                "worker": self.current.worker,
            }
        return {"start_date": timezone.localdate(), "team": self.request.user.team}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["current_allocation"] = self.current
        return context

    def perform(self, form: AllocationForm) -> Allocation:
        return actions.allocate_case(
            acting_user=self.request.user, child=self.person, **form.cleaned_data
        )

    def get_success_message(self) -> str:
        return f"Case allocated to {self.result.team}"


# --- Changes to an existing episode ---------------------------------------------------------


class _EpisodeChangeView(_LookupMixin, ActionFormView[F]):
    """A change to one of a child's episodes (looked up by the URL's ``pk``); a save goes back
    to the child's episodes."""

    permission = Permission.REFERRAL_RECORD
    template_name = "frontdoor/person_form.html"
    episode: Referral | EarlyHelpEpisode

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["person"] = self.episode.person
        return context

    def get_success_url(self) -> str:
        return _episodes_url(self.episode.person_id)


class ReferralCloseView(_EpisodeChangeView[CloseReferralForm]):
    form_class = CloseReferralForm
    title = "Close the referral"
    button = "Close referral"
    success_message = "Referral closed"
    referral: Referral

    def look_up(self, user: User, pk: int) -> None:
        self.episode = self.referral = queries.get_referral_for_user(user, pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["referral"] = self.referral
        return context

    def perform(self, form: CloseReferralForm) -> Referral:
        return actions.close_referral(
            acting_user=self.request.user, referral=self.referral, **form.cleaned_data
        )


class EarlyHelpEndView(_EpisodeChangeView[EndEarlyHelpForm]):
    form_class = EndEarlyHelpForm
    title = "End early help"
    button = "End early help"
    success_message = "Early help ended"
    early_help: EarlyHelpEpisode

    def look_up(self, user: User, pk: int) -> None:
        self.episode = self.early_help = queries.get_early_help_for_user(user, pk)

    def perform(self, form: EndEarlyHelpForm) -> EarlyHelpEpisode:
        return actions.end_early_help(
            acting_user=self.request.user, episode=self.early_help, **form.cleaned_data
        )
