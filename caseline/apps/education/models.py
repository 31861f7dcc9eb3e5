"""What the education service holds about a child's special educational needs, as the SSD
carries it (``ssd_send``, ``ssd_ehcp_requests``, ``ssd_ehcp_assessment``,
``ssd_ehcp_named_plan``, ``ssd_ehcp_active_plans``, ``ssd_sen_need``).

The record reads these; it does not own them: they come only from an SSD import (the education
service's system is where they are kept and changed), and are shown read-only on the child's
record. The SSD's ``*_DATETIME`` columns are kept as dates.
"""

from __future__ import annotations

from django.db import models


class SendRecord(models.Model):
    """The child as the education service knows them (``ssd_send``)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="send_records"
    )
    upn = models.CharField("Unique pupil number", max_length=48, blank=True)
    uln = models.CharField("Unique learner number", max_length=48, blank=True)
    upn_unknown = models.CharField("Why the UPN is not known", max_length=6, blank=True)

    class Meta:
        ordering = ["person", "id"]

    def __str__(self) -> str:
        return f"Education record {self.upn or self.uln or self.pk}"


class EhcpRequest(models.Model):
    """A request for an EHC needs assessment (``ssd_ehcp_requests``)."""

    send_record = models.ForeignKey(SendRecord, on_delete=models.PROTECT, related_name="requests")
    requested_on = models.DateField(null=True, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["send_record", "requested_on", "id"]

    def __str__(self) -> str:
        return f"EHC assessment requested {self.requested_on}"


class EhcpAssessment(models.Model):
    """An EHC needs assessment (``ssd_ehcp_assessment``)."""

    request = models.ForeignKey(EhcpRequest, on_delete=models.PROTECT, related_name="assessments")
    outcome_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=100, blank=True)
    exceptions = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["request", "outcome_on", "id"]

    def __str__(self) -> str:
        return f"EHC needs assessment {self.outcome or ''}".strip()


class EhcpNamedPlan(models.Model):
    """An EHC plan naming a placement (``ssd_ehcp_named_plan``)."""

    assessment = models.ForeignKey(
        EhcpAssessment, on_delete=models.PROTECT, related_name="named_plans"
    )
    start_date = models.DateField(null=True, blank=True)
    ceased_on = models.DateField(null=True, blank=True)
    ceased_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["assessment", "start_date", "id"]

    def __str__(self) -> str:
        return f"EHC plan from {self.start_date}"


class EhcpActivePlan(models.Model):
    """An EHC plan in force (``ssd_ehcp_active_plans``), with its last annual review."""

    request = models.ForeignKey(EhcpRequest, on_delete=models.PROTECT, related_name="active_plans")
    last_reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return f"EHC plan in force, last reviewed {self.last_reviewed_on}"


class SenNeed(models.Model):
    """A need an EHC plan in force names, and whether it is the primary one (``ssd_sen_need``:
    the spec's rank column is one character, read as a Y/N flag: Y the primary need)."""

    active_plan = models.ForeignKey(EhcpActivePlan, on_delete=models.PROTECT, related_name="needs")
    need_type = models.CharField(max_length=100, blank=True)
    is_primary = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["active_plan", "-is_primary", "id"]

    def __str__(self) -> str:
        return self.need_type
