# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Expenses rebilled at cost (SPEC §13): billed at their unit cost
whatever the rate card's parts pricing, and labelled so."""

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import BreakfixInvoicingCommon


@tagged("post_install", "-at_install")
class TestRebillAtCost(BreakfixInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card.write({"material_pricing": "cost_plus", "material_markup": 20.0})
        cls.parking = cls.env["product.product"].create(
            {
                "name": "Parking",
                "type": "service",
                "standard_price": 12.5,
                "list_price": 30.0,
                "property_account_income_id": cls.income_account.id,
            }
        )
        with Form(
            cls.parking.product_tmpl_id.with_user(cls.env.ref("base.user_admin"))
        ) as form:
            form.breakfix_rebill_at_cost = True

    def test_an_at_cost_part_is_billed_at_its_cost(self):
        ticket = self._create_ticket()
        parking = self._add_part(ticket, self.parking)
        ssd = self._add_part(ticket, self.product_ssd)
        # the SSD at cost plus 20 %: 80.00 × 1.2 = 96.00; the parking at its
        # 12.50, not 15.00
        self.assertEqual(parking.price_unit, 12.5)
        self.assertEqual(ssd.price_unit, 96.0)
        invoice = self._draft(ticket)
        self.assertEqual(invoice.amount_untaxed, 108.5)
        self.assertEqual(
            [(line.name, line.price_unit) for line in self._invoice_lines(invoice)],
            [("Parking · at cost", 12.5), ("Test SSD 1 TB", 96.0)],
        )

    def test_at_cost_under_pricelist_pricing_too(self):
        self.card.material_pricing = "pricelist"
        ticket = self._create_ticket()
        parking = self._add_part(ticket, self.parking)
        self.assertEqual(parking.price_unit, 12.5)

    def test_only_billing_managers_flag_products(self):
        product_manager = self.env["res.users"].create(
            {
                "name": "Pat Products",
                "login": "bf_products",
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("base.group_system").id,
                        ],
                    )
                ],
            }
        )
        with self.assertRaisesRegex(AccessError, "Rebill at Cost"):
            self.product_ram.product_tmpl_id.with_user(product_manager).write(
                {"breakfix_rebill_at_cost": True}
            )
