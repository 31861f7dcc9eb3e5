"""Indicators and their drill-downs: every figure computed from the record's history for any
as-at date, period and scope, traceable to the children behind it (issue 16)."""
