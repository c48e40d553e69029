# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BreakfixCommon


@tagged("post_install", "-at_install")
class TestPartner(BreakfixCommon):
    def test_contact_follows_its_company(self):
        self.customer.breakfix_rate_card_id = self.rate_card
        contact = self.env["res.partner"].create(
            {"name": "Carla Contact", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.breakfix_rate_card_id, self.rate_card)
        self.customer.breakfix_rate_card_id = self.default_rate_card
        self.assertEqual(contact.breakfix_rate_card_id, self.default_rate_card)
        self.assertEqual(contact._breakfix_get_rate_card(), self.default_rate_card)

    def test_customer_rate_card_wins(self):
        self.customer.breakfix_rate_card_id = self.rate_card
        self.assertEqual(self.customer._breakfix_get_rate_card(), self.rate_card)

    def test_fallback_to_company_default(self):
        contact = self.env["res.partner"].create(
            {"name": "Carla Contact", "parent_id": self.customer.id}
        )
        self.assertFalse(contact.breakfix_rate_card_id)
        self.assertEqual(contact._breakfix_get_rate_card(), self.default_rate_card)
        self.company.breakfix_rate_card_id = False
        self.assertFalse(contact._breakfix_get_rate_card())

    def test_rate_card_is_per_company(self):
        company_b = self.env["res.company"].create({"name": "Break/fix B Ltd"})
        rate_card_b = self.env["breakfix.rate.card"].create(
            {"name": "Rates of B", "company_id": company_b.id}
        )
        company_b.breakfix_rate_card_id = rate_card_b
        self.customer.breakfix_rate_card_id = self.rate_card
        self.assertEqual(self.customer._breakfix_get_rate_card(), self.rate_card)
        self.assertEqual(
            self.customer._breakfix_get_rate_card(company=company_b), rate_card_b
        )
        with self.assertRaisesRegex(UserError, "Incompatible companies on records"):
            self.customer.breakfix_rate_card_id = rate_card_b

    def test_only_billing_managers_assign_rate_cards(self):
        customer = self.customer.with_user(self.technician)
        with self.assertRaisesRegex(
            AccessError,
            "^Only break/fix billing managers can change the field “Break/fix Rate "
            "Card” \\(Contact\\).$",
        ):
            customer.breakfix_rate_card_id = self.rate_card
        # Other changes of a customer stay open to technicians
        customer.phone = "+1 555 0100"
        self.customer.with_user(
            self.billing_manager
        ).breakfix_rate_card_id = self.rate_card
        self.assertEqual(customer.breakfix_rate_card_id, self.rate_card)
