# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from decimal import Decimal as D

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import BaseCase, Form, tagged
from odoo.tools import format_amount

from ..pricing import (
    PricingRules,
    not_to_exceed_amount,
    not_to_exceed_line,
    split_by_taxes,
    split_pro_rata,
)
from .common import BreakfixInvoicingCommon, brussels


@tagged("post_install", "-at_install")
class TestNotToExceedLine(BaseCase):
    """The not-to-exceed adjustment, on the pure pricing package."""

    rules = PricingRules(name="Standard rates")

    def _line(self, **kwargs):
        return not_to_exceed_line(self.rules, translate=None, **kwargs)

    def test_within_the_estimate_no_line(self):
        self.assertIsNone(
            self._line(estimate=D(500), work=D(500), adjusted=D(0), due=D(500))
        )
        self.assertIsNone(
            self._line(estimate=D(0), work=D(900), adjusted=D(0), due=D(900))
        )

    def test_excess_taken_off(self):
        line = self._line(
            estimate=D(500), work=D("612.50"), adjusted=D(0), due=D("612.50")
        )
        self.assertEqual(
            (line.kind, line.label, line.quantity, line.price_unit, line.amount),
            (
                "estimate",
                "Not-to-exceed adjustment: estimate 500.00, work 612.50",
                D(1),
                D("-112.50"),
                D("-112.50"),
            ),
        )
        self.assertTrue(line.billable)

    def test_cumulative_with_earlier_invoices(self):
        # 300.00 invoiced; 312.50 more work: 200.00 left to the estimate
        line = self._line(
            estimate=D(500), work=D("612.50"), adjusted=D(0), due=D("312.50")
        )
        self.assertEqual(line.amount, D("-112.50"))
        # 650.00 invoiced, 150.00 of it taken off; 100.00 more: all taken off
        line = self._line(estimate=D(500), work=D(750), adjusted=D(-150), due=D(100))
        self.assertEqual(line.amount, D("-100.00"))
        # the estimate used up already (lowered after an invoice): the draft
        # charges nothing, and never less
        line = self._line(estimate=D(500), work=D(570), adjusted=D(0), due=D(50))
        self.assertEqual(line.amount, D("-50.00"))
        self.assertIsNone(
            self._line(estimate=D(500), work=D(650), adjusted=D(0), due=D(0))
        )

    def test_adjustment_given_back(self):
        """650.00 of work invoiced as 500.00 (150.00 taken off): approving the
        overrun, raising or removing the estimate gives the excess back."""
        invoiced = {"work": D(650), "adjusted": D(-150), "due": D(0)}
        approved = self._line(estimate=D(500), approved=True, **invoiced)
        raised = self._line(estimate=D(700), **invoiced)
        partly = self._line(estimate=D(600), **invoiced)
        removed = self._line(estimate=D(0), **invoiced)
        self.assertEqual(
            [(line.label, line.price_unit, line.amount) for line in
             (approved, raised, partly, removed)],
            [
                ("Not-to-exceed adjustment reversed: overrun approved, work 650.00",
                 D("150.00"), D("150.00")),
                ("Not-to-exceed adjustment reversed: estimate 700.00, work 650.00",
                 D("150.00"), D("150.00")),
                ("Not-to-exceed adjustment reversed: estimate 600.00, work 650.00",
                 D("100.00"), D("100.00")),
                (("Not-to-exceed adjustment reversed: no estimate any more, "
                  "work 650.00"), D("150.00"), D("150.00")),
            ],
        )  # fmt: skip
        self.assertEqual(raised.kind, "estimate")
        # given back once: nothing more once the adjustments add up to 0
        self.assertIsNone(
            self._line(estimate=D(700), work=D(650), adjusted=D(0), due=D(0))
        )
        self.assertEqual(
            not_to_exceed_amount(D(500), D(650), D(-150), D(0), approved=True),
            D(150),
        )

    def test_split_pro_rata(self):
        # the rounding remainder goes to the largest share (the first of equals)
        self.assertEqual(
            split_pro_rata(D(-100), {"a": D(1), "b": D(1), "c": D(1)}, 2),
            {"a": D("-33.34"), "b": D("-33.33"), "c": D("-33.33")},
        )
        self.assertEqual(
            split_pro_rata(D("-0.05"), {"a": D(30), "b": D(60), "c": D(10)}, 2),
            {"a": D("-0.02"), "b": D("-0.02"), "c": D("-0.01")},
        )
        self.assertEqual(
            split_pro_rata(D("-62.67"), {(): D(400), (7,): D(150), (8,): D(0)}, 2),
            {(): D("-45.58"), (7,): D("-17.09")},
        )
        self.assertEqual(split_pro_rata(D(10), {}, 2), {None: D(10)})

    def test_split_by_taxes(self):
        line = self._line(estimate=D("487.33"), work=D(595), adjusted=D(0), due=D(595))
        self.assertEqual(line.amount, D("-107.67"))
        lines = split_by_taxes(self.rules, line, {(): D(400), (5, 9): D(195)})
        self.assertEqual(
            [(part.tax_key, part.quantity, part.price_unit, part.amount, part.label)
             for part in lines],
            [
                ((), D(1), D("-72.38"), D("-72.38"), line.label),
                ((5, 9), D(1), D("-35.29"), D("-35.29"), line.label),
            ],
        )  # fmt: skip


