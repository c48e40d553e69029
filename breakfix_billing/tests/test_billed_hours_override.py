# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A billing manager's billed hours (SPEC §12): billed instead of the
rounded duration, before the factors and the minimum, and said so in the
trace."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import brussels
from .test_prepaid_invoicing import BreakfixPrepaidCommon


@tagged("post_install", "-at_install")
class TestBilledHoursOverride(BreakfixPrepaidCommon):
    """Remote support at 90.00/h, after hours ×1.5, rounded up to 15 min."""

    def _override(self, entry, hours, user=None):
        # a write, as every door makes it
        entry.with_user(user or self.manager).write(
            {"breakfix_billed_hours_override": hours}
        )
        return entry

    def test_override_bills_the_hours_set_with_the_trace(self):
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(17, 10), 1.2)
        # rounded up: 1.25 h × 90.00
        self.assertEqual(entry.breakfix_amount, 112.5)
        self._override(entry, 1.0)
        self.assertRecordValues(
            entry,
            [
                {
                    "breakfix_billed_hours": 1.0,
                    "breakfix_amount": 90.0,
                    "breakfix_override_user_id": self.manager.id,
                    "breakfix_pricing_trace": (
                        "2026-11-17 · T. Tech · Test remote · 1.00 h (logged "
                        "1.20 h, set by M. Manager)"
                    ),
                }
            ],
        )
        self.assertEqual(ticket.breakfix_amount_to_invoice, 90.0)
        invoice = self._draft(ticket)
        self.assertEqual(
            self._line_table(invoice),
            [
                (
                    (
                        "Test remote\n2026-11-17 · T. Tech · Test remote · 1.00 h "
                        "(logged 1.20 h, set by M. Manager)"
                    ),
                    1.0,
                    90.0,
                    90.0,
                )
            ],
        )
        # invoiced, the hours billed are locked
        with self.assertRaises(UserError):
            self._override(entry, 1.1)

    def test_override_then_the_after_hours_split(self):
        ticket = self._create_ticket()
        # 1.50 h from 16:00, billed as 2.00 h: 16:00-17:00 in business
        # hours, 1.00 h × 90.00; 17:00-18:00 after hours, 1.00 h × 135.00
        entry = self._override(self._log_time(ticket, brussels(17, 16), 1.5), 2.0)
        self.assertEqual(entry.breakfix_amount, 225.0)
        self.assertEqual(
            entry.breakfix_pricing_trace.split("\n"),
            [
                (
                    "2026-11-17 · T. Tech · Test remote · 1.00 h (logged 1.50 h, "
                    "set by M. Manager)"
                ),
                (
                    "2026-11-17 · T. Tech · Test remote · 1.00 h (logged 1.50 h, "
                    "set by M. Manager) · after hours ×1.5"
                ),
            ],
        )

    def test_minimum_on_the_overridden_hours(self):
        self.card.minimum_minutes = 60
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(17, 10), 0.75)
        # 0.75 h: 45 min billed, the minimum adds 15 min
        self.assertEqual(ticket.breakfix_minimum_amount, 22.5)
        self._override(entry, 0.5)
        # 30 min billed (45.00), the minimum adds 30 min (45.00)
        self.assertEqual(entry.breakfix_amount, 45.0)
        self.assertEqual(ticket.breakfix_minimum_amount, 45.0)
        self.assertEqual(ticket.breakfix_amount_to_invoice, 90.0)

    def test_only_billing_managers_set_hours_within_bounds(self):
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(17, 10), 1.2)
        with self.assertRaisesRegex(AccessError, "Bill Hours"):
            self._override(entry, 1.0, user=self.tech)
        for hours in (-1.0, 24.5, float("nan")):
            with (
                self.subTest(hours=hours),
                self.assertRaisesRegex(ValidationError, "Bill Hours"),
            ):
                self._override(entry, hours)
        self.assertEqual(entry.breakfix_amount, 112.5)
        self.assertFalse(entry.breakfix_override_user_id)
        # back to 0: the rounding applies again
        self._override(entry, 1.0)
        self._override(entry, 0.0)
        self.assertEqual(entry.breakfix_amount, 112.5)
        self.assertFalse(entry.breakfix_override_user_id)

    def test_billing_manager_sets_the_hours_in_the_form(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 1.2)
        with (
            Form(
                ticket.with_user(self.manager).with_context(uid=self.manager.id)
            ) as ticket_form,
            ticket_form.timesheet_ids.edit(0) as entry,
        ):
            entry.breakfix_billed_hours_override = 1.0
        self.assertEqual(ticket.breakfix_amount_to_invoice, 90.0)
