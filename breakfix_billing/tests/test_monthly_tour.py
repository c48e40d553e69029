# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import BreakfixInvoicingCommon, brussels


@tagged("post_install", "-at_install")
class TestMonthlyTour(BreakfixInvoicingCommon, HttpCase):
    """Finance opens a monthly customer's invoice of three tickets and
    follows the section of "Server crash" to its ticket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.breakfix_invoicing_mode = "monthly"
        cls.accountant = new_test_user(
            cls.env,
            login="bf_monthly_tour_accountant",
            groups="account.group_account_invoice,helpdesk_mgmt.group_helpdesk_user",
            name="Fiona Finance",
        )
        cls.tickets = cls.env["helpdesk.ticket"]
        for day, name in (
            (16, "Network down"),
            (17, "Server crash"),
            (18, "Printer jam"),
        ):
            ticket = cls._create_ticket(name=name)
            cls._log_time(ticket, brussels(day, 10), 1.0)
            cls.tickets |= ticket
        cls.invoice = cls._action_invoices(
            cls.tickets.with_user(cls.manager).action_breakfix_create_invoice()
        )

    def test_finance_follows_a_section_to_its_ticket(self):
        self.assertEqual(len(self.invoice), 1)
        self.assertEqual(self.invoice.ref[:10], "Break/fix ")
        self.start_tour(
            "/odoo/action-breakfix_billing.action_breakfix_invoices_to_review",
            "breakfix_monthly_invoice_tour",
            login=self.accountant.login,
        )
