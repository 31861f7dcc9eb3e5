"""Pages for finding people, adding them, and the frame and people sections of a child's record."""

from __future__ import annotations

from functools import cached_property
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.audit.events import EventType
from caseline.apps.audit.models import AuditEvent
from caseline.apps.codes.lists import CodeListName, code_list
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin, user_can
from caseline.apps.core.formviews import ActionFormView
from caseline.apps.people import actions
from caseline.apps.people.duplicates import probable_duplicates
from caseline.apps.people.forms import (
    AddressForm,
    AlertForm,
    ContactDetailForm,
    EndAddressForm,
    EndAlertForm,
    EndRelationshipForm,
    HouseholdForm,
    JoinHouseholdForm,
    MergeForm,
    NamedUsersForm,
    OtherNameForm,
    PersonCreateForm,
    PersonEditForm,
    ProfessionalForm,
    ReasonForm,
    RelatedPersonCreateForm,
    RelationshipForm,
    RestrictForm,
    SearchForm,
)
from caseline.apps.people.models import (
    Address,
    Alert,
    ContactDetail,
    GlassBreak,
    Household,
    HouseholdMember,
    OtherName,
    Person,
    PersonMerge,
    ProfessionalInvolvement,
    Relationship,
    Restriction,
)
from caseline.apps.people.queries import (
    RecordRestricted,
    current_addresses,
    current_allocation,
    get_person_for_user,
    ordinarily_visible_people,
    other_names_and_contacts,
    record_ids,
    relationships_of,
    restricted_from,
    restriction_in_force,
    visible_people,
)
from caseline.apps.people.record import ChildRecordMixin, record_frame, section_links
from caseline.apps.people.search import SearchCriteria, search_people
from caseline.apps.people.summary import due_lines, summary_blocks

VIEWERS_PAGE_SIZE = 50

F = TypeVar("F", bound=forms.BaseForm)


class PersonSearchView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedRequest
    permission = Permission.CHILD_VIEW
    template_name = "people/search.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        results = None
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            criteria = SearchCriteria(
                name=data["name"],
                date_of_birth=data["date_of_birth"],
                identifier=data["identifier"],
                postcode=data["postcode"],
            )
            results = search_people(self.request.user, criteria)
        context.update(
            form=form,
            results=results,
            can_create=user_can(self.request.user, Permission.PERSON_CREATE),
            can_merge=user_can(self.request.user, Permission.PERSON_MERGE),
            can_record_contact=user_can(self.request.user, Permission.CONTACT_RECORD),
        )
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        status = 400 if context["form"].errors else 200
        return self.render_to_response(context, status=status)


class PersonCreateView(PermissionRequiredMixin, ActionFormView[PersonCreateForm]):
    """Add a person; with ``?related_to=<id>``, add them as a relative of that person."""

    permission = Permission.PERSON_CREATE
    template_name = "people/person_form.html"
    related_to: Person | None = None
    # Probable duplicates the action found, shown for the user to check.
    duplicates: list[Person] = []

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            value = request.GET.get("related_to", "")
            if value.isdigit():
                self.related_to = get_person_for_user(request.user, int(value))
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self) -> type[PersonCreateForm]:
        return PersonCreateForm if self.related_to is None else RelatedPersonCreateForm

    def perform(self, form: PersonCreateForm) -> Person:
        confirmed = form.cleaned_data["confirmed_not_duplicate"]
        try:
            if self.related_to is None:
                return actions.create_person(
                    acting_user=self.request.user,
                    confirmed_not_duplicate=confirmed,
                    **form.identity_values(),
                )
            person, _ = actions.create_related_person(
                acting_user=self.request.user,
                related_to=self.related_to,
                kind=form.cleaned_data["kind"],
                person_is_the_relative=form.cleaned_data["direction"] == "relative",
                has_parental_responsibility=form.cleaned_data["has_parental_responsibility"],
                lives_with=form.cleaned_data["lives_with"],
                confirmed_not_duplicate=confirmed,
                **form.identity_values(),
            )
            return person
        except actions.ProbableDuplicates as error:
            self.duplicates = error.matches
            raise ValidationError({"confirmed_not_duplicate": error.messages}) from None

    def get_success_message(self) -> str:
        return f"{self.result.full_name} ({self.result.caseline_id}) has been added"

    def get_success_url(self) -> str:
        if self.related_to is not None:
            return reverse("people:relationships", kwargs={"person_id": self.related_to.pk})
        return reverse("people:record", kwargs={"person_id": self.result.pk})

    def get_back_url(self) -> str:
        if self.related_to is not None:
            return reverse("people:relationships", kwargs={"person_id": self.related_to.pk})
        return reverse("people:search")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        visible = set(
            visible_people(self.request.user)
            .filter(pk__in=[p.pk for p in self.duplicates])
            .values_list("pk", flat=True)
        )
        context.update(
            related_to=self.related_to,
            duplicates=[p for p in self.duplicates if p.pk in visible],
            hidden_duplicates=len([p for p in self.duplicates if p.pk not in visible]),
            show_confirm=bool(self.duplicates),
            today=timezone.localdate(),
        )
        return context


