"""My work pages, one per role: thin views over ``mywork.queries`` and ``mywork.chair``."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.views.generic import TemplateView

from caseline.apps.accounts.permissions import Permission
from caseline.apps.core.access import AuthenticatedRequest, PermissionRequiredMixin, user_can
from caseline.apps.core.paging import paged
from caseline.apps.mywork import chair, queries
from caseline.apps.mywork.forms import WorkFilterForm
from caseline.apps.people.queries import restricted_records_opened
from caseline.apps.subjectaccess.queries import open_requests_for, packs_awaiting_approval

# Rows of work on one page of My work and the chair's page, most urgent first; the counts
# above the table cover every row.
WORK_PER_PAGE = 50


class WorkListPage(PermissionRequiredMixin, TemplateView):
    """A page of one work list, filtered and paged: subclasses give ``work(today)``."""

    request: AuthenticatedRequest
    # The parts of the context that name children on the page (people.shown): this page of
    # rows, not the whole work list behind the counts.
    children_shown_from: tuple[str, ...] = ("rows",)

    def work(self, today: datetime.date) -> queries.WorkList:
        raise NotImplementedError

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        work = self.work(today)
        form = WorkFilterForm(self.request.GET or None, work.kinds)
        kind, status = form.chosen()
        rows = queries.filter_rows(work.rows, today, kind=kind, status=status)
        pages = paged(rows, self.request, WORK_PER_PAGE)
        context.update(
            work=work,
            form=form,
            rows=pages.page.object_list,
            row_total=len(rows),
            paged=pages,
            filtered=bool(kind) or status != queries.StatusFilter.ALL,
            soon_days=queries.SOON_WORKING_DAYS,
            today=today,
        )
        return context


class MyWorkView(WorkListPage):
    """A social worker's due and overdue work across their children: what they may do."""

    permission = Permission.HOME_VIEW
    template_name = "mywork/mine.html"

    def work(self, today: datetime.date) -> queries.WorkList:
        return queries.my_work(self.request.user, today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Those who decide contacts, and may open the list (it needs CONTACT_RECORD).
        context["front_door"] = user_can(user, Permission.CONTACT_DECIDE) and user_can(
            user, Permission.CONTACT_RECORD
        )
        context["manages"] = user_can(user, Permission.CASE_ALLOCATE)
        if user_can(user, Permission.SUBJECT_ACCESS_MANAGE):
            context["access_requests"] = open_requests_for(user, context["today"])
        if user_can(user, Permission.SUBJECT_ACCESS_APPROVE):
            context["packs_to_approve"] = packs_awaiting_approval(user)
        context["glass_breaks"] = restricted_records_opened(user)
        return context


class TeamWorkView(PermissionRequiredMixin, TemplateView):
    """A team manager's team: overdue by worker, sign-off, unallocated work, caseloads."""

    request: AuthenticatedRequest
    permission = Permission.CASE_ALLOCATE
    template_name = "mywork/team.html"
    children_shown_from = ("overdue_rows", "team.awaiting_sign_off", "team.unallocated_shown")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        can_authorise = user_can(self.request.user, Permission.ASSESSMENT_AUTHORISE)
        team = queries.team_work(self.request.user, today, can_authorise=can_authorise)
        overdue = paged(team.overdue_rows, self.request, WORK_PER_PAGE, fragment="overdue-work")
        context["team"] = team
        context["overdue"] = overdue
        context["overdue_rows"] = overdue.page.object_list
        context["can_authorise"] = can_authorise
        context["soon_days"] = queries.SOON_WORKING_DAYS
        context["limit"] = queries.TEAM_LIST_LIMIT
        return context


class WorkerWorkView(WorkListPage):
    """A member of the manager's team: everything due for their children, as the manager
    sees it (what the manager may not do says whose it is). 404 for anyone not in a team
    the user manages."""

    permission = Permission.CASE_ALLOCATE
    template_name = "mywork/worker.html"

    def work(self, today: datetime.date) -> queries.WorkList:
        self.member = queries.get_team_member_for_user(self.request.user, self.kwargs["user_id"])
        return queries.worker_work(self.request.user, self.member, today)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        return context


class ChairWorkView(WorkListPage):
    """An IRO's or conference chair's caseload, its conferences and reviews due, and the
    initial conferences awaiting a chair."""

    permission = Permission.CONFERENCE_CHAIR
    template_name = "mywork/chair.html"
    children_shown_from = ("rows", "chair.initial_shown")

    def work(self, today: datetime.date) -> queries.WorkList:
        self.chair = chair.chair_work(self.request.user, today)
        return self.chair.work

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["chair"] = self.chair
        context["chair_rules"] = chair.chair_rules()
        context["limit"] = chair.INITIAL_LIST_LIMIT
        return context
