# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Drafted invoices follow the accounting: the rate card's currency, the
customer's fiscal position, analytic distribution models."""

from odoo import Command
from odoo.tests import tagged

from .common import brussels, invoice_label
from .test_invoicing import BreakfixDraftingCommon


@tagged("post_install", "-at_install")
class TestInvoiceAccounting(BreakfixDraftingCommon):
    def test_rate_card_in_another_currency(self):
        # 1.00 USD = 0.80 EUR
        eur, customer = self._euro_customer()
        self.assertEqual(self.company.currency_id, self.env.ref("base.USD"))
        ticket = self._create_ticket(partner_id=customer.id)
        self._log_time(ticket, brussels(17, 9), 1.5, work_type=self.work_type_onsite)
        self._log_time(ticket, brussels(17, 14), 1.0)

        invoice = self._draft(ticket)

        # on-site at the work type's 110.00 USD × 0.8 = 88.00 EUR/h:
        #   1.50 h × 88.00                                    132.00 EUR
        # remote at the card's 90.00 EUR/h: 1.00 h × 90.00     90.00 EUR
        # Tuesday's trip                                       30.00 EUR
        #                                           untaxed   252.00 EUR
        # in the company's currency: 252.00 / 0.8 = 315.00 USD
        self.assertEqual(invoice.partner_id, customer)
        self.assertEqual(invoice.currency_id, eur)
        self.assertEqual(
            self._line_table(invoice),
            [
                (
                    invoice_label("2026-11-17 · T. Tech · Test on-site · 1.50 h"),
                    1.5,
                    88.0,
                    132.0,
                ),
                (
                    invoice_label("2026-11-17 · T. Tech · Test remote · 1.00 h"),
                    1.0,
                    90.0,
                    90.0,
                ),
                ("Trip fee · 2026-11-17", 1.0, 30.0, 30.0),
            ],
        )
        self.assertEqual(invoice.amount_untaxed, 252.0)
        self.assertEqual(invoice.amount_untaxed_signed, 315.0)
        self.assertEqual(ticket.breakfix_amount_drafted, 252.0)

    def test_fiscal_position_maps_the_taxes(self):
        reduced_tax = self.env["account.tax"].create(
            {
                "name": "Test VAT 6%",
                "amount": 6.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        fiscal_position = self.env["account.fiscal.position"].create(
            {
                "name": "Test reduced rate",
                "tax_ids": [
                    Command.create(
                        {
                            "tax_src_id": self.sale_tax.id,
                            "tax_dest_id": reduced_tax.id,
                        }
                    )
                ],
            }
        )
        self.customer.property_account_position_id = fiscal_position
        ticket = self._create_ticket(breakfix_emergency=True)
        self._log_time(ticket, brussels(17, 10), 1.0)
        self._add_part(ticket, self.product_ram)

        invoice = self._draft(ticket)

        # call-out 75.00, 1.00 h × 100.00, RAM 45.00: 220.00; 6 % VAT: 13.20
        self.assertEqual(invoice.fiscal_position_id, fiscal_position)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, reduced_tax)
        self.assertEqual(len(invoice.invoice_line_ids), 3)
        self.assertRecordValues(
            invoice, [{"amount_untaxed": 220.0, "amount_tax": 13.2}]
        )

    def test_analytic_distribution_models_apply(self):
        category = self.env["res.partner.category"].create({"name": "Test SMB"})
        self.customer.category_id = category
        plan = self.env["account.analytic.plan"].create({"name": "Test desks"})
        desk = self.env["account.analytic.account"].create(
            {"name": "Test break/fix desk", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {
                "partner_category_id": category.id,
                "analytic_distribution": {str(desk.id): 100},
            }
        )
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 1.0)
        self._log_time(ticket, brussels(17, 14), 1.0)
        self._add_part(ticket, self.product_ram)

        invoice = self._draft(ticket)

        self.assertEqual(len(invoice.invoice_line_ids), 3)
        self.assertEqual(
            invoice.invoice_line_ids.mapped("analytic_distribution"),
            [{str(desk.id): 100}] * 3,
        )
