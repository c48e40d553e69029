# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Review before invoicing (SPEC §12): a team that requires review invoices
only the work a billing manager approved, then the rest once approved."""

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import brussels
from .test_prepaid_invoicing import BreakfixPrepaidCommon


@tagged("post_install", "-at_install")
class TestReview(BreakfixPrepaidCommon):
    """Remote support at 90.00/h; RAM at 45.00; the team requires review."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.breakfix_require_review = True

    def test_only_approved_work_is_invoiced_then_the_rest(self):
        ticket = self._create_ticket()
        monday = self._log_time(ticket, brussels(16, 10), 1.0)
        tuesday = self._log_time(ticket, brussels(17, 10), 1.0)
        ram = self._add_part(ticket, self.product_ram)
        self.assertEqual(
            (monday | tuesday).mapped("breakfix_review_state"),
            ["to_review", "to_review"],
        )
        self.assertEqual(ram.breakfix_review_state, "to_review")
        self.assertEqual(ticket.breakfix_review_count, 3)
        # nothing approved, nothing drafted
        self.assertFalse(self._draft(ticket))

        monday.with_user(self.manager).action_breakfix_review_approve()
        self.assertRecordValues(
            monday,
            [
                {
                    "breakfix_review_state": "approved",
                    "breakfix_reviewed_by_id": self.manager.id,
                }
            ],
        )
        self.assertTrue(monday.breakfix_reviewed_date)
        self.assertEqual(ticket.breakfix_review_count, 2)
        first = self._draft(ticket)
        self.assertEqual(
            self._line_table(first),
            [
                (
                    "Test remote\n2026-11-16 · T. Tech · Test remote · 1.00 h",
                    1.0,
                    90.0,
                    90.0,
                )
            ],
        )

        # the rest, approved together from the list
        tuesday.with_user(self.manager).action_breakfix_review_approve()
        ram.with_user(self.manager).action_breakfix_review_approve()
        self.assertEqual(ticket.breakfix_review_count, 0)
        second = self._draft(ticket)
        self.assertEqual(second.amount_untaxed, 135.0)
        self.assertEqual(
            [line.name for line in self._invoice_lines(second)],
            [
                "Test remote\n2026-11-17 · T. Tech · Test remote · 1.00 h",
                "Test RAM 16 GB",
            ],
        )
        self.assertFalse(self._draft(ticket))

    def test_mass_approval_and_who_may_approve(self):
        ticket = self._create_ticket()
        entries = self._log_time(ticket, brussels(16, 10), 1.0) | self._log_time(
            ticket, brussels(17, 10), 0.5
        )
        with self.assertRaises(AccessError):
            entries.with_user(self.tech).action_breakfix_review_approve()
        with self.assertRaises(AccessError):
            entries.with_user(self.tech).write({"breakfix_review_state": "approved"})
        self.assertEqual(set(entries.mapped("breakfix_review_state")), {"to_review"})
        # a billing manager edits in the list (the hours billed), then approves
        entries[1].with_user(self.manager).write(
            {"breakfix_billed_hours_override": 1.0}
        )
        entries.with_user(self.manager).action_breakfix_review_approve()
        self.assertEqual(set(entries.mapped("breakfix_review_state")), {"approved"})
        self.assertEqual(self._draft(ticket).amount_untaxed, 180.0)

    def test_teams_without_review_invoice_as_before(self):
        self.team.breakfix_require_review = False
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(16, 10), 1.0)
        self.assertEqual(entry.breakfix_review_state, "approved")
        self.assertEqual(ticket.breakfix_review_count, 0)
        self.assertEqual(self._draft(ticket).amount_untaxed, 90.0)

    def test_the_review_screen_lists_what_waits(self):
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(16, 10), 1.0)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "breakfix_billing.breakfix_review_timesheet_action"
        )
        Line = self.env["account.analytic.line"].with_user(self.manager)
        domain = [
            *safe_eval(action["domain"]),
            ("breakfix_review_state", "=", "to_review"),
        ]
        self.assertIn(entry, Line.search(domain))
        entry.with_user(self.manager).action_breakfix_review_approve()
        self.assertNotIn(entry, Line.search(domain))
        ticket_action = ticket.with_user(self.manager).action_breakfix_view_review()
        self.assertIn(("ticket_id", "=", ticket.id), ticket_action["domain"])

    def test_approved_work_changed_by_a_technician_is_reviewed_again(self):
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(16, 10), 1.0)
        ram = self._add_part(ticket, self.product_ram)
        entry.with_user(self.manager).action_breakfix_review_approve()
        ram.with_user(self.manager).action_breakfix_review_approve()
        # a billing manager's change keeps the approval
        entry.with_user(self.manager).write({"breakfix_billed_hours_override": 1.0})
        self.assertEqual(entry.breakfix_review_state, "approved")
        # a technician's does not
        entry.with_user(self.tech).write({"unit_amount": 5.0})
        ram.with_user(self.tech).write({"quantity": 3})
        self.assertRecordValues(
            entry,
            [{"breakfix_review_state": "to_review", "breakfix_reviewed_by_id": False}],
        )
        self.assertEqual(ram.breakfix_review_state, "to_review")
        self.assertFalse(self._draft(ticket))