class RecordSummaryView(ChildRecordMixin, TemplateView):
    request: AuthenticatedRequest
    template_name = "people/record_summary.html"
    record_section = "summary"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.person
        today = context["record_today"]
        ethnicity = code_list(CodeListName.ETHNICITY)
        religion = code_list(CodeListName.RELIGION)
        disability = code_list(CodeListName.DISABILITY)
        immigration = code_list(CodeListName.IMMIGRATION_STATUS)
        other_names, contact_details = other_names_and_contacts(person)
        allocation = current_allocation(person)
        context.update(
            ethnicity_label=ethnicity.label(person.ethnicity) if person.ethnicity else "",
            religion_label=religion.label(person.religion) if person.religion else "",
            disability_labels=[disability.label(c) for c in person.disabilities],
            immigration_label=immigration.label(person.immigration_status)
            if person.immigration_status
            else "",
            upn_unknown_label=code_list(CodeListName.UPN_UNKNOWN).label(person.upn_unknown_reason)
            if person.upn_unknown_reason
            else "",
            addresses=current_addresses(person),
            other_names=other_names,
            contact_details=contact_details,
            allocation=allocation,
            blocks=summary_blocks(person, today, self.request.user),
            due=due_lines(self.request.user, person, today, allocation),
            can_edit=user_can(self.request.user, Permission.PERSON_EDIT),
            can_merge=user_can(self.request.user, Permission.PERSON_MERGE),
        )
        return context


class PersonEditView(ChildRecordMixin, ActionFormView[PersonEditForm]):
    permission = Permission.PERSON_EDIT
    template_name = "people/person_edit.html"
    record_section = "summary"
    form_class = PersonEditForm
    success_message = "Identity details saved"

    def get_initial(self) -> dict[str, Any]:
        initial = {name: getattr(self.person, name) for name in actions.IDENTITY_FIELDS}
        initial["version"] = self.person.version
        return initial

    def perform(self, form: PersonEditForm) -> Person:
        return actions.update_person_identity(
            acting_user=self.request.user,
            person=self.person,
            read_version=form.cleaned_data["version"],
            **form.identity_values(),
        )

    def get_success_url(self) -> str:
        return reverse("people:record", kwargs={"person_id": self.person.pk})


