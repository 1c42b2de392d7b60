"""A first deadline: a Severity-2 case opened on a Friday afternoon in Boston.

Run: ``python examples/first_deadline.py``
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slocalc import BusinessCalendar

boston = ZoneInfo("America/New_York")
cal = BusinessCalendar(
    tz="America/New_York",
    hours="Mon-Fri 08:00-17:00",
    holidays=("US", "MA"),
    overrides={date(2026, 12, 24): "08:00-12:00"},
)

for opened in (
    datetime(2026, 11, 27, 15, 30, tzinfo=boston),  # Friday after Thanksgiving
    datetime(2026, 12, 24, 10, 0, tzinfo=boston),  # Christmas Eve half day
    datetime(2026, 3, 6, 16, 0, tzinfo=boston),  # Friday before the DST change
):
    due = cal.add(opened, timedelta(hours=4))
    print(f"opened {opened:%a %Y-%m-%d %H:%M %Z} -> due {due:%a %Y-%m-%d %H:%M %Z}")
