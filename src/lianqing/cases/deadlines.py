"""Working-day arithmetic for case deadlines: the one calendar lives in `lianqing.analytics.workdays`."""

from lianqing.analytics.workdays import add_months, add_working_days, is_working_day, working_days_between

__all__ = ["add_months", "add_working_days", "is_working_day", "working_days_between"]