class RelationshipsView(ChildRecordMixin, TemplateView):
    request: AuthenticatedRequest
    template_name = "people/relationships.html"
    record_section = "people"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.person
        rows: list[dict[str, Any]] = []
        for rel in relationships_of(person):
            if rel.person_id == person.pk:
                rows.append(
                    {
                        "rel": rel,
                        "who": rel.other,
                        "description": (
                            f"{person.given_name} is their {rel.get_kind_display().lower()}"
                        ),
                    }
                )
            else:
                rows.append({"rel": rel, "who": rel.person, "description": rel.get_kind_display()})
        memberships = list(
            HouseholdMember.objects.filter(person=person)
            .select_related("household")
            .order_by("end_date", "-start_date")
        )
        household_ids = [m.household_id for m in memberships]
        members = (
            HouseholdMember.objects.filter(household_id__in=household_ids)
            .exclude(person=person)
            .select_related("person")
        )
        by_household: dict[int, list[HouseholdMember]] = {}
        for member in members:
            by_household.setdefault(member.household_id, []).append(member)
        households: list[dict[str, Any]] = [
            {"membership": m, "others": by_household.get(m.household_id, [])} for m in memberships
        ]
        # Relatives whose records are restricted from this user are shown as such, unnamed.
        hidden = restricted_from(
            self.request.user,
            {row["who"].pk for row in rows} | {member.person_id for member in members},
        )
        for row in rows:
            row["hidden"] = row["who"].pk in hidden
        for household in households:
            household["hidden"] = [m for m in household["others"] if m.person_id in hidden]
            household["others"] = [m for m in household["others"] if m.person_id not in hidden]
        search_form = SearchForm(self.request.GET or None)
        results = None
        if "name" in self.request.GET and search_form.is_valid():
            data = search_form.cleaned_data
            criteria = SearchCriteria(
                name=data["name"],
                date_of_birth=data["date_of_birth"],
                identifier=data["identifier"],
                postcode=data["postcode"],
            )
            results = [
                r
                for r in search_people(self.request.user, criteria, limit=20)
                if r.person.pk != person.pk
            ]
        context.update(
            relationships=rows,
            households=households,
            professionals=list(person.professionals.order_by("end_date", "name")),
            form=search_form if search_form.is_bound else None,
            search_form=search_form,
            can_edit=user_can(self.request.user, Permission.PERSON_EDIT),
            results=results,
        )
        return context


class RecordFormView(ChildRecordMixin, ActionFormView[F]):
    """A small form on a child's record that calls one action, then goes back to a section."""

    permission = Permission.PERSON_EDIT
    record_section = "people"
    template_name = "people/record_form.html"
    back_url_name = "people:relationships"

    def get_success_url(self) -> str:
        return reverse(self.back_url_name, kwargs={"person_id": self.person.pk})


class RelationshipAddView(RecordFormView[RelationshipForm]):
    """Relate an existing person (``?other=<id>``, found by search) to this child."""

    form_class = RelationshipForm
    button = "Add relationship"

    @cached_property
    def other(self) -> Person:
        value = self.request.GET.get("other", "")
        if not value.isdigit():
            raise Http404("Choose the person to relate")
        return get_person_for_user(self.request.user, int(value))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "title", f"How is {self.other.full_name} related to {self.person.full_name}?"
        )
        return super().get_context_data(**kwargs)

    def perform(self, form: RelationshipForm) -> Relationship:
        data = form.cleaned_data
        first, second = (
            (self.other, self.person)
            if data["direction"] == "relative"
            else (self.person, self.other)
        )
        return actions.record_relationship(
            acting_user=self.request.user,
            person=first,
            other=second,
            kind=data["kind"],
            start_date=data["start_date"],
            has_parental_responsibility=data["has_parental_responsibility"],
            lives_with=data["lives_with"],
            note=data["note"],
        )

    def get_success_message(self) -> str:
        return f"Relationship with {self.other.full_name} added"


