# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import BreakfixCommon


@tagged("post_install", "-at_install")
class TestAccess(BreakfixCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Break/fix B Ltd"})
        cls.rate_card_b = cls.env["breakfix.rate.card"].create(
            {"name": "Rates of B", "company_id": cls.company_b.id}
        )
        cls.work_type_b = cls.env["breakfix.work.type"].create(
            {
                "name": "Remote of B",
                "product_id": cls.product_remote.id,
                "company_id": cls.company_b.id,
            }
        )

    def test_helpdesk_agent_is_technician(self):
        self.assertTrue(
            self.technician.has_group("breakfix_billing.group_breakfix_technician")
        )
        self.assertFalse(
            self.technician.has_group("breakfix_billing.group_breakfix_manager")
        )
        self.assertTrue(
            self.billing_manager.has_group("breakfix_billing.group_breakfix_technician")
        )
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "breakfix_billing.group_breakfix_manager"
            )
        )

    def test_technician_reads(self):
        rate_card = self.rate_card.with_user(self.technician)
        self.assertEqual(rate_card.name, "Test rates")
        self.assertEqual(rate_card.line_ids.hourly_rate, 95.0)
        self.assertEqual(rate_card.line_ids.work_type_id.name, "Test remote")
        self.assertIn(
            self.work_type_onsite,
            self.env["breakfix.work.type"].with_user(self.technician).search([]),
        )

    def test_technician_cannot_change_rate_cards(self):
        rate_card = self.rate_card.with_user(self.technician)
        line = rate_card.line_ids
        with self.assertRaises(AccessError):
            self.env["breakfix.rate.card"].with_user(self.technician).create(
                {"name": "Mine"}
            )
        with self.assertRaises(AccessError):
            rate_card.write({"callout_fee": 1.0})
        with self.assertRaises(AccessError):
            rate_card.unlink()
        with self.assertRaises(AccessError):
            self.env["breakfix.rate.card.line"].with_user(self.technician).create(
                {
                    "rate_card_id": self.rate_card.id,
                    "work_type_id": self.work_type_onsite.id,
                    "hourly_rate": 1.0,
                }
            )
        with self.assertRaises(AccessError):
            line.write({"hourly_rate": 1.0})
        with self.assertRaises(AccessError):
            line.unlink()

    def test_technician_cannot_change_work_types(self):
        work_type = self.work_type_remote.with_user(self.technician)
        with self.assertRaises(AccessError):
            work_type.create({"name": "Mine", "product_id": self.product_remote.id})
        with self.assertRaises(AccessError):
            work_type.write({"hourly_rate": 1.0})
        with self.assertRaises(AccessError):
            work_type.unlink()

    def test_billing_manager_manages_everything(self):
        env = self.env(user=self.billing_manager)
        work_type = env["breakfix.work.type"].create(
            {"name": "Workshop", "product_id": self.product_remote.id}
        )
        rate_card = env["breakfix.rate.card"].create(
            {
                "name": "Manager rates",
                "line_ids": [
                    Command.create({"work_type_id": work_type.id, "hourly_rate": 70.0})
                ],
            }
        )
        work_type.hourly_rate = 75.0
        rate_card.line_ids.hourly_rate = 72.0
        rate_card.callout_fee = 50.0
        self.assertEqual(rate_card.line_ids.hourly_rate, 72.0)
        rate_card.line_ids.unlink()
        rate_card.unlink()
        work_type.unlink()
        self.assertFalse(rate_card.exists())
        self.assertFalse(work_type.exists())

    def test_rate_card_of_another_company_is_hidden(self):
        user_a = new_test_user(
            self.env,
            login="bf_manager_a",
            groups="breakfix_billing.group_breakfix_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        rate_cards = self.env["breakfix.rate.card"].with_user(user_a).search([])
        self.assertIn(self.rate_card, rate_cards)
        self.assertNotIn(self.rate_card_b, rate_cards)
        work_types = self.env["breakfix.work.type"].with_user(user_a).search([])
        self.assertIn(self.work_type_remote, work_types)
        self.assertNotIn(self.work_type_b, work_types)
        with self.assertRaises(AccessError):
            self.rate_card_b.with_user(user_a).read(["name"])

    def test_rate_card_line_company_mismatch_refused(self):
        with self.assertRaisesRegex(UserError, "Incompatible companies on records"):
            self.rate_card.line_ids = [
                Command.create(
                    {"work_type_id": self.work_type_b.id, "hourly_rate": 1.0}
                )
            ]

    def test_company_default_rate_card_of_another_company_refused(self):
        with self.assertRaisesRegex(UserError, "Incompatible companies on records"):
            self.company.breakfix_rate_card_id = self.rate_card_b
