# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from decimal import Decimal as D

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


@tagged("post_install", "-at_install")
class TestEstimate(BreakfixInvoicingCommon):
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
            f"{self._html_money(500)}.</p>"
        )
        used_up = (
            f"<p>The estimate is used up: {self._html_money(500)} of work for an "
            f"estimate of {self._html_money(500)}. The customer is not invoiced "
            "beyond the estimate unless a billing manager approves the overrun.</p>"
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
            f"used: {self._money(450)} of {self._money(500)}."
        )
        self.assertEqual(logs.output, [told])
        self.assertEqual(form.breakfix_estimate_state, "warning")
        self.assertEqual(form.breakfix_estimate_used, 450.0)
        form.save()
        self.assertEstimate(ticket, 450.0, 90.0, "warning")

    def test_not_to_exceed_line_makes_the_invoice_the_estimate(self):
        ticket = self._estimated_ticket()
        # Tuesday 08:00, 4 h: 400.00; Wednesday 08:00, 1 h: 100.00; an SSD:
        # 150.00; work 650.00 for an estimate of 500.00
        self._log_time(ticket, brussels(17, 8), 4.0)
        self._log_time(ticket, brussels(18, 8), 1.0)
        self._add_part(ticket, self.product_ssd)
        self.assertEstimate(ticket, 650.0, 130.0, "exceeded")
        self.assertAmounts(
            ticket,
            {
                "breakfix_estimate_adjustment": -150.0,
                "breakfix_amount_to_invoice": 500.0,
            },
        )
        self.assertIn(
            "Not-to-exceed adjustment: estimate 500.00, work 650.00",
            ticket.breakfix_pricing_summary,
        )

        invoice = self._draft(ticket)

        self.assertEqual(
            self._line_table(invoice),
            [
                ("2026-11-17 · T. Tech · Test remote · 4.00 h", 4.0, 100.0, 400.0),
                ("2026-11-18 · T. Tech · Test remote · 1.00 h", 1.0, 100.0, 100.0),
                ("Test SSD 1 TB", 1.0, 150.0, 150.0),
                (
                    "Not-to-exceed adjustment: estimate 500.00, work 650.00",
                    1.0,
                    -150.0,
                    -150.0,
                ),
            ],
        )
        adjustment = self._invoice_lines(invoice)[-1]
        self.assertEqual(adjustment.breakfix_kind, "estimate")
        self.assertEqual(adjustment.product_id, self.nte_product)
        # 21 % VAT: 84.00 + 21.00 + 31.50 - 31.50
        self.assertRecordValues(
            invoice,
            [{"amount_untaxed": 500.0, "amount_tax": 105.0, "amount_total": 605.0}],
        )
        self.assertAmounts(
            ticket,
            {"breakfix_amount_invoiced": 500.0, "breakfix_amount_to_invoice": 0.0},
        )
        self.assertEqual(ticket.breakfix_invoice_status, "invoiced")
        self.assertEstimate(ticket, 650.0, 130.0, "exceeded")

    def test_supplementary_invoices_stay_within_the_estimate(self):
        ticket = self._estimated_ticket()
        self._log_time(ticket, brussels(17, 8), 3.0)
        first = self._draft(ticket)
        self.assertEqual(first.amount_untaxed, 300.0)
        self.assertEqual(len(first.invoice_line_ids), 1)
        # Wednesday 08:00, 1 h, and 09:00, 2 h: 300.00 more, 200.00 left
        self._log_time(ticket, brussels(18, 8), 1.0)
        self._log_time(ticket, brussels(18, 9), 2.0)
        self.assertEstimate(ticket, 600.0, 120.0, "exceeded")
        self.assertEqual(ticket.breakfix_amount_to_invoice, 200.0)

        second = self._draft(ticket)

        self.assertEqual(
            self._line_table(second)[-1],
            (
                "Not-to-exceed adjustment: estimate 500.00, work 600.00",
                1.0,
                -100.0,
                -100.0,
            ),
        )
        self.assertEqual(second.amount_untaxed, 200.0)
        self.assertEqual(ticket.breakfix_amount_invoiced, 500.0)
        # Thursday 08:00, 1 h more: invoiced, and taken off entirely
        self._log_time(ticket, brussels(19, 8), 1.0)
        self.assertEqual(ticket.breakfix_amount_to_invoice, 0.0)
        third = self._draft(ticket)
        self.assertEqual(
            self._line_table(third),
            [
                ("2026-11-19 · T. Tech · Test remote · 1.00 h", 1.0, 100.0, 100.0),
                (
                    "Not-to-exceed adjustment: estimate 500.00, work 700.00",
                    1.0,
                    -100.0,
                    -100.0,
                ),
            ],
        )
        self.assertEqual(third.amount_untaxed, 0.0)
        self.assertAmounts(
            ticket,
            {"breakfix_amount_invoiced": 500.0, "breakfix_estimate_used": 700.0},
        )

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

        ticket.with_user(self.manager).action_breakfix_approve_overrun()

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

    def _over_the_estimate(self, estimate=500.0):
        """Tuesday 08:00, 4 h: 400.00; Wednesday 08:00, 1 h: 100.00; an SSD:
        150.00; work 650.00 for an estimate of 500.00."""
        ticket = self._estimated_ticket(estimate)
        self._log_time(ticket, brussels(17, 8), 4.0)
        self._log_time(ticket, brussels(18, 8), 1.0)
        self._add_part(ticket, self.product_ssd)
        return ticket

    def test_approved_overrun_after_invoicing_gives_the_excess_back(self):
        ticket = self._over_the_estimate()
        first = self._draft(ticket)
        self.assertEqual(first.amount_untaxed, 500.0)
        self.assertEqual(ticket.breakfix_invoice_status, "invoiced")

        ticket.with_user(self.manager).action_breakfix_approve_overrun()

        self.assertAmounts(
            ticket,
            {
                "breakfix_estimate_adjustment": 150.0,
                "breakfix_amount_to_invoice": 150.0,
            },
        )
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        second = self._draft(ticket)
        # a draft of the reversal alone, under the taxes of what it reverses
        self.assertEqual(
            self._line_table(second),
            [
                (
                    "Not-to-exceed adjustment reversed: overrun approved, work 650.00",
                    1.0,
                    150.0,
                    150.0,
                )
            ],
        )
        self.assertEqual(second.invoice_line_ids.breakfix_kind, "estimate")
        self.assertEqual(second.invoice_line_ids.tax_ids, self.sale_tax)
        self.assertRecordValues(
            second,
            [{"amount_untaxed": 150.0, "amount_tax": 31.5, "amount_total": 181.5}],
        )
        self.assertAmounts(
            ticket,
            {
                "breakfix_amount_invoiced": 650.0,
                "breakfix_amount_to_invoice": 0.0,
                "breakfix_estimate_adjustment": 0.0,
                "breakfix_estimate_used": 650.0,
            },
        )
        self.assertEqual(ticket.breakfix_invoice_status, "invoiced")
        self.assertFalse(self._draft(ticket))

    def test_raised_or_removed_estimate_gives_the_excess_back(self):
        ticket = self._over_the_estimate()
        self.assertEqual(self._draft(ticket).amount_untaxed, 500.0)
        # raised to 600.00: 100.00 of the 150.00 taken off comes back
        ticket.with_user(self.manager).breakfix_estimate_amount = 600.0
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        self.assertEqual(ticket.breakfix_amount_to_invoice, 100.0)
        self.assertEqual(
            self._line_table(self._draft(ticket)),
            [
                (
                    "Not-to-exceed adjustment reversed: estimate 600.00, work 650.00",
                    1.0,
                    100.0,
                    100.0,
                )
            ],
        )
        # then removed: the last 50.00
        ticket.with_user(self.manager).breakfix_estimate_amount = 0.0
        self.assertEqual(ticket.breakfix_amount_to_invoice, 50.0)
        self.assertEqual(
            self._line_table(self._draft(ticket)),
            [
                (
                    (
                        "Not-to-exceed adjustment reversed: no estimate any more, "
                        "work 650.00"
                    ),
                    1.0,
                    50.0,
                    50.0,
                )
            ],
        )
        self.assertAmounts(
            ticket,
            {"breakfix_amount_invoiced": 650.0, "breakfix_amount_to_invoice": 0.0},
        )
        self.assertEqual(ticket.breakfix_invoice_status, "invoiced")

    def test_credit_note_makes_no_room_under_the_estimate(self):
        ticket = self._over_the_estimate()
        invoice = self._draft(ticket)
        invoice.with_user(self.finance).action_post()
        invoice.with_user(self.finance)._reverse_moves(cancel=True)
        # the work was done and settled: still 650.00 of the estimate used
        self.assertAmounts(
            ticket,
            {
                "breakfix_amount_invoiced": 0.0,
                "breakfix_estimate_used": 650.0,
                "breakfix_estimate_adjustment": 0.0,
                "breakfix_amount_to_invoice": 0.0,
            },
        )
        self.assertEqual(ticket.breakfix_invoice_status, "invoiced")
        # Thursday 08:00, 1 h more: taken off entirely
        self._log_time(ticket, brussels(19, 8), 1.0)
        self.assertAmounts(
            ticket,
            {
                "breakfix_estimate_used": 750.0,
                "breakfix_estimate_adjustment": -100.0,
                "breakfix_amount_to_invoice": 0.0,
            },
        )

    def test_estimate_measured_on_unit_prices_not_subtotals(self):
        # the SSD's price includes its tax: its subtotal is 123.97, the work
        # the pricing counted 150.00
        self.product_ssd.taxes_id = self.env["account.tax"].create(
            {
                "name": "Test VAT 21% included",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        ticket = self._over_the_estimate()
        invoice = self._draft(ticket)
        self.assertEqual(
            [line[2:] for line in self._line_table(invoice)],
            [(100.0, 400.0), (100.0, 100.0), (150.0, 123.97), (-115.38, -115.38),
             (-34.62, -28.61)],
        )  # fmt: skip
        self.assertAmounts(
            ticket,
            {
                "breakfix_estimate_used": 650.0,
                "breakfix_estimate_adjustment": 0.0,
                "breakfix_amount_to_invoice": 0.0,
            },
        )
        self.assertEqual(ticket.breakfix_invoice_status, "invoiced")
        self._log_time(ticket, brussels(19, 8), 1.0)
        self.assertAmounts(
            ticket,
            {
                "breakfix_estimate_used": 750.0,
                "breakfix_estimate_adjustment": -100.0,
                "breakfix_amount_to_invoice": 0.0,
            },
        )

    def test_adjustment_split_over_the_taxes_of_the_work(self):
        """Labour untaxed, parts at 21 % that the customer's fiscal position
        maps to 6 %: the adjustment takes off pro rata under each."""
        self.product_remote.taxes_id = [Command.clear()]
        reduced = self.env["account.tax"].create(
            {
                "name": "Test VAT 6%",
                "amount": 6.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        self.customer.property_account_position_id = self.env[
            "account.fiscal.position"
        ].create(
            {
                "name": "Test reduced rate",
                "tax_ids": [
                    Command.create(
                        {"tax_src_id": self.sale_tax.id, "tax_dest_id": reduced.id}
                    )
                ],
            }
        )
        # Tuesday 08:00, 4 h: 400.00 untaxed; an SSD 150.00 and RAM 45.00 at
        # 6 %: work 595.00 for an estimate of 487.33, 107.67 taken off
        ticket = self._estimated_ticket(487.33)
        self._log_time(ticket, brussels(17, 8), 4.0)
        self._add_part(ticket, self.product_ssd)
        self._add_part(ticket, self.product_ram)
        self.assertAmounts(
            ticket,
            {
                "breakfix_estimate_adjustment": -107.67,
                "breakfix_amount_to_invoice": 487.33,
            },
        )

        invoice = self._draft(ticket)

        label = "Not-to-exceed adjustment: estimate 487.33, work 595.00"
        self.assertEqual(
            [(*line, taxes) for line, taxes in zip(
                self._line_table(invoice),
                [line.tax_ids for line in self._invoice_lines(invoice)],
                strict=True,
            )],
            [
                ("2026-11-17 · T. Tech · Test remote · 4.00 h", 4.0, 100.0, 400.0,
                 self.env["account.tax"]),
                ("Test SSD 1 TB", 1.0, 150.0, 150.0, reduced),
                ("Test RAM 16 GB", 1.0, 45.0, 45.0, reduced),
                # 107.67 × 400 / 595 = 72.38; 107.67 × 195 / 595 = 35.29
                (label, 1.0, -72.38, -72.38, self.env["account.tax"]),
                (label, 1.0, -35.29, -35.29, reduced),
            ],
        )  # fmt: skip
        # the estimate, plus 6 % of the parts' share of it: 195.00 × 487.33 /
        # 595.00 = 159.71, × 6 % = 9.58
        self.assertRecordValues(
            invoice,
            [{"amount_untaxed": 487.33, "amount_tax": 9.58, "amount_total": 496.91}],
        )
        # the overrun approved afterwards: given back under the same taxes,
        # the two invoices together 595.00 + 6 % of 195.00 = 606.70
        ticket.with_user(self.manager).action_breakfix_approve_overrun()
        reversal = self._draft(ticket)
        label = "Not-to-exceed adjustment reversed: overrun approved, work 595.00"
        self.assertEqual(
            [(*line, taxes) for line, taxes in zip(
                self._line_table(reversal),
                [line.tax_ids for line in self._invoice_lines(reversal)],
                strict=True,
            )],
            [
                (label, 1.0, 72.38, 72.38, self.env["account.tax"]),
                (label, 1.0, 35.29, 35.29, reduced),
            ],
        )  # fmt: skip
        self.assertRecordValues(
            reversal,
            [{"amount_untaxed": 107.67, "amount_tax": 2.12, "amount_total": 109.79}],
        )