class RelationshipEndView(RecordFormView[EndRelationshipForm]):
    form_class = EndRelationshipForm
    button = "End relationship"
    success_message = "Relationship ended"

    @cached_property
    def relationship(self) -> Relationship:
        return get_object_or_404(
            Relationship,
            Q(person=self.person) | Q(other=self.person),
            pk=self.kwargs["relationship_id"],
        )

    def perform(self, form: EndRelationshipForm) -> Relationship:
        return actions.end_relationship(
            acting_user=self.request.user,
            relationship=self.relationship,
            end_date=form.cleaned_data["end_date"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"End relationship: {self.relationship}")
        return super().get_context_data(**kwargs)


class ProfessionalAddView(RecordFormView[ProfessionalForm]):
    form_class = ProfessionalForm
    title = "Add a professional"
    button = "Add professional"
    success_message = "Professional added"

    def perform(self, form: ProfessionalForm) -> ProfessionalInvolvement:
        return actions.add_professional(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class HouseholdAddView(RecordFormView[HouseholdForm]):
    form_class = HouseholdForm
    title = "Start a household"
    button = "Start household"
    success_message = "Household started"

    def perform(self, form: HouseholdForm) -> HouseholdMember:
        return actions.add_household_member(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class SummaryFormView(RecordFormView[F]):
    """A small form whose save goes back to the record's summary."""

    record_section = "summary"
    back_url_name = "people:record"


class AddressAddView(SummaryFormView[AddressForm]):
    form_class = AddressForm
    title = "Add an address"
    button = "Add address"
    success_message = "Address added"

    def perform(self, form: AddressForm) -> Address:
        return actions.add_address(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class AlertAddView(SummaryFormView[AlertForm]):
    form_class = AlertForm
    title = "Add an alert"
    button = "Add alert"
    success_message = "Alert added"

    def perform(self, form: AlertForm) -> Alert:
        return actions.add_alert(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class OtherNameAddView(SummaryFormView[OtherNameForm]):
    form_class = OtherNameForm
    title = "Add another name"
    button = "Add name"
    success_message = "Name added"

    def perform(self, form: OtherNameForm) -> OtherName:
        return actions.add_other_name(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class ContactDetailAddView(SummaryFormView[ContactDetailForm]):
    form_class = ContactDetailForm
    title = "Add a phone number or email address"
    button = "Add contact details"
    success_message = "Contact details added"

    def perform(self, form: ContactDetailForm) -> ContactDetail:
        return actions.add_contact_detail(
            acting_user=self.request.user, person=self.person, **form.cleaned_data
        )


class DocumentsView(ChildRecordMixin, TemplateView):
    template_name = "people/documents.html"
    record_section = "documents"


class ViewersView(ChildRecordMixin, TemplateView):
    template_name = "people/viewers.html"
    record_section = "viewers"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ids = record_ids(self.person)
        if len(ids) == 1:
            events = AuditEvent.objects.for_subject(self.person.pk)
        else:
            events = AuditEvent.objects.filter(subject_person_id__in=ids).order_by(
                "-occurred_at", "-id"
            )
        events = events.filter(event_type__in=[EventType.CHILD_RECORD_VIEWED, EventType.EXPORTED])
        page = Paginator(events, VIEWERS_PAGE_SIZE).get_page(self.request.GET.get("page"))
        context["page"] = page
        return context


class MergeView(PermissionRequiredMixin, ActionFormView[MergeForm]):
    """Review two records side by side (``?kept=<id>&merged=<id>``), then merge."""

    permission = Permission.PERSON_MERGE
    template_name = "people/merge.html"
    form_class = MergeForm
    kept: Person | None = None
    merged: Person | None = None

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            found = []
            for key in ("kept", "merged"):
                value = request.GET.get(key, "")
                found.append(
                    get_person_for_user(request.user, int(value)) if value.isdigit() else None
                )
            self.kept, self.merged = found
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        sides = []
        for person in (self.kept, self.merged):
            if person is not None:
                sides.append(
                    {
                        "person": person,
                        "age": person.age_on(today),
                        "addresses": current_addresses(person),
                        "relationships": relationships_of(person),
                        "frame": record_frame(person),
                        "sections": section_links(person, ""),
                    }
                )
        context.update(kept=self.kept, merged=self.merged, sides=sides)
        return context

    def perform(self, form: MergeForm) -> PersonMerge:
        if self.kept is None or self.merged is None:
            raise ValidationError("Choose the two records to merge")
        return actions.merge_people(
            acting_user=self.request.user,
            kept=self.kept,
            merged=self.merged,
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self) -> str:
        merge = self.result
        return f"{merge.merged.caseline_id} has been merged into {merge.kept.caseline_id}"

    def get_success_url(self) -> str:
        return reverse("people:record", kwargs={"person_id": self.result.kept_id})

    def get_back_url(self) -> str:
        return reverse("people:search")


class AddressEndView(SummaryFormView[EndAddressForm]):
    form_class = EndAddressForm
    button = "End address"
    success_message = "Address ended"

    @cached_property
    def address(self) -> Address:
        return get_object_or_404(Address, person=self.person, pk=self.kwargs["address_id"])

    def perform(self, form: EndAddressForm) -> Address:
        return actions.end_address(
            acting_user=self.request.user,
            address=self.address,
            end_date=form.cleaned_data["end_date"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"End address: {self.address}")
        return super().get_context_data(**kwargs)


class AlertEndView(SummaryFormView[EndAlertForm]):
    form_class = EndAlertForm
    button = "End alert"
    success_message = "Alert ended"

    @cached_property
    def alert(self) -> Alert:
        return get_object_or_404(Alert, person=self.person, pk=self.kwargs["alert_id"])

    def perform(self, form: EndAlertForm) -> Alert:
        return actions.end_alert(
            acting_user=self.request.user,
            alert=self.alert,
            end_date=form.cleaned_data["end_date"],
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"End alert: {self.alert}")
        return super().get_context_data(**kwargs)


def relatives_households(person: Person, viewer: Any) -> list[tuple[Household, list[Person]]]:
    """Households a current relative of ``person`` lives in now and ``person`` does not, each
    with the relatives living there whose records are not restricted from ``viewer``."""
    relatives = {
        rel.other_id if rel.person_id == person.pk else rel.person_id
        for rel in Relationship.objects.filter(
            Q(person=person) | Q(other=person), end_date__isnull=True
        )
    }
    current = HouseholdMember.objects.filter(person=person, end_date__isnull=True).values(
        "household_id"
    )
    members = (
        HouseholdMember.objects.filter(person_id__in=relatives, end_date__isnull=True)
        .exclude(household_id__in=current)
        .exclude(person_id__in=restricted_from(viewer, relatives))
        .select_related("household", "person")
        .order_by("household_id", "person__family_name", "person__given_name")
    )
    found: dict[int, tuple[Household, list[Person]]] = {}
    for member in members:
        found.setdefault(member.household_id, (member.household, []))[1].append(member.person)
    return list(found.values())


class HouseholdJoinView(RecordFormView[JoinHouseholdForm]):
    """Add the person to a household one of their relatives already lives in."""

    form_class = JoinHouseholdForm
    template_name = "people/household_join.html"
    button = "Add to household"

    @cached_property
    def candidates(self) -> list[tuple[Household, list[Person]]]:
        return relatives_households(self.person, self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["households"] = [
            (
                household.pk,
                f"{household}: {', '.join(p.full_name for p in people)} "
                f"{'lives' if len(people) == 1 else 'live'} here",
            )
            for household, people in self.candidates
        ]
        return kwargs

    def perform(self, form: JoinHouseholdForm) -> HouseholdMember:
        households = {household.pk: household for household, _ in self.candidates}
        return actions.add_household_member(
            acting_user=self.request.user,
            person=self.person,
            household=households[form.cleaned_data["household"]],
            start_date=form.cleaned_data["start_date"],
        )

    def get_success_message(self) -> str:
        return f"{self.person.full_name} added to {self.result.household}"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("title", f"Add {self.person.full_name} to an existing household")
        context = super().get_context_data(**kwargs)
        context["has_candidates"] = bool(self.candidates)
        return context


class DuplicatesView(ChildRecordMixin, TemplateView):
    """Records that are probably the same person, each with a link to review a merge."""

    request: AuthenticatedRequest
    permission = Permission.PERSON_MERGE
    template_name = "people/duplicates.html"
    record_section = "summary"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        person = self.person
        matches = [
            p
            for p in probable_duplicates(
                given_name=person.given_name,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                nhs_number=person.nhs_number,
                upn=person.upn,
                exclude_id=person.pk,
            )
            if p.merged_into_id is None
        ]
        visible = set(
            visible_people(self.request.user)
            .filter(pk__in=[p.pk for p in matches])
            .values_list("pk", flat=True)
        )
        addresses: dict[int, list[Address]] = {}
        for address in Address.objects.filter(
            person_id__in=visible, end_date__isnull=True
        ).order_by("-start_date", "-id"):
            addresses.setdefault(address.person_id, []).append(address)
        today = timezone.localdate()
        context.update(
            matches=[
                {"person": p, "age": p.age_on(today), "addresses": addresses.get(p.pk, [])}
                for p in matches
                if p.pk in visible
            ],
            hidden_matches=len([p for p in matches if p.pk not in visible]),
        )
        return context


class RestrictionView(ChildRecordMixin, ActionFormView[forms.Form]):
    """Restrict the record to named users or, once restricted, change who they are."""

    permission = Permission.RECORD_RESTRICT
    record_section = "summary"
    template_name = "people/restriction.html"

    @cached_property
    def restriction(self) -> Restriction | None:
        return restriction_in_force(self.person)

    def get_form_class(self) -> type[forms.Form]:
        return RestrictForm if self.restriction is None else NamedUsersForm

    def get_initial(self) -> dict[str, Any]:
        if self.restriction is None:
            allocation = current_allocation(self.person)
            worker = allocation.worker if allocation is not None else None
            return {"named_users": [worker] if worker is not None else []}
        return {"named_users": list(self.restriction.named_users.all())}

    @property
    def title(self) -> str:  # type: ignore[override]
        return "Restrict this record" if self.restriction is None else "Who may see this record"

    @property
    def button(self) -> str:  # type: ignore[override]
        return "Restrict the record" if self.restriction is None else "Save who may see it"

    def perform(self, form: forms.Form) -> Restriction:
        if self.restriction is None:
            return actions.restrict_record(
                acting_user=self.request.user,
                person=self.person,
                reason=form.cleaned_data["reason"],
                named_users=form.cleaned_data["named_users"],
            )
        return actions.change_named_users(
            acting_user=self.request.user,
            restriction=self.restriction,
            named_users=form.cleaned_data["named_users"],
        )

    def get_success_message(self) -> str:
        return "Record restricted" if self.restriction is None else "Who may see it saved"

    def get_success_url(self) -> str:
        return reverse("people:record", kwargs={"person_id": self.person.pk})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["restriction"] = self.restriction
        return context


class RestrictionLiftView(RecordFormView[ReasonForm]):
    """Lift the restriction in force."""

    permission = Permission.RECORD_RESTRICT
    record_section = "summary"
    back_url_name = "people:record"
    form_class = ReasonForm
    title = "Lift the restriction"
    button = "Lift the restriction"
    success_message = "Restriction lifted"

    def perform(self, form: ReasonForm) -> Restriction:
        restriction = restriction_in_force(self.person)
        if restriction is None:
            raise Http404("This record is not restricted")
        return actions.lift_restriction(
            acting_user=self.request.user,
            restriction=restriction,
            reason=form.cleaned_data["reason"],
        )


class BreakTheGlassView(PermissionRequiredMixin, ActionFormView[ReasonForm]):
    """Open a restricted record one would otherwise see, giving a reason. Shows nothing of the
    child: the name appears only once the glass is broken."""

    request: AuthenticatedRequest
    permission = Permission.CHILD_VIEW
    template_name = "people/break_the_glass.html"
    form_class = ReasonForm
    title = "This record is restricted"
    button = "Open the record"
    success_message = "You opened a restricted record. This is recorded."

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        if user_can(request.user, self.permission):
            self.person = get_object_or_404(Person, pk=int(kwargs["person_id"]))
            if not ordinarily_visible_people(request.user).filter(pk=self.person.pk).exists():
                raise PermissionDenied
            if visible_people(request.user).filter(pk=self.person.pk).exists():
                # Not restricted, or restricted to them: nothing to break.
                return redirect("people:record", person_id=self.person.pk)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: ReasonForm) -> GlassBreak:
        return actions.break_the_glass(
            acting_user=self.request.user, person=self.person, reason=form.cleaned_data["reason"]
        )

    def get_back_url(self) -> str:
        return reverse("core:home")

    def get_success_url(self) -> str:
        return reverse("people:record", kwargs={"person_id": self.person.pk})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page. For a record hidden only by a restriction, it offers to break the glass
    (without naming the child)."""
    restricted = exception.person.pk if isinstance(exception, RecordRestricted) else None
    return render(
        request, "403.html", {"restricted_person_id": restricted, "form": ReasonForm()}, status=403
    )
