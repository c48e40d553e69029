# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the ORM refuses on entry: another company's records, an end before
the start, numbers that are no numbers or out of range; and drafting for
tickets the caller may not reach."""

import math
import re

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import BreakfixInvoicingCommon, brussels


@tagged("post_install", "-at_install")
class TestIntegrity(BreakfixInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Integrity B Ltd"})
        cls.manager_b = new_test_user(
            cls.env,
            login="bf_manager_b",
            name="Bea Manager B",
            groups="breakfix_billing.group_breakfix_manager,"
            "helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.card_b = cls.env["breakfix.rate.card"].create(
            {"name": "Rates of B", "company_id": cls.company_b.id}
        )
        cls.work_type_b = cls.env["breakfix.work.type"].create(
            {
                "name": "Remote of B",
                "company_id": cls.company_b.id,
                "product_id": cls.product_remote.id,
                "hourly_rate": 60.0,
            }
        )
        cls.product_b = cls.env["product.product"].create(
            {"name": "Cable of B", "type": "consu", "company_id": cls.company_b.id}
        )
        cls.team_b = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Desk of B",
                "company_id": cls.company_b.id,
                "breakfix_enabled": True,
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].browse(cls._create_ticket().id)
        cls.entry = cls.env["account.analytic.line"].browse(
            cls._log_time(cls.ticket, brussels(17, 10), 1.0).id
        )
        ticket_b = (
            cls.env["helpdesk.ticket"]
            .with_company(cls.company_b)
            .create(
                {
                    "name": "Down at B",
                    "description": "<p>Nothing works at B.</p>",
                    "company_id": cls.company_b.id,
                    "team_id": cls.team_b.id,
                    "partner_id": cls.customer.id,
                    "breakfix_rate_card_id": cls.card_b.id,
                }
            )
        )
        cls.ticket_b = cls.env["helpdesk.ticket"].browse(ticket_b.id)
        project_b = cls.env["project.project"].create(
            {"name": "Support at B", "company_id": cls.company_b.id}
        )
        employee_b = cls.env["hr.employee"].create(
            {"name": "Ben at B", "company_id": cls.company_b.id}
        )
        cls.env["account.analytic.line"].with_company(cls.company_b).create(
            {
                "ticket_id": cls.ticket_b.id,
                "project_id": project_b.id,
                "employee_id": employee_b.id,
                "name": "Work at B",
                "date_time": brussels(17, 10),
                "unit_amount": 1.0,
                "breakfix_work_type_id": cls.work_type_b.id,
            }
        )

    def _invoice_count(self):
        return self.env["account.move"].search_count([])

    def test_drafting_another_company_s_tickets_is_refused(self):
        self.assertEqual(self.ticket.breakfix_invoice_status, "to_invoice")
        self.assertEqual(self.ticket_b.breakfix_invoice_status, "to_invoice")
        before = self._invoice_count()
        message = (
            "You are not allowed to act on some of the records you gave (1 of 1): "
            "another company's, or out of your reach."
        )
        # B's manager on A's ticket
        with self.assertRaises(AccessError) as caught:
            self.ticket.with_user(self.manager_b).action_breakfix_create_invoice()
        self.assertEqual(str(caught.exception), message)
        # A's manager on B's ticket
        with self.assertRaises(AccessError) as caught:
            self.ticket_b.with_user(self.manager).action_breakfix_create_invoice()
        self.assertEqual(str(caught.exception), message)
        # one ticket of each: nothing is drafted, not even the caller's own
        with self.assertRaisesRegex(AccessError, r"\(1 of 2\)"):
            (self.ticket | self.ticket_b).with_user(
                self.manager
            ).action_breakfix_create_invoice()
        self.assertEqual(self._invoice_count(), before)
        self.assertEqual(self.ticket.breakfix_invoice_status, "to_invoice")
        self.assertEqual(self.ticket_b.breakfix_invoice_status, "to_invoice")
        # each manager drafts their own
        self.ticket.with_user(self.manager).action_breakfix_create_invoice()
        self.assertEqual(self._invoice_count(), before + 1)
        self.assertEqual(self.ticket.breakfix_invoice_status, "drafted")

    def test_approving_another_company_s_overrun_is_refused(self):
        self.ticket.breakfix_estimate_amount = 50.0
        with self.assertRaises(AccessError):
            self.ticket.with_user(self.manager_b).action_breakfix_approve_overrun()
        self.assertFalse(self.ticket.breakfix_overrun_approved_by_id)

    def test_another_company_s_records_are_refused_on_entry(self):
        manager = self.manager
        manager.company_ids += self.company_b
        both = {"allowed_company_ids": (self.company | self.company_b).ids}
        cases = (
            (self.ticket, {"breakfix_rate_card_id": self.card_b.id}),
            (self.entry, {"breakfix_work_type_id": self.work_type_b.id}),
        )
        for record, vals in cases:
            with self.subTest(model=record._name):
                with self.assertRaises(UserError) as caught:
                    record.with_user(manager).with_context(**both).write(vals)
                self.assertIn(
                    "Incompatible companies on records", str(caught.exception)
                )
        with self.assertRaises(UserError) as caught:
            self._add_part(self.ticket, self.product_b, user=self.env.user)
        self.assertIn("Incompatible companies on records", str(caught.exception))
        with self.assertRaises(UserError) as caught:
            self._log_time(
                self.ticket,
                brussels(18, 10),
                1.0,
                user=self.env.user,
                work_type=self.work_type_b,
            )
        self.assertIn("Incompatible companies on records", str(caught.exception))
        self.assertEqual(self.ticket.breakfix_rate_card_id, self.card)
        self.assertEqual(self.entry.breakfix_work_type_id, self.work_type_remote)
        self.assertEqual(len(self.ticket.timesheet_ids), 1)
        self.assertFalse(self.ticket.breakfix_material_ids)

    def test_an_end_before_the_start_is_refused(self):
        entry = self.entry.with_user(self.tech)
        start = brussels(17, 10)
        cases = {
            "before": (
                start.replace(hour=8),
                (
                    "The End Time of the time entry “Work” (2026-11-17 08:00:00) "
                    "is before its start (2026-11-17 09:00:00)."
                ),
            ),
            "over a day": (
                start.replace(day=18, hour=10),
                (
                    "The End Time of the time entry “Work” (2026-11-18 10:00:00) "
                    "is more than 24 hours after its start (2026-11-17 09:00:00). "
                    "Log each day separately."
                ),
            ),
        }
        for case, (end, message) in cases.items():
            with self.subTest(case=case, on="write"):
                with self.assertRaises(ValidationError) as caught:
                    entry.write({"date_time_end": end})
                self.assertEqual(str(caught.exception), message)
            with self.subTest(case=case, on="create"):
                with self.assertRaises(ValidationError) as caught:
                    self._log_time(self.ticket, start, 1.0, date_time_end=end)
                self.assertEqual(str(caught.exception), message)
        # the entry is as it was; an end on the same day is the timer's way
        self.assertEqual(self.entry.unit_amount, 1.0)
        self.assertEqual(len(self.ticket.timesheet_ids), 1)
        entry.write({"date_time_end": start.replace(hour=11, minute=30)})
        # 10:00 to 12:30 in Brussels: 2.00 h × 100.00 and, over lunch, 0.50 h
        # after hours × 1.5
        self.assertEqual(self.entry.unit_amount, 2.5)
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 275.0)

    def test_numbers_that_are_no_numbers_or_out_of_range(self):
        part = self._add_part(self.ticket, self.product_ram)
        cases = (
            (self.card, "rounding_minutes", 1e12, "Rounding (minutes)"),
            (self.card, "rounding_minutes", 1441, "Rounding (minutes)"),
            (self.card, "warranty_days", 99999999999, "Workmanship Warranty (days)"),
            (self.card, "after_hours_factor", 11.0, "After-hours Factor"),
            (self.card, "callout_fee", 1e10, "Call-out Fee"),
            (part, "quantity", 1_000_001.0, "Quantity"),
            (self.ticket, "breakfix_estimate_amount", 1e15, "Estimate (not to exceed)"),
        )
        card = self.card.with_user(self.manager)
        for record, fname, value, label in cases:
            record = record.with_user(self.manager)
            before = record[fname]
            with (
                self.subTest(field=fname, value=value),
                self.assertRaisesRegex(
                    ValidationError,
                    f"^The field “{re.escape(label)}” must be at most .* is out of "
                    "range",
                ),
            ):
                record.write({fname: value})
            self.assertEqual(record[fname], before)
        for value in (math.nan, math.inf, -math.inf, "NaN"):
            for record, fname, label in (
                (card, "trip_fee", "Trip Fee"),
                (card, "material_markup", "Markup (%)"),
                (part.with_user(self.tech), "quantity", "Quantity"),
                (self.entry.with_user(self.tech), "unit_amount", "Quantity"),
            ):
                with (
                    self.subTest(field=fname, value=value),
                    self.assertRaisesRegex(
                        ValidationError,
                        f"^The field “{re.escape(label)}” needs a number",
                    ),
                ):
                    record.write({fname: value})
        # and on create, before anything reaches the database
        with self.assertRaisesRegex(ValidationError, "“Rounding \\(minutes\\)”"):
            self.env["breakfix.rate.card"].with_user(self.manager).create(
                {"name": "Huge", "rounding_minutes": 1e12}
            )
        self.assertEqual(self.card.trip_fee, 40.0)
        self.assertEqual(part.quantity, 1.0)
        self.assertEqual(self.entry.unit_amount, 1.0)
        self.assertFalse(self.env["breakfix.rate.card"].search([("name", "=", "Huge")]))
