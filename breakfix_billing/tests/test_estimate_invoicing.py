# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Invoices of tickets with a not-to-exceed estimate: the adjustment that
keeps them within it, and the reversals that give the excess back."""

from odoo import Command
from odoo.tests import tagged

from .common import brussels, invoice_label
from .test_estimate import BreakfixEstimateCommon


@tagged("post_install", "-at_install")
class TestEstimateInvoicing(BreakfixEstimateCommon):
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
                (
                    invoice_label("2026-11-17 · T. Tech · Test remote · 4.00 h"),
                    4.0,
                    100.0,
                    400.0,
                ),
                (
                    invoice_label("2026-11-18 · T. Tech · Test remote · 1.00 h"),
                    1.0,
                    100.0,
                    100.0,
                ),
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
            {"breakfix_amount_drafted": 500.0, "breakfix_amount_to_invoice": 0.0},
        )
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
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
        self.assertEqual(ticket.breakfix_amount_drafted, 500.0)
        # Thursday 08:00, 1 h more: invoiced, and taken off entirely
        self._log_time(ticket, brussels(19, 8), 1.0)
        self.assertEqual(ticket.breakfix_amount_to_invoice, 0.0)
        third = self._draft(ticket)
        self.assertEqual(
            self._line_table(third),
            [
                (
                    invoice_label("2026-11-19 · T. Tech · Test remote · 1.00 h"),
                    1.0,
                    100.0,
                    100.0,
                ),
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
            {"breakfix_amount_drafted": 500.0, "breakfix_estimate_used": 700.0},
        )

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
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")

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
                "breakfix_amount_drafted": 650.0,
                "breakfix_amount_to_invoice": 0.0,
                "breakfix_estimate_adjustment": 0.0,
                "breakfix_estimate_used": 650.0,
            },
        )
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
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
            {"breakfix_amount_drafted": 650.0, "breakfix_amount_to_invoice": 0.0},
        )
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")

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
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
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
        reduced = self._reduced_rate_position()
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
                (invoice_label("2026-11-17 · T. Tech · Test remote · 4.00 h"),
                 4.0, 100.0, 400.0, self.env["account.tax"]),
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
