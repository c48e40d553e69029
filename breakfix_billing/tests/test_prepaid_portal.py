# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""/my/prepaid: the customer reads its own blocks (bought, used, left,
expiry) and their draws (ticket, date, quantity) over HTTP; nobody else's."""

from datetime import date

from odoo.tests import HttpCase, tagged

from .test_prepaid_block import PrepaidCommon


@tagged("post_install", "-at_install")
class TestPrepaidPortal(PrepaidCommon, HttpCase):
    """Paula, a portal user of the customer; Pieter, of another customer.
    The customer's 10-hour block expires on 31 December 2027; 3.00 h went to
    Chris's ticket and 1.50 h to Paula's, on 2 December 2026."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer BV", "is_company": True}
        )
        cls.paula, cls.pieter = (
            cls._portal_user(login, name, company)
            for login, name, company in (
                ("bf_prepaid_paula", "Paula Portal", cls.customer),
                ("bf_prepaid_pieter", "Pieter Portal", cls.other_customer),
            )
        )

    def setUp(self):
        super().setUp()
        self.block = self._usable_block(date_to=date(2027, 12, 31))
        self.chris_ticket = self._create_ticket(name="Printer jammed")
        self.paula_ticket = self._create_ticket(
            name="Mail down", partner_id=self.paula.partner_id.id
        )
        for ticket, hours in ((self.chris_ticket, 3.0), (self.paula_ticket, 1.5)):
            self.env["breakfix.prepaid.usage"].create(
                {
                    "block_id": self.block.id,
                    "ticket_id": ticket.id,
                    "quantity": hours,
                    "amount": hours * 90.0,
                    "date": self.today,
                }
            )
        self._block(name="Not sold yet")
        self.theirs = self._usable_block(
            partner_id=self.other_customer.id, name="Their 5 hours", quantity=5.0
        )

    def _page(self, login):
        self.authenticate(login, login)
        response = self.url_open("/my/prepaid")
        self.assertEqual(response.status_code, 200)
        return response.text

    def _counter(self):
        return self.make_jsonrpc_request(
            "/my/counters", {"counters": ["breakfix_prepaid_count"]}
        )["breakfix_prepaid_count"]

    def test_blocks_bought_used_left_expiry_and_draws(self):
        page = self._page("bf_prepaid_paula")
        self.assertIn("10 hours 2027", page)
        for text in ("10.00 h", "4.50 h", "5.50 h", "12/31/2027", "Active"):
            self.assertIn(text, page)
        # each draw: its ticket (another contact's too), its date, its hours
        self.assertEqual(page.count("o_breakfix_portal_draw"), 2)
        for ticket, hours in (
            (self.chris_ticket, "3.00 h"),
            (self.paula_ticket, "1.50 h"),
        ):
            self.assertIn(ticket.display_name, page)
            self.assertIn(hours, page)
        self.assertIn("12/02/2026", page)
        # not the draft, not another customer's
        self.assertNotIn("Not sold yet", page)
        self.assertNotIn("Their 5 hours", page)
        self.assertEqual(self._counter(), 1)

    def test_another_customer_sees_its_own_block_only(self):
        page = self._page("bf_prepaid_pieter")
        self.assertIn("Their 5 hours", page)
        self.assertIn("Nothing drawn yet.", page)
        self.assertNotIn("10 hours 2027", page)
        self.assertNotIn(self.chris_ticket.display_name, page)
        self.assertEqual(self._counter(), 1)

    def test_no_block_says_so(self):
        self.theirs.invoice_id.button_cancel()
        self.assertEqual(self.theirs.state, "draft")
        page = self._page("bf_prepaid_pieter")
        self.assertIn("You have no prepaid support block.", page)
        self.assertNotIn("Their 5 hours", page)
        self.assertEqual(self._counter(), 0)

    def test_a_visitor_logs_in_first(self):
        response = self.url_open("/my/prepaid", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
