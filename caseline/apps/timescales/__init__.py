"""Timescales: working-day calendar, the rule catalogue and timeliness evaluation."""
