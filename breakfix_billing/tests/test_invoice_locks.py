# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BreakfixInvoicingCommon, brussels


@tagged("post_install", "-at_install")
class TestInvoiceLocks(BreakfixInvoicingCommon):
    """What an invoice charged is frozen until the invoice is cancelled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_ticket()
        # Tuesday 10:00, 1.00 h × 100.00; and the RAM at 45.00
        cls.entry = cls._log_time(cls.ticket, brussels(17, 10), 1.0, name="Reboot")
        cls.part = cls._add_part(cls.ticket, cls.product_ram)
        cls.invoice = cls.env["account.move"].browse(
            cls.ticket.with_user(cls.manager)._breakfix_create_invoices()[0].ids
        )
        cls.other_card = cls.card.copy({"name": "Other rates"})

    def test_invoiced_time_entry_is_locked(self):
        self.assertEqual(self.invoice.amount_untaxed, 145.0)
        entry = self.entry.with_user(self.tech)
        message = (
            "The time entry “Reboot” of 2026-11-17 is invoiced on an invoice: "
            "its %s cannot change. You may still "
            "edit its description, or cancel the invoice first."
        )
        for fname, value in (
            ("unit_amount", 2.0),
            ("date_time", brussels(18, 10)),
            ("employee_id", self.other_employee.id),
            ("breakfix_work_type_id", self.work_type_onsite.id),
        ):
            label = entry._fields[fname]._description_string(self.env)
            with self.subTest(field=fname), self.assertRaises(UserError) as caught:
                entry.write({fname: value})
            self.assertEqual(caught.exception.args[0], message % label)
        # only billing managers change the billable flag: theirs is refused too
        with self.assertRaisesRegex(UserError, "its Billable cannot change"):
            self.entry.with_user(self.manager).breakfix_billable = False
        with self.assertRaises(UserError) as caught:
            entry.unlink()
        self.assertEqual(
            caught.exception.args[0],
            "The time entry “Reboot” of 2026-11-17 is invoiced on an invoice: it "
            "cannot be deleted. Cancel the invoice first.",
        )
        # the description may change; so may the unchanged values the web
        # client writes back with it
        entry.write({"name": "Rebooted the file server", "unit_amount": 1.0})
        self.assertEqual(self.entry.name, "Rebooted the file server")
        self.assertEqual(self.entry.breakfix_amount, 100.0)

    def test_invoiced_part_is_locked(self):
        part = self.part.with_user(self.manager)
        message = (
            "The part “Test RAM 16 GB” is invoiced on an invoice: "
            "its %s cannot change. You may still edit its description, or "
            "cancel the invoice first."
        )
        for fname, value in (
            ("product_id", self.product_ssd.id),
            ("quantity", 3.0),
            ("price_unit", 40.0),
            ("billable", False),
        ):
            label = part._fields[fname]._description_string(self.env)
            with self.subTest(field=fname), self.assertRaises(UserError) as caught:
                part.write({fname: value})
            self.assertEqual(caught.exception.args[0], message % label)
        # the technician who added it cannot change its quantity either
        with self.assertRaisesRegex(UserError, "its Quantity cannot change"):
            self.part.with_user(self.tech).quantity = 2.0
        with self.assertRaises(UserError) as caught:
            self.part.with_user(self.tech).unlink()
        self.assertEqual(
            caught.exception.args[0],
            "The part “Test RAM 16 GB” is invoiced on an invoice: "
            "it cannot be deleted. Cancel the invoice first.",
        )
        self.part.with_user(self.tech).name = "RAM 16 GB, DDR5"
        self.assertEqual(self.part.name, "RAM 16 GB, DDR5")
        self.assertEqual(self.part.price_subtotal, 45.0)

    def test_the_message_names_the_invoice_to_who_may_read_it(self):
        # technicians and billing managers without invoicing rights read
        # "an invoice" above; a billing manager who invoices reads its name
        self.manager.groups_id += self.env.ref("account.group_account_invoice")
        with self.assertRaises(UserError) as caught:
            self.part.with_user(self.manager).quantity = 3.0
        self.assertEqual(
            caught.exception.args[0],
            f"The part “Test RAM 16 GB” is invoiced on {self.invoice.display_name}: "
            f"its Quantity cannot change. You may still edit its description, or "
            f"cancel the invoice first.",
        )

    def test_ticket_pricing_fields_locked_while_invoiced(self):
        ticket = self.ticket.with_user(self.manager)
        message = (
            f"Ticket {self.ticket.number} has invoiced work: its %s cannot change "
            f"any more. Cancel its invoices first."
        )
        changes = {
            "breakfix_policy": "warranty",
            "breakfix_rate_card_id": self.other_card.id,
            "breakfix_emergency": True,
            "breakfix_onsite": True,
        }
        # the technician flags emergencies and on-site work; the policy and
        # rate card are the billing manager's
        technician_fields = ("breakfix_emergency", "breakfix_onsite")
        for fname, value in changes.items():
            user = self.tech if fname in technician_fields else self.manager
            label = ticket._fields[fname]._description_string(self.env)
            with self.subTest(field=fname), self.assertRaises(UserError) as caught:
                ticket.with_user(user).write({fname: value})
            self.assertEqual(caught.exception.args[0], message % label)
        # unchanged values pass
        ticket.write({"breakfix_policy": "billable", "breakfix_emergency": False})

        self.invoice.with_user(self.finance).button_cancel()

        # nothing is invoiced any more: all of it may change
        self.ticket.with_user(self.tech).write(
            {"breakfix_emergency": True, "breakfix_onsite": True}
        )
        ticket.write({"breakfix_rate_card_id": self.other_card.id})
        self.entry.with_user(self.tech).unit_amount = 2.0
        self.part.with_user(self.tech).quantity = 2.0
        ticket.breakfix_policy = "warranty"
        self.assertEqual(self.ticket.breakfix_invoice_status, "nothing")
        # as a warranty ticket: 2.00 h at 100.00, a 75.00 call-out fee and
        # 2 × 45.00 of RAM, all of it given for free (remote work: no trip,
        # on-site ticket or not)
        self.assertEqual(self.ticket.breakfix_no_charge_value, 365.0)
