# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Prepaid blocks: sold by their own invoice, drawn from once it is posted,
used up at 0, expired past their last day, and the alerts on the way."""

import json
import math
import xmlrpc.client
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import (
    Form,
    HttpCase,
    TransactionCase,
    freeze_time,
    new_test_user,
    tagged,
)
from odoo.tools import mute_logger

from .common import AtBrusselsMidnight, BreakfixInvoicingCommon


class PrepaidCommon(AtBrusselsMidnight, BreakfixInvoicingCommon):
    """Today is Wednesday 2 December 2026 in Brussels (the company's day);
    "Prepaid support" books on 700900 with the 21 % VAT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prepaid_product = cls.env.ref("breakfix_billing.product_breakfix_prepaid")
        cls.prepaid_product.write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )
        cls.customer.email = "it@customer.example.com"

    def _block(self, user=None, **values):
        vals = {
            "name": "10 hours 2027",
            "partner_id": self.customer.id,
            "unit": "hours",
            "quantity": 10.0,
            "price": 850.0,
            "user_id": self.manager.id,
            **values,
        }
        return (
            self.env["breakfix.prepaid.block"]
            .with_user(user or self.manager)
            .create(vals)
        )

    def _usable_block(self, **values):
        """A block confirmed by the billing manager, its invoice posted by
        finance; read as superuser."""
        block = self._block(**values)
        block.action_breakfix_confirm()
        block.invoice_id.with_user(self.finance).action_post()
        return block.sudo()

    def _draw(self, block, quantity, amount=0.0):
        """A draw as the invoicing code records it (as superuser)."""
        return self.env["breakfix.prepaid.usage"].create(
            {
                "block_id": block.id,
                "quantity": quantity,
                "amount": amount,
                "date": self.today,
            }
        )

    def _alert_messages(self, block, subject_part):
        return block.message_ids.filtered(
            lambda message: subject_part in (message.subject or "")
        )


