# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import BreakfixTicketCommon, brussels


@tagged("post_install", "-at_install")
class TestBadInput(BreakfixTicketCommon):
    """Bad input is refused with a clear message, nothing is lost
    (docs/pricing.md §13)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_ticket()
        # Tuesday 10:00, 1 h remote: 100.00; 2 RAM from the pricelist: 90.00
        cls.entry = cls._log_time(cls.ticket, brussels(17, 10), 1.0, name="Fixing")
        cls.part = cls._add_part(cls.ticket, cls.product_ram, 2)

    def assertRefused(self, message, func, *args, **kwargs):
        """``func`` raises ``message``; the ticket's time and parts are intact."""
        with self.assertRaises(ValidationError) as catcher:
            func(*args, **kwargs)
        self.assertEqual(str(catcher.exception), message)
        self.assertEqual(self.ticket.timesheet_ids, self.entry)
        self.assertEqual(self.ticket.breakfix_material_ids, self.part)
        self.assertAmounts(
            self.entry,
            {
                "unit_amount": 1.0,
                "breakfix_billed_hours": 1.0,
                "breakfix_amount": 100.0,
            },
        )
        self.assertAmounts(
            self.part, {"quantity": 2.0, "price_unit": 45.0, "unit_cost": 30.0}
        )
        self.assertEqual(self.part.product_id, self.product_ram)
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 190.0)

    def test_negative_duration_refused(self):
        number = self.ticket.number
        self.assertRefused(
            f"The time entry “Fixing” on ticket {number} ends before it starts: "
            "its duration (-1.0 h) is negative.",
            self._log_time,
            self.ticket,
            brussels(17, 14),
            -1.0,
            name="Fixing",
        )
        self.assertRefused(
            f"The time entry “Fixing” on ticket {number} ends before it starts: "
            "its duration (-0.5 h) is negative.",
            self.entry.with_user(self.tech).write,
            {"unit_amount": -0.5},
        )

    def test_entry_over_24_hours_refused(self):
        number = self.ticket.number
        self.assertRefused(
            f"The time entry “Fixing” on ticket {number} lasts 25.0 h: a single "
            "entry cannot exceed 24 hours. Log each day separately.",
            self._log_time,
            self.ticket,
            brussels(17, 14),
            25.0,
            name="Fixing",
        )
        self.assertRefused(
            f"The time entry “Fixing” on ticket {number} lasts 24.5 h: a single "
            "entry cannot exceed 24 hours. Log each day separately.",
            self.entry.with_user(self.tech).write,
            {"unit_amount": 24.5},
        )

    def test_entry_of_24_hours_allowed(self):
        entry = self._log_time(self.ticket, brussels(17, 8), 24.0)
        # Tuesday 08:00-12:00 business 4 h × 100.00 = 400.00
        # 12:00-13:00 lunch, after hours 1 h × 150.00 = 150.00
        # 13:00-17:00 business 4 h × 100.00 = 400.00
        # 17:00-24:00 after hours 7 h × 150.00 = 1050.00
        # Wednesday 00:00-08:00 after hours 8 h × 150.00 = 1200.00
        self.assertAmounts(
            entry, {"breakfix_billed_hours": 24.0, "breakfix_amount": 3200.0}
        )
        self.assertEqual(len(entry.breakfix_pricing_trace.splitlines()), 5)

    def test_negative_part_values_refused(self):
        number = self.ticket.number
        for user, fname, label in (
            (self.tech, "quantity", "Quantity"),
            (self.manager, "price_unit", "Unit Price"),
            (self.manager, "unit_cost", "Unit Cost"),
        ):
            message = (
                f"The {label} of part “Test RAM 16 GB” on ticket {number} cannot "
                "be negative."
            )
            with self.subTest(field=fname, on="create"):
                self.assertRefused(
                    message,
                    self._add_part,
                    self.ticket,
                    self.product_ram,
                    user=user,
                    **{fname: -1.0},
                )
            with self.subTest(field=fname, on="write"):
                self.assertRefused(
                    message, self.part.with_user(user).write, {fname: -1.0}
                )

    def test_archived_product_refused(self):
        old_disk = self.env["product.product"].create(
            {"name": "Test old HDD", "type": "consu", "active": False}
        )
        message = (
            "Product “Test old HDD” is archived: it cannot be added to ticket "
            f"{self.ticket.number}."
        )
        self.assertRefused(message, self._add_part, self.ticket, old_disk)
        self.assertRefused(
            message,
            self.part.with_user(self.tech).write,
            {"product_id": old_disk.id},
        )

    def test_charge_products_not_offered_as_parts(self):
        material = self.env["helpdesk.ticket.material"].with_user(self.tech)
        domain = material._fields["product_id"].get_domain_list(material)
        charges = self.env["product.product"].search(
            [
                (
                    "default_code",
                    "in",
                    ("BF-CALLOUT", "BF-TRIP", "BF-MILEAGE", "BF-NTE", "BF-PREPAID"),
                )
            ]
        )
        self.assertEqual(
            charges,
            self.env["product.product"]._breakfix_charge_products(),
        )
        self.assertEqual(len(charges), 5)
        offered = self.env["product.product"].with_user(self.tech).search(domain)
        self.assertFalse(offered & charges)
        self.assertIn(self.product_ram, offered)
        # nor the work types' labour, the addon's Travel included
        labour = self.product_remote | self.env.ref(
            "breakfix_billing.product_breakfix_travel"
        )
        self.assertFalse(offered & labour)

    def test_labour_refused_as_a_part(self):
        message = (
            f"“{self.product_remote.display_name}” is labour: log it as time on "
            f"ticket {self.ticket.number}, not as a part."
        )
        self.assertRefused(message, self._add_part, self.ticket, self.product_remote)

    def test_charge_products_refused_as_parts(self):
        for xmlid, name in (
            ("product_breakfix_callout", "[BF-CALLOUT] Emergency call-out fee"),
            ("product_breakfix_trip", "[BF-TRIP] Trip fee"),
            ("product_breakfix_not_to_exceed", "[BF-NTE] Not-to-exceed adjustment"),
        ):
            product = self.env.ref(f"breakfix_billing.{xmlid}")
            message = (
                f"“{name}” is a charge the invoices add by themselves, not a part: "
                f"it cannot be added to ticket {self.ticket.number}."
            )
            with self.subTest(product=name, on="create"):
                self.assertRefused(message, self._add_part, self.ticket, product)
            with self.subTest(product=name, on="write"):
                self.assertRefused(
                    message,
                    self.part.with_user(self.tech).write,
                    {"product_id": product.id},
                )
