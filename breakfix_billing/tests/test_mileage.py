# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mileage (SPEC §13): a new kind of charge, one line per on-site day
beside the trip fee, at the rate card's rate a kilometre."""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import brussels
from .test_invoicing import BreakfixDraftingCommon


@tagged("post_install", "-at_install")
class TestMileage(BreakfixDraftingCommon):
    """Trip fee 40.00 a day on site, mileage 0.45 a km; the customer's site
    is 42 km away (a round trip)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.card.mileage_rate = 0.45
        cls.customer.breakfix_distance_km = 42.0
        cls.env.ref("breakfix_billing.product_breakfix_mileage").write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )

    def test_mileage_beside_the_trip_fee_of_each_on_site_day(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(16, 9), 0.5, work_type=self.work_type_onsite)
        self._log_time(ticket, brussels(17, 10), 1.0)  # remote: no trip
        wednesday = self._log_time(
            ticket, brussels(18, 10), 1.0, work_type=self.work_type_onsite
        )
        # that day's visit was to another site of theirs, 30 km
        wednesday.with_user(self.manager).breakfix_distance_km = 30.0
        # 42 × 0.45 = 18.90; 30 × 0.45 = 13.50
        self.assertEqual(ticket.breakfix_mileage_amount, 32.4)
        self.assertEqual(ticket.breakfix_trip_amount, 80.0)

        invoice = self._draft(ticket)

        lines = self._invoice_lines(invoice)
        self.assertEqual(
            [
                (line.name, line.quantity, line.price_unit, line.price_subtotal)
                for line in lines
                if line.breakfix_kind in ("trip", "mileage")
            ],
            [
                ("Trip fee · 2026-11-16", 1.0, 40.0, 40.0),
                ("Trip fee · 2026-11-18", 1.0, 40.0, 40.0),
                ("Mileage · 2026-11-16 · 42 km", 42.0, 0.45, 18.9),
                ("Mileage · 2026-11-18 · 30 km", 30.0, 0.45, 13.5),
            ],
        )
        mileage = lines.filtered(lambda line: line.breakfix_kind == "mileage")
        self.assertEqual(
            mileage.product_id,
            self.env.ref("breakfix_billing.product_breakfix_mileage"),
        )
        self.assertEqual(mileage.product_uom_id, self.env.ref("uom.product_uom_km"))
        # charged once a day: a later visit on Monday adds no mileage
        self._log_time(ticket, brussels(16, 13), 0.5, work_type=self.work_type_onsite)
        again = self._draft(ticket)
        self.assertFalse(
            again.invoice_line_ids.filtered(
                lambda line: line.breakfix_kind == "mileage"
            )
        )

    def test_no_rate_or_no_distance_no_mileage(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(16, 9), 0.5, work_type=self.work_type_onsite)
        self.assertEqual(ticket.breakfix_mileage_amount, 18.9)
        self.customer.breakfix_distance_km = 0.0
        self.assertEqual(ticket.breakfix_mileage_amount, 0.0)
        self.customer.breakfix_distance_km = 42.0
        self.card.mileage_rate = 0.0
        self.assertEqual(ticket.breakfix_mileage_amount, 0.0)

    def test_distances_and_rates_are_the_billing_managers(self):
        ticket = self._create_ticket()
        entry = self._log_time(
            ticket, brussels(16, 9), 0.5, work_type=self.work_type_onsite
        )
        with self.assertRaisesRegex(AccessError, "Distance"):
            entry.with_user(self.tech).write({"breakfix_distance_km": 10.0})
        with self.assertRaisesRegex(AccessError, "Distance"):
            self.customer.with_user(self.technician).write(
                {"breakfix_distance_km": 1.0}
            )
        # rate cards are the billing managers' altogether
        with self.assertRaises(AccessError):
            self.card.with_user(self.tech).write({"mileage_rate": 9.0})
        self.assertEqual(self.card.mileage_rate, 0.45)
        for km in (-1.0, 1e6):
            with (
                self.subTest(km=km),
                self.assertRaisesRegex(ValidationError, "Distance"),
            ):
                entry.with_user(self.manager).write({"breakfix_distance_km": km})
