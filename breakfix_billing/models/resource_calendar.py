# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import models

from .. import pricing


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _breakfix_business_calendar(self):
        """Business hours and public holidays as the pricing package reads them.

        Working intervals come from the calendar's attendances (breaks and
        section lines excluded; a two-week calendar's weeks are merged); the
        holidays are its global leaves and the company's leaves that apply to
        every calendar.  An empty or flexible calendar gives ``None``: every
        hour is business time.
        """
        if not self or self.flexible_hours:
            return None
        self.ensure_one()
        attendances = defaultdict(set)
        for attendance in self.attendance_ids:
            if (
                attendance.resource_id
                or attendance.display_type
                or attendance.day_period == "lunch"
            ):
                continue
            attendances[int(attendance.dayofweek)].add(
                (attendance.hour_from, attendance.hour_to)
            )
        leaves = self.env["resource.calendar.leaves"].search(
            [
                ("resource_id", "=", False),
                ("calendar_id", "in", [self.id, False]),
                ("company_id", "in", [self.company_id.id, False]),
            ]
        )
        return pricing.BusinessCalendar(
            tz=self.tz or "UTC",
            attendances={day: tuple(sorted(h)) for day, h in attendances.items()},
            holidays=tuple((leave.date_from, leave.date_to) for leave in leaves),
        )