class BreakfixEstimateCommon(BreakfixInvoicingCommon):
    """Not-to-exceed estimates on "Brussels rates" tickets (see common.py):
    remote support at 100.00/h in business hours, RAM 45.00, SSD 150.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nte_product = cls.env.ref("breakfix_billing.product_breakfix_not_to_exceed")
        cls.nte_product.write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )

    def _estimated_ticket(self, amount=500.0):
        ticket = self._create_ticket()
        ticket.with_user(self.manager).breakfix_estimate_amount = amount
        return ticket

    def _money(self, amount):
        return format_amount(self.env, amount, self.currency)

    def _html_money(self, amount):
        """An amount as a message body holds it."""
        return self._money(amount).replace("\xa0", "&nbsp;")

    def _notes(self, ticket):
        return (
            ticket.message_ids.filtered(
                lambda message: message.subtype_id == self.env.ref("mail.mt_note")
            )
            .sorted("id")
            .mapped(lambda message: str(message.body))
        )

    def assertEstimate(self, ticket, used, percent, state):
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_estimate_used": used,
                    "breakfix_estimate_percent": percent,
                    "breakfix_estimate_state": state,
                }
            ],
        )


@tagged("post_install", "-at_install")
class TestEstimate(BreakfixEstimateCommon):
    def test_estimate_warnings_at_80_and_100_percent(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 8), 3.5)
        self.assertEstimate(ticket, 350.0, 0.0, "none")
        ticket.with_user(self.manager).breakfix_estimate_amount = 500.0
        # Tuesday 08:00, 3.5 h × 100.00 = 350.00 of 500.00
        self.assertEstimate(ticket, 350.0, 70.0, "ok")
        self.assertFalse(self._notes(ticket))

        # 13:00, 0.5 h: 400.00, 80 %
        self._log_time(ticket, brussels(17, 13), 0.5)
        self.assertEstimate(ticket, 400.0, 80.0, "warning")
        # 13:30, 1 h: 500.00, used up
        self._log_time(ticket, brussels(17, 13, 30), 1.0)
        self.assertEstimate(ticket, 500.0, 100.0, "exceeded")
        # 14:30, 1.25 h: 625.00, nothing new to say
        self._log_time(ticket, brussels(17, 14, 30), 1.25)
        self.assertEstimate(ticket, 625.0, 125.0, "exceeded")

        warning = (
            f"<p>80 % of the estimate is used: {self._html_money(400)} of "
            f"{self._html_money(500)}. If the work needs more, ask a billing "
            "manager to raise the estimate before it is used up.</p>"
        )
        used_up = (
            f"<p>The estimate is used up: {self._html_money(500)} of work for an "
            f"estimate of {self._html_money(500)}. The customer is not invoiced "
            "beyond the estimate unless a billing manager approves the overrun. "
            "Ask a billing manager to approve the overrun or raise the estimate "
            "before logging more time.</p>"
        )
        self.assertEqual(self._notes(ticket), [warning, used_up])
        self.assertEqual(self._notes(ticket.with_user(self.tech)), self._notes(ticket))
        # the invoice stops at the estimate: 625.00 of work, 500.00 to invoice
        self.assertAmounts(
            ticket,
            {
                "breakfix_labour_amount": 625.0,
                "breakfix_estimate_adjustment": -125.0,
                "breakfix_amount_to_invoice": 500.0,
            },
        )

    def test_timer_stopped_past_the_estimate_is_told(self):
        ticket = self._estimated_ticket(100.0)
        entry = self._log_time(ticket, brussels(17, 9), 0.0)  # a running timer
        self.assertEstimate(ticket, 0.0, 0.0, "ok")
        entry.with_user(self.tech).unit_amount = 1.5
        self.assertEstimate(ticket, 150.0, 150.0, "exceeded")
        self.assertEqual(len(self._notes(ticket)), 1)
        self.assertIn("The estimate is used up", self._notes(ticket)[0])

    def test_technician_warned_in_the_form(self):
        ticket = self._estimated_ticket()
        self._log_time(ticket, brussels(17, 8), 3.5)
        tech = self.tech
        form = Form(ticket.with_user(tech).with_context(uid=tech.id))
        self.assertEqual(form.breakfix_estimate_state, "ok")
        with (
            self.assertLogs("odoo.tests.form.onchange", "WARNING") as logs,
            form.timesheet_ids.new() as line,
        ):
            line.date_time = brussels(17, 13)
            line.employee_id = self.tech_employee
            line.name = "Reinstalled the backup agent"
            line.unit_amount = 1.0
            line.breakfix_work_type_id = self.work_type_remote
        told = (
            "WARNING:odoo.tests.form.onchange:Estimate 90 % of the estimate is "
            f"used: {self._money(450)} of {self._money(500)}. If the work needs "
            "more, ask a billing manager to raise the estimate before it is used up."
        )
        self.assertEqual(logs.output, [told])
        self.assertEqual(form.breakfix_estimate_state, "warning")
        self.assertEqual(form.breakfix_estimate_used, 450.0)
        form.save()
        self.assertEstimate(ticket, 450.0, 90.0, "warning")

    def test_approved_overrun_drafts_the_full_amount(self):
        ticket = self._estimated_ticket()
        self._log_time(ticket, brussels(17, 8), 4.0)
        self._log_time(ticket, brussels(18, 8), 1.0)
        self._add_part(ticket, self.product_ssd)
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech).action_breakfix_approve_overrun()
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech).breakfix_overrun_approved_by_id = self.tech
        self.assertFalse(ticket.breakfix_overrun_approved_by_id)
        # 4 h + 1 h × 100.00 + SSD 150.00 = 650.00 of 500.00
        self.assertEstimate(ticket, 650.0, 130.0, "exceeded")

        ticket.with_user(self.manager).action_breakfix_approve_overrun()

        # no longer a warning: the badge reads "Overrun approved"
        self.assertEstimate(ticket, 650.0, 130.0, "approved")
        self.assertEqual(
            dict(
                ticket._fields["breakfix_estimate_state"]._description_selection(
                    self.env
                )
            )[ticket.breakfix_estimate_state],
            "Overrun approved",
        )

        self.assertEqual(ticket.breakfix_overrun_approved_by_id, self.manager)
        self.assertTrue(ticket.breakfix_overrun_approved_date)
        self.assertEqual(
            self._notes(ticket)[-1],
            f"<p>Mona Manager approved going beyond the estimate of "
            f"{self._html_money(500)}: the work is invoiced in full.</p>",
        )
        self.assertAmounts(
            ticket,
            {"breakfix_estimate_adjustment": 0.0, "breakfix_amount_to_invoice": 650.0},
        )
        invoice = self._draft(ticket)
        self.assertEqual(invoice.amount_untaxed, 650.0)
        self.assertNotIn("estimate", invoice.invoice_line_ids.mapped("breakfix_kind"))

    def test_new_estimate_withdraws_the_approval(self):
        ticket = self._estimated_ticket()
        self._log_time(ticket, brussels(17, 8), 4.0)
        self._log_time(ticket, brussels(18, 8), 2.0)
        ticket.with_user(self.manager).action_breakfix_approve_overrun()
        self.assertEqual(ticket.breakfix_amount_to_invoice, 600.0)
        self.assertEstimate(ticket, 600.0, 120.0, "approved")
        # writing the same estimate back changes nothing
        ticket.with_user(self.manager).write({"breakfix_estimate_amount": 500.0})
        self.assertEqual(ticket.breakfix_overrun_approved_by_id, self.manager)
        ticket.with_user(self.manager).breakfix_estimate_amount = 550.0
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_overrun_approved_by_id": False,
                    "breakfix_overrun_approved_date": False,
                    "breakfix_estimate_adjustment": -50.0,
                    "breakfix_amount_to_invoice": 550.0,
                }
            ],
        )
        # the new estimate is used up, and no overrun of it approved
        self.assertEstimate(ticket, 600.0, 109.1, "exceeded")

    def test_estimate_bad_input_and_rights(self):
        ticket = self._create_ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech).breakfix_estimate_amount = 300.0
        with self.assertRaises(UserError) as catcher:
            ticket.with_user(self.manager).action_breakfix_approve_overrun()
        self.assertEqual(
            str(catcher.exception),
            f"Ticket {ticket.number} has no estimate to overrun.",
        )
        with self.assertRaises(ValidationError) as catcher:
            ticket.with_user(self.manager).breakfix_estimate_amount = -10.0
        self.assertEqual(
            str(catcher.exception),
            f"The estimate of ticket {ticket.number} cannot be negative "
            f"({self._money(-10)}). Leave it at 0 for no estimate.",
        )
        self.assertEqual(ticket.breakfix_estimate_amount, 0.0)

    def test_approve_overrun_button_asks_first(self):
        ticket = self._estimated_ticket()
        self._log_time(ticket, brussels(17, 8), 6.0)
        arch = ticket.with_user(self.manager).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        button = etree.fromstring(arch).xpath(
            "//button[@name='action_breakfix_approve_overrun']"
        )[0]
        self.assertEqual(
            button.get("confirm"),
            "The work beyond the estimate will be invoiced to the customer in full, "
            "and the invoices will no longer stop at the estimate. Approve the "
            "overrun?",
        )
        form = Form(ticket.with_user(self.manager))
        self.assertEqual(form.breakfix_estimate_state, "exceeded")
        ticket.with_user(self.manager).action_breakfix_approve_overrun()
        form = Form(ticket.with_user(self.manager))
        self.assertEqual(form.breakfix_estimate_state, "approved")
