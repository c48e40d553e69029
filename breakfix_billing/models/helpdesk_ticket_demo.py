# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.exceptions import UserError

# A demo day of work inside business hours (8:00-12:00 and 13:00-17:00 in
# Brussels) in winter and in summer alike: up to 3 h from 07:00 UTC, the rest
# (up to 2.5 h) from 12:30 UTC, so that the demo's amounts do not depend on
# the day it is installed.
MORNING_UTC, MORNING_HOURS = time(7, 0), 3.0
AFTERNOON_UTC, AFTERNOON_HOURS = time(12, 30), 2.5


class HelpdeskTicketDemo(models.Model):
    """The demo data that needs the addon's own invoicing (loaded by
    ``<function>`` at install, dated relative to that day)."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _breakfix_demo_invoice(self, post=False, on_work_day=False):
        """Draft the tickets' invoices as the addon does; with ``post``, post
        them too: dated today, or with ``on_work_day`` each on its ticket's
        last day of work."""
        invoices, skipped = self._breakfix_create_invoices()
        if skipped:
            raise UserError("\n".join(skipped.values()))
        if on_work_day:
            for invoice in invoices:
                tickets = invoice.invoice_line_ids.breakfix_ticket_id
                invoice.invoice_date = max(tickets.timesheet_ids.mapped("date"))
        if post:
            # numbered in the order of their dates
            invoices.sorted(
                lambda move: (move.invoice_date or move.date, move.id)
            ).action_post()
        return invoices

    @api.model
    def _breakfix_demo_history(self, partner_id, employee_id, work_type_id, tickets):
        """A customer's closed tickets, one a month, invoiced and posted, for
        the months before the current one.

        :param tickets: ``[(title, [hours of each day]), ...]``, oldest first,
            the last one in the month before the current one; the days are a
            week apart from the first weekday on or after the 5th.
        """
        team = self.env.ref("breakfix_billing.helpdesk_team_breakfix")
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        first_of_month = self.env.company._breakfix_today().replace(day=1)
        work_days = []
        for index, (_title, day_hours) in enumerate(tickets):
            month = first_of_month - relativedelta(months=len(tickets) - index)
            first = month.replace(day=5)
            if first.weekday() >= 5:  # Saturday or Sunday: the Monday after
                first += timedelta(days=7 - first.weekday())
            work_days.append(
                [first + timedelta(weeks=week) for week in range(len(day_hours))]
            )
        records = self.create(
            [
                {
                    "name": title,
                    "description": title,
                    "partner_id": partner_id,
                    "team_id": team.id,
                    "project_id": team.default_project_id.id,
                    "user_id": self.env.ref("base.user_demo").id,
                    "stage_id": done.id,
                    "closed_date": datetime.combine(days[-1], time(16, 0)),
                }
                for (title, _day_hours), days in zip(tickets, work_days, strict=True)
            ]
        )
        entries = []
        for ticket, (_title, day_hours), days in zip(
            records, tickets, work_days, strict=True
        ):
            for day, hours in zip(days, day_hours, strict=True):
                morning = min(hours, MORNING_HOURS)
                afternoon = hours - morning
                if afternoon > AFTERNOON_HOURS:
                    raise UserError(
                        self.env._(
                            "%(ticket)s: at most 5.5 h of demo work a day.",
                            ticket=ticket.name,
                        )
                    )
                for start, duration, label in (
                    (MORNING_UTC, morning, "Diagnosis and repair"),
                    (AFTERNOON_UTC, afternoon, "Tests with the customer"),
                ):
                    if duration:
                        entries.append(
                            {
                                "name": label,
                                "ticket_id": ticket.id,
                                "project_id": ticket.project_id.id,
                                "employee_id": employee_id,
                                "breakfix_work_type_id": work_type_id,
                                "date": day,
                                "date_time": datetime.combine(day, start),
                                "unit_amount": duration,
                            }
                        )
        self.env["account.analytic.line"].create(entries)
        return records._breakfix_demo_invoice(post=True, on_work_day=True)
