# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import BreakfixTicketCommon, brussels


@tagged("post_install", "-at_install")
class TestTicketAccess(BreakfixTicketCommon):
    """Technicians log time and parts; prices are the billing manager's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_ticket()
        # Tuesday 10:00, 1 h remote: 100.00; 2 RAM from the pricelist: 90.00
        cls.entry = cls._log_time(cls.ticket, brussels(17, 10), 1.0)
        cls.part = cls._add_part(cls.ticket, cls.product_ram, 2)

    def _form(self, user):
        # the web client's context holds the user's id
        return Form(self.ticket.with_user(user).with_context(uid=user.id))

    def assertAccessError(self, message, func, *args, **kwargs):
        with self.assertRaises(AccessError) as catcher:
            func(*args, **kwargs)
        self.assertEqual(str(catcher.exception), message)

    def test_technician_logs_time_and_parts(self):
        self.assertEqual(self.entry.create_uid, self.tech)
        self.assertEqual(self.part.create_uid, self.tech)
        self.assertEqual(self.entry.breakfix_amount, 100.0)
        self.assertEqual(self.part.price_subtotal, 90.0)
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 190.0)
        # and changes them: 1.5 h = 150.00, 3 RAM = 135.00
        self.entry.with_user(self.tech).unit_amount = 1.5
        self.part.with_user(self.tech).quantity = 3
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 285.0)

    def test_technician_cannot_change_the_rate_card_or_the_policy(self):
        ticket = self.ticket.with_user(self.tech)
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Rate Card” "
            "(Helpdesk Ticket).",
            ticket.write,
            {"breakfix_rate_card_id": self.rate_card.id},
        )
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Billing Policy” "
            "(Helpdesk Ticket).",
            ticket.write,
            {"breakfix_policy": "covered"},
        )
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Billing Policy” "
            "(Helpdesk Ticket).",
            self._create_ticket,
            breakfix_policy="non_billable",
        )
        self.assertEqual(self.ticket.breakfix_rate_card_id, self.card)
        self.assertEqual(self.ticket.breakfix_policy, "billable")
        # writing back the current values is no change
        ticket.write({"breakfix_rate_card_id": self.card.id, "name": "Server up"})
        self.assertEqual(ticket.name, "Server up")

    def test_nobody_sets_an_entry_amount_by_hand(self):
        for user in (self.tech, self.manager):
            self.assertAccessError(
                "The field “Billed Amount” (Analytic Line) is kept by Odoo: it "
                "cannot be set by hand.",
                self.entry.with_user(user).write,
                {"breakfix_amount": 1.0},
            )
        self.assertEqual(self.entry.breakfix_amount, 100.0)

    def test_technician_cannot_undo_a_manager_price(self):
        self.part.with_user(self.manager).price_unit = 50.0
        self.assertTrue(self.part.price_is_manual)
        part = self.part.with_user(self.tech)
        self.assertAccessError(
            "The field “Price Set by Hand” (Part Used on a Ticket) is kept by "
            "Odoo: it cannot be set by hand.",
            part.write,
            {"price_is_manual": False},
        )
        # the rate card's price is a price too
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Unit Price” "
            "(Part Used on a Ticket).",
            part.write,
            {"price_unit": 45.0},
        )
        # the manager's price stays through the technician's changes
        part.write({"quantity": 3, "price_unit": 50.0})
        self.assertAmounts(
            self.part,
            {"price_unit": 50.0, "price_is_manual": True, "price_subtotal": 150.0},
        )

    def test_technician_cannot_price_parts_by_hand(self):
        part = self.part.with_user(self.tech)
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Unit Price” "
            "(Part Used on a Ticket).",
            part.write,
            {"price_unit": 1.0},
        )
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Unit Cost” "
            "(Part Used on a Ticket).",
            part.write,
            {"unit_cost": 1.0},
        )
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Unit Price” "
            "(Part Used on a Ticket).",
            self._add_part,
            self.ticket,
            self.product_ssd,
            price_unit=1.0,
        )
        # the flag follows the billing managers' prices: nobody sets it
        self.assertAccessError(
            "The field “Price Set by Hand” (Part Used on a Ticket) is kept by "
            "Odoo: it cannot be set by hand.",
            part.write,
            {"price_is_manual": True},
        )
        # so is giving the part away
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Billable” "
            "(Part Used on a Ticket).",
            part.write,
            {"billable": False},
        )
        self.assertAccessError(
            "Only break/fix billing managers can change the field “Billable” "
            "(Part Used on a Ticket).",
            self._add_part,
            self.ticket,
            self.product_ssd,
            billable=False,
        )
        self.assertEqual(self.ticket.breakfix_material_ids, self.part)
        self.assertAmounts(
            self.part, {"unit_cost": 30.0, "price_unit": 45.0, "price_subtotal": 90.0}
        )
        self.assertFalse(self.part.price_is_manual)
        self.assertTrue(self.part.billable)
        # the price the rate card gives is no override (the web client sends
        # it back with a new quantity)
        part.write({"quantity": 3, "price_unit": 45.0})
        self.assertFalse(part.price_is_manual)
        self.assertEqual(part.price_subtotal, 135.0)

    def test_technician_cannot_make_an_entry_non_billable(self):
        message = (
            "Only break/fix billing managers can change the field “Billable” "
            "(Analytic Line)."
        )
        self.assertAccessError(
            message,
            self.entry.with_user(self.tech).write,
            {"breakfix_billable": False},
        )
        self.assertAccessError(
            message,
            self._log_time,
            self.ticket,
            brussels(17, 14),
            1.0,
            breakfix_billable=False,
        )
        self.assertTrue(self.entry.breakfix_billable)
        self.assertEqual(self.ticket.timesheet_ids, self.entry)

    def test_billing_manager_changes_terms_and_prices(self):
        ticket = self.ticket.with_user(self.manager)
        ticket.breakfix_policy = "warranty"
        # under warranty the 190.00 is given for free
        self.assertEqual(ticket.breakfix_amount_to_invoice, 0.0)
        self.assertEqual(ticket.breakfix_no_charge_value, 190.0)
        ticket.write(
            {"breakfix_policy": "billable", "breakfix_rate_card_id": self.rate_card.id}
        )
        # "Test rates": remote 95.00/h, the company's business hours
        self.assertEqual(self.entry.breakfix_amount, 95.0)

        entry = self.entry.with_user(self.manager)
        entry.breakfix_billable = False
        self.assertAmounts(
            entry, {"breakfix_amount": 0.0, "breakfix_no_charge_amount": 95.0}
        )

        part = self.part.with_user(self.manager)
        part.price_unit = 40.0
        self.assertTrue(part.price_is_manual)
        self.assertEqual(part.price_subtotal, 80.0)
        part.unit_cost = 25.0
        self.assertEqual(part.unit_cost, 25.0)
        part.billable = False
        # the parts and the time are no charge now: 80.00 + 95.00
        self.assertEqual(ticket.breakfix_amount_to_invoice, 0.0)
        self.assertEqual(ticket.breakfix_no_charge_value, 175.0)

    def test_manual_price_sticks_the_others_follow(self):
        manual = self.part.with_user(self.manager)
        manual.price_unit = 40.0
        following = self._add_part(self.ticket, self.product_ssd)
        self.assertEqual(following.price_unit, 150.0)
        # the SSD gets a pricelist price, the RAM's price goes up
        self.pricelist.item_ids.fixed_price = 50.0
        self.pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": self.product_ssd.id,
                    "compute_price": "fixed",
                    "fixed_price": 140.0,
                }
            )
        ]
        # a technician changes the quantities: the manual 40.00 stays, the
        # SSD takes the pricelist's 140.00
        manual.with_user(self.tech).quantity = 3
        following.with_user(self.tech).quantity = 2
        self.assertAmounts(manual, {"price_unit": 40.0, "price_subtotal": 120.0})
        self.assertTrue(manual.price_is_manual)
        self.assertAmounts(following, {"price_unit": 140.0, "price_subtotal": 280.0})
        self.assertFalse(following.price_is_manual)

        # at cost plus 25 %, a new cost moves the price unless set by hand
        self.card.write({"material_pricing": "cost_plus", "material_markup": 25.0})
        self.assertEqual(manual.price_unit, 40.0)
        self.assertEqual(following.price_unit, 100.0)  # 80.00 × 1.25
        following.with_user(self.manager).unit_cost = 96.0
        manual.unit_cost = 36.0
        self.assertEqual(following.price_unit, 120.0)  # 96.00 × 1.25
        self.assertEqual(manual.price_unit, 40.0)

        # the manager gives the rate card's price back: it follows again
        manual.price_unit = 45.0  # 36.00 × 1.25
        self.assertFalse(manual.price_is_manual)
        manual.unit_cost = 40.0
        self.assertEqual(manual.price_unit, 50.0)

    def test_technician_form_has_prices_readonly(self):
        form = self._form(self.tech)
        with self.assertRaises(AssertionError):
            form.breakfix_rate_card_id = self.rate_card
        with self.assertRaises(AssertionError):
            form.breakfix_policy = "covered"
        form.breakfix_emergency = True
        with form.timesheet_ids.edit(0) as line:
            with self.assertRaises(AssertionError):
                line.breakfix_billable = False
            with self.assertRaises(AssertionError):
                line.breakfix_amount = 1.0
            line.unit_amount = 2.0
        with form.breakfix_material_ids.edit(0) as part:
            for fname, value in (
                ("price_unit", 1.0),
                ("unit_cost", 1.0),
                ("billable", False),
            ):
                with self.subTest(field=fname), self.assertRaises(AssertionError):
                    part[fname] = value
            part.quantity = 3
        form.save()
        # 2.00 h at max(1.0, emergency 1.0) × 100.00 = 200.00, the call-out
        # fee 75.00, 3 RAM × 45.00 = 135.00
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 410.0)
        self.assertFalse(self.part.price_is_manual)

    def test_billing_manager_form_sets_prices(self):
        form = self._form(self.manager)
        form.breakfix_rate_card_id = self.rate_card
        with form.timesheet_ids.edit(0) as line:
            line.breakfix_billable = False
        with form.breakfix_material_ids.edit(0) as part:
            part.price_unit = 40.0
        # the hour is no charge (95.00 at "Test rates"); 2 RAM × 40.00
        self.assertEqual(form.breakfix_amount_to_invoice, 80.0)
        self.assertEqual(form.breakfix_no_charge_value, 95.0)
        form.save()
        self.assertEqual(self.ticket.breakfix_rate_card_id, self.rate_card)
        self.assertFalse(self.entry.breakfix_billable)
        self.assertTrue(self.part.price_is_manual)
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 80.0)

        form = self._form(self.manager)
        form.breakfix_policy = "warranty"
        form.save()
        # all given for free: 95.00 + 80.00
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 0.0)
        self.assertEqual(self.ticket.breakfix_no_charge_value, 175.0)