@tagged("post_install", "-at_install")
class TestPrepaidBlock(PrepaidCommon):
    def test_confirm_drafts_the_block_invoice_usable_once_posted(self):
        block = self._block()
        self.assertEqual(block.date_from, date(2026, 12, 2))
        self.assertEqual(block.alert_percent, 20)
        self.assertEqual(block.currency_id, self.currency)
        self.assertEqual(block.state, "draft")
        block.action_breakfix_confirm()
        invoice = block.invoice_id
        self.assertEqual(block.state, "active")
        self.assertEqual(invoice.state, "draft")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.invoice_address)
        self.assertEqual(invoice.journal_id.type, "sale")
        self.assertEqual(invoice.invoice_origin, "10 hours 2027")
        self.assertEqual(
            [
                (line.product_id, line.quantity, line.price_unit, line.price_subtotal)
                for line in invoice.invoice_line_ids
            ],
            [(self.prepaid_product, 1.0, 850.0, 850.0)],
        )
        self.assertEqual(
            invoice.invoice_line_ids.name,
            "Prepaid support: 10 hours 2027 (10.00 h)",
        )
        self.assertAlmostEqual(invoice.amount_total, 1028.5)
        blocks = self.env["breakfix.prepaid.block"]
        self.assertFalse(block.is_usable)
        self.assertFalse(
            blocks._breakfix_usable_blocks(self.contact, self.company, self.currency)
        )
        invoice.with_user(self.finance).action_post()
        self.assertTrue(block.is_usable)
        self.assertEqual(
            blocks._breakfix_usable_blocks(
                self.contact, self.company, self.currency, self.today
            ),
            block,
        )
        self.assertFalse(
            blocks._breakfix_usable_blocks(
                self.contact, self.company, self.currency, date(2026, 12, 1)
            ),
            "not before its first day",
        )
        with self.assertRaisesRegex(UserError, "confirmed already"):
            block.action_breakfix_confirm()

    def test_usable_blocks_in_draw_order(self):
        later = self._usable_block(name="Open-ended")
        sooner = self._usable_block(name="Ends soon", date_to=date(2027, 1, 31))
        older = self._usable_block(name="Older", date_from=date(2026, 11, 1))
        self._usable_block(name="Money", unit="money", quantity=500.0)
        found = self.env["breakfix.prepaid.block"]._breakfix_usable_blocks(
            self.customer, self.company, self.currency, self.today
        )
        self.assertEqual(
            found.filtered(lambda b: b.unit == "hours").mapped("name"),
            [sooner.name, older.name, later.name],
        )

    def test_balance_from_draws_and_used_at_zero(self):
        block = self._usable_block()
        self._draw(block, 3.0)
        self.assertEqual((block.consumed, block.balance), (3.0, 7.0))
        last = self._draw(block, 7.0)
        self.assertEqual((block.consumed, block.balance), (10.0, 0.0))
        self.assertEqual(block.state, "used")
        self.assertFalse(block.is_usable)
        last.unlink()
        self.assertEqual((block.balance, block.state), (7.0, "active"))
        self.assertTrue(block.is_usable)

    def test_alerts_at_twenty_percent_and_at_zero_once_each(self):
        block = self._usable_block()
        low, used = "of prepaid support left", "your prepaid support is used up"
        self._draw(block, 7.5)
        self.assertFalse(self._alert_messages(block, low))
        self.assertFalse(block.activity_ids)
        self._draw(block, 0.5)  # 2.00 h left: 20 % of 10.00 h
        self.assertEqual(block.balance, 2.0)
        self.assertTrue(block.is_low)
        message = self._alert_messages(block, low)
        self.assertEqual(
            message.subject, "10 hours 2027: 2.00 h of prepaid support left"
        )
        self.assertIn(self.customer, message.partner_ids)
        self.assertIn("2.00 h", message.body)
        self.assertIn("10.00 h", message.body)
        self.assertTrue(
            message.notification_ids.filtered(
                lambda n: (
                    n.res_partner_id == self.customer and n.notification_type == "email"
                )
            )
        )
        self.assertEqual(
            block.activity_ids.mapped("summary"),
            ["Prepaid block 10 hours 2027 is running low: 2.00 h left"],
        )
        self.assertEqual(block.activity_ids.user_id, self.manager)
        self._draw(block, 1.0)  # 1.00 h left: no second low alert
        self.assertEqual(len(self._alert_messages(block, low)), 1)
        self.assertEqual(len(block.activity_ids), 1)
        self._draw(block, 1.0)
        self.assertEqual((block.balance, block.state), (0.0, "used"))
        message = self._alert_messages(block, used)
        self.assertEqual(len(message), 1)
        self.assertEqual(
            message.subject, "10 hours 2027: your prepaid support is used up"
        )
        self.assertIn("0.00 h", message.body)
        self.assertEqual(len(block.activity_ids), 2)
        self.assertIn(
            "Prepaid block 10 hours 2027 is used up",
            block.activity_ids.mapped("summary"),
        )
        block._breakfix_check_alerts()
        self.assertEqual(len(self._alert_messages(block, used)), 1)
        self.assertEqual(len(self._alert_messages(block, low)), 1)

    def test_emptied_in_one_draw_says_used_up_only(self):
        block = self._usable_block(unit="money", quantity=1000.0, covers_fees=True)
        self._draw(block, 1000.0, 1000.0)
        self.assertEqual(block.balance_text, "$\xa00.00")
        self.assertEqual(len(self._alert_messages(block, "used up")), 1)
        self.assertFalse(self._alert_messages(block, "left"))
        self.assertEqual(len(block.activity_ids), 1)

    def test_expiry_cron_on_the_company_day(self):
        block = self._usable_block(date_to=date(2026, 12, 2))
        self._draw(block, 4.0)
        cron = self.env.ref("breakfix_billing.ir_cron_breakfix_expire_prepaid_blocks")
        # 23:45 UTC on 1 December: 2 December in Brussels, its last day
        cron.method_direct_trigger()
        self.assertEqual(block.state, "active")
        self.assertEqual(block.expired_balance, 0.0)
        # 23:15 UTC on 2 December: already 3 December in Brussels
        with freeze_time("2026-12-02 23:15:00"):
            cron.method_direct_trigger()
        self.assertEqual(block.state, "expired")
        self.assertFalse(block.is_usable)
        self.assertEqual((block.balance, block.expired_balance), (6.0, 6.0))
        self.assertIn("6.00 h unused", block.message_ids[0].body)
        # a manager gives the customer another month
        block.with_user(self.manager).date_to = date(2027, 1, 2)
        self.assertEqual((block.state, block.expired_balance), ("active", 0.0))

    def test_cancelling_the_block_invoice_makes_a_draft_again(self):
        block = self._usable_block()
        invoice = block.invoice_id
        invoice.with_user(self.finance).button_cancel()
        self.assertEqual(invoice.state, "cancel")
        self.assertEqual(block.state, "draft")
        self.assertFalse(block.invoice_id)
        block.with_user(self.manager).price = 800.0
        block.with_user(self.manager).action_breakfix_confirm()
        self.assertNotEqual(block.invoice_id, invoice)
        self.assertEqual(block.invoice_id.amount_untaxed, 800.0)
        # a draft invoice deleted: the same
        block.invoice_id.unlink()
        self.assertEqual(block.state, "draft")

    def test_a_drawn_block_keeps_its_invoice(self):
        block = self._usable_block()
        self._draw(block, 1.0)
        with self.assertRaisesRegex(UserError, "Issue a credit note instead"):
            block.invoice_id.with_user(self.finance).button_cancel()
        with self.assertRaisesRegex(UserError, "Issue a credit note instead"):
            block.invoice_id.with_user(self.finance).button_draft()
        self.assertEqual(block.invoice_id.state, "posted")
        self.assertEqual(block.state, "active")

    def test_terms_are_frozen_once_confirmed(self):
        block = self._block()
        block.action_breakfix_confirm()
        for fname, value in (("quantity", 12.0), ("price", 1.0), ("unit", "money")):
            with (
                self.subTest(field=fname),
                self.assertRaisesRegex(UserError, "is confirmed"),
            ):
                block.write({fname: value})
        # the web client writes unchanged values back; the rest stays editable
        block.write({"quantity": 10.0, "name": "Renamed", "alert_percent": 30})
        self.assertEqual((block.name, block.alert_percent), ("Renamed", 30))
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            block.unlink()

    def test_bad_input_names_the_field_and_writes_nothing(self):
        Block = self.env["breakfix.prepaid.block"]
        cases = [
            ({"quantity": 0.0}, "Bought"),
            ({"quantity": -5.0}, "Bought"),
            ({"quantity": math.nan}, "Bought"),
            ({"price": -1.0}, "Price"),
            ({"price": math.inf}, "Price"),
            ({"date_to": date(2026, 11, 30)}, "ends (2026-11-30) before it starts"),
            ({"alert_percent": 101}, "Alert At (%)"),
            ({"alert_percent": -1}, "Alert At (%)"),
            ({"unit": "hours", "covers_fees": True}, "Covers Fees"),
            ({"partner_id": self.contact.id}, "for a customer"),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                with self.assertRaises(ValidationError) as caught:
                    self._block(**values)
                self.assertIn(message, str(caught.exception))
        self.assertFalse(Block.search([("partner_id", "=", self.customer.id)]))
        block = self._block()
        with self.assertRaises(ValidationError) as caught:
            block.write({"quantity": -1.0})
        self.assertIn("Bought", str(caught.exception))
        self.assertEqual(block.quantity, 10.0)

    def test_form_covers_fees_for_money_blocks_only(self):
        form = Form(self.env["breakfix.prepaid.block"].with_user(self.manager))
        form.name = "Support fund"
        form.partner_id = self.customer
        form.quantity = 1000.0
        form.price = 1000.0
        self.assertEqual(form.unit, "hours")
        self.assertEqual(form.user_id, self.manager)
        form.unit = "money"
        form.covers_fees = True
        form.unit = "hours"
        self.assertFalse(form.covers_fees)
        form.unit = "money"
        form.covers_fees = True
        block = form.save()
        self.assertTrue(block.covers_fees)
        self.assertEqual(block.state, "draft")

    def test_access(self):
        block = self._usable_block()
        as_tech = block.with_user(self.tech)
        self.assertEqual(as_tech.balance, 10.0)
        with self.assertRaises(AccessError):
            self._block(user=self.tech, name="By a technician")
        with self.assertRaises(AccessError):
            as_tech.name = "Changed"
        draft = self._block(name="Draft")
        with self.assertRaisesRegex(AccessError, "billing managers"):
            draft.with_user(self.tech).action_breakfix_confirm()
        self.assertEqual(draft.state, "draft")
        # finance reads blocks and draws, writes neither
        usage = self._draw(block, 1.0)
        self.assertEqual(usage.with_user(self.finance).quantity, 1.0)
        with self.assertRaises(AccessError):
            block.with_user(self.finance).alert_percent = 50
        with self.assertRaises(AccessError):
            self.env["breakfix.prepaid.usage"].with_user(self.manager).create(
                {"block_id": block.id, "quantity": 1.0}
            )
        with self.assertRaises(AccessError):
            block.with_user(self.manager).write({"state": "expired"})

    def test_portal_reads_its_own_blocks_only(self):
        mine = self._usable_block()
        self._block(name="Not sold yet")
        other_customer = self.env["res.partner"].create(
            {"name": "Other Customer", "is_company": True}
        )
        theirs = self._usable_block(partner_id=other_customer.id, name="Theirs")
        usage = self._draw(mine, 2.0)
        self._draw(theirs, 1.0)
        portal = new_test_user(
            self.env,
            login="bf_prepaid_portal",
            groups="base.group_portal",
            partner_id=self.env["res.partner"]
            .create({"name": "Pat Portal", "parent_id": self.customer.id})
            .id,
        )
        Block = self.env["breakfix.prepaid.block"].with_user(portal)
        self.assertEqual(Block.search([]), mine)
        self.assertEqual(
            self.env["breakfix.prepaid.usage"].with_user(portal).search([]), usage
        )
        self.assertEqual(mine.with_user(portal).balance, 8.0)
        with self.assertRaises(AccessError):
            theirs.with_user(portal).read(["balance"])
        with self.assertRaises(AccessError):
            mine.with_user(portal).name = "Mine"

    def test_multi_company(self):
        block = self._usable_block()
        other = self._other_company_manager("bf_prepaid_other")
        self.assertFalse(self.env["breakfix.prepaid.block"].with_user(other).search([]))
        with self.assertRaises(AccessError):
            block.with_user(other).read(["balance"])

    def test_customer_smart_button(self):
        self._block()
        self._block(name="Second")
        partner = self.customer.with_user(self.tech)
        self.assertEqual(partner.breakfix_prepaid_block_count, 2)
        self.assertEqual(
            self.contact.with_user(self.tech).breakfix_prepaid_block_count, 2
        )
        action = partner.action_breakfix_view_prepaid_blocks()
        self.assertEqual(action["domain"], [("partner_id", "=", self.customer.id)])


@tagged("post_install", "-at_install")
class TestPrepaidBlockDoors(PrepaidCommon, HttpCase):
    """Over JSON-RPC a technician is refused what the form refuses."""

    def _call_kw(self, user, model, method, *args):
        self.authenticate(user.login, user.login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": {},
            },
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        answer = response.json()
        if "error" in answer:
            return {"error": answer["error"]["data"]["message"]}
        return answer["result"]

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_technician_cannot_create_write_or_confirm(self):
        block = self._block()
        model = "breakfix.prepaid.block"
        created = self._call_kw(
            self.tech,
            model,
            "create",
            {"name": "Free hours", "partner_id": self.customer.id, "quantity": 100.0},
        )
        self.assertIn("You are not allowed to create", created["error"])
        written = self._call_kw(
            self.tech, model, "write", block.ids, {"quantity": 99.0}
        )
        self.assertIn("You are not allowed to modify", written["error"])
        confirmed = self._call_kw(
            self.tech, model, "action_breakfix_confirm", block.ids
        )
        self.assertIn("Only break/fix billing managers", confirmed["error"])
        # a billing manager cannot set what only the code sets
        state = self._call_kw(
            self.manager, model, "write", block.ids, {"state": "active"}
        )
        self.assertIn("is kept by Odoo", state["error"])
        nan = self._call_kw(
            self.manager, model, "write", block.ids, {"quantity": math.nan}
        )
        self.assertIn("needs a number", nan["error"])
        self.env.invalidate_all()
        self.assertEqual((block.quantity, block.state), (10.0, "draft"))
        self.assertFalse(self.env[model].search([("name", "=", "Free hours")]))
        read = self._call_kw(self.tech, model, "read", block.ids, ["balance"])
        self.assertEqual(read[0]["balance"], 10.0)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_alert_percent_over_xmlrpc_as_each_role(self):
        block = self._block()
        model = "breakfix.prepaid.block"

        def write(user, value):
            try:
                return self.xmlrpc_object.execute_kw(
                    self.env.cr.dbname,
                    user.id,
                    user.login,
                    model,
                    "write",
                    [block.ids, {"alert_percent": value}],
                )
            except xmlrpc.client.Fault as fault:
                return fault.faultString

        self.assertIn("You are not allowed to modify", write(self.tech, 30))
        self.assertIn("Alert", write(self.manager, 150))
        self.assertIs(write(self.manager, 30), True)
        self.env.invalidate_all()
        self.assertEqual(block.alert_percent, 30)


@tagged("post_install", "-at_install")
class TestPrepaidDemo(TransactionCase):
    def test_demo_blocks_are_sold_and_usable(self):
        cedar = self.env.ref(
            "breakfix_billing.prepaid_block_cedar", raise_if_not_found=False
        )
        if not cedar:
            self.skipTest("no demo data")
        harbor = self.env.ref("breakfix_billing.prepaid_block_harbor")
        product = self.env.ref("breakfix_billing.product_breakfix_prepaid")
        for block, unit, size, left, price, fees in (
            (cedar, "hours", 10.0, 8.0, 850.0, False),
            (harbor, "money", 1000.0, 1000.0, 1000.0, True),
        ):
            with self.subTest(block=block.name):
                self.assertEqual(
                    (block.unit, block.quantity, block.balance, block.covers_fees),
                    (unit, size, left, fees),
                )
                self.assertEqual((block.state, block.is_usable), ("active", True))
                self.assertEqual(block.invoice_id.state, "posted")
                line = block.invoice_id.invoice_line_ids
                self.assertEqual(
                    (line.product_id, line.quantity, line.price_unit),
                    (product, 1.0, price),
                )
        # Cedar's block is partly used: last week's scanner ticket drew 2.00 h
        # and its posted invoice totals 0.00
        scanner = self.env.ref("breakfix_billing.ticket_cedar_scanner_prepaid")
        self.assertEqual(
            [(usage.ticket_id, usage.quantity) for usage in cedar.usage_ids],
            [(scanner, 2.0)],
        )
        invoice = cedar.usage_ids.invoice_id
        self.assertEqual((invoice.state, invoice.amount_total), ("posted", 0.0))
        self.assertFalse(harbor.usage_ids)
