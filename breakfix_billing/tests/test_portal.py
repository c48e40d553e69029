# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import urlsplit

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import BreakfixInvoicingCommon, brussels


def amount(text):
    """An amount as the portal prints it."""
    return f'oe_currency_value">{text}<'


@tagged("post_install", "-at_install")
class TestPortalCharges(BreakfixInvoicingCommon, HttpCase):
    """Three portal users: Paula of "Test Customer Ltd", Pieter of "Other
    Customer BV", and Fred of "Follower Corp", who follows Paula's ticket.

    Paula's ticket ("Brussels rates"): 1.5 h on Friday 20 November 2026
    (150.00) and a RAM module (45.00, bought at 31.17) on a posted invoice;
    30 min on Monday 23 November, not invoiced yet (50.00). Pieter's ticket,
    on the same rates: 2 h on 20 November (200.00), invoiced and posted.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer, cls.follower_customer = cls.env["res.partner"].create(
            [
                {
                    "name": "Other Customer BV",
                    "is_company": True,
                    "breakfix_rate_card_id": cls.card.id,
                },
                {"name": "Follower Corp", "is_company": True},
            ]
        )
        cls.portal_a, cls.portal_b, cls.portal_c = (
            cls._portal_user(login, name, company)
            for login, name, company in (
                ("bf_portal_paula", "Paula Portal", cls.customer),
                ("bf_portal_pieter", "Pieter Portal", cls.other_customer),
                ("bf_portal_fred", "Fred Follower", cls.follower_customer),
            )
        )
        cls.ticket_a = cls._create_ticket(
            name="Server down at Paula", partner_id=cls.portal_a.partner_id.id
        )
        cls._log_time(
            cls.ticket_a,
            brussels(20, 9),
            1.5,
            name="Internal: reset the admin password",
        )
        cls._add_part(cls.ticket_a, cls.product_ram, user=cls.manager, unit_cost=31.17)
        cls.ticket_b = cls._create_ticket(
            name="Printer at Pieter", partner_id=cls.portal_b.partner_id.id
        )
        cls._log_time(cls.ticket_b, brussels(20, 9), 2.0)
        invoices, _skipped = (
            (cls.ticket_a | cls.ticket_b).sudo()._breakfix_create_invoices()
        )
        invoices = invoices.with_env(cls.env)
        invoices.with_user(cls.finance).action_post()
        cls.invoice_a = invoices.filtered(
            lambda inv: inv.invoice_origin == cls.ticket_a.number
        )
        cls._log_time(cls.ticket_a, brussels(23, 10), 0.5)
        cls.ticket_a.message_subscribe(partner_ids=cls.portal_c.partner_id.ids)

    def _ticket_page(self, user, ticket):
        self.authenticate(user.login, user.login)
        return self.url_open(f"/my/ticket/{ticket.id}", allow_redirects=False)

    @staticmethod
    def _cell(page, css_class):
        """What the page's first cell of ``css_class`` holds."""
        cell = page.split(f'{css_class}"', 1)[1]
        return cell.split(">", 1)[1].split("</td>", 1)[0]

    def test_own_ticket_shows_invoiced_charges(self):
        self.assertFalse(self.team.breakfix_portal_show_draft)
        response = self._ticket_page(self.portal_a, self.ticket_a)
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn('id="breakfix_charges"', page)
        # the posted invoice, linked to its portal page (no access token:
        # Paula reads it as one of the customer's people), and its lines
        # with their pricing trace
        self.assertIn(self.invoice_a.name, page)
        self.assertIn(f'href="/my/invoices/{self.invoice_a.id}"', page)
        self.assertNotIn("access_token=", page.split('id="breakfix_charges"')[1])
        labour = self.invoice_a.invoice_line_ids.filtered(
            lambda line: line.breakfix_kind == "labour"
        )
        self.assertEqual(len(labour), 1)
        self.assertIn(labour.name, page)
        self.assertIn("Test RAM 16 GB", page)
        self.assertIn("45.00", page)
        self.assertIn("195.00", page)  # invoiced: 150.00 + 45.00
        self.assertEqual(self._cell(page, "o_breakfix_billed_hours"), "01:30")
        self.assertEqual(self._cell(page, "o_breakfix_hours"), "01:30")  # labour
        # never the cost, the technician's notes, the work not on a posted
        # invoice (the team does not show it), nor the other customer's
        self.assertNotIn("31.17", page)
        self.assertNotIn("admin password", page)
        self.assertNotIn("Not invoiced yet", page)
        self.assertNotIn(amount("50.00"), page)
        self.assertNotIn(amount("200.00"), page)
        # the page view gave the invoice no access token; the link opens it
        self.assertFalse(self.invoice_a.sudo().access_token)
        invoice_page = self.url_open(f"/my/invoices/{self.invoice_a.id}")
        self.assertEqual(invoice_page.status_code, 200)
        self.assertIn(self.invoice_a.name, invoice_page.text)

    def test_invoice_not_readable_not_linked(self):
        # nobody of the customer follows the invoice any more: Paula may not
        # open it, so it is listed (it charged her ticket) but not linked
        self.invoice_a.message_unsubscribe(
            partner_ids=self.invoice_a.message_partner_ids.ids
        )
        self.assertFalse(self.invoice_a.with_user(self.portal_a).has_access("read"))
        charges = self.ticket_a.with_user(self.portal_a)._breakfix_portal_charges()
        self.assertEqual(
            [(entry["invoice"], entry["url"]) for entry in charges["invoices"]],
            [(self.invoice_a, False)],
        )
        page = self._ticket_page(self.portal_a, self.ticket_a).text
        self.assertIn(self.invoice_a.name, page)
        self.assertNotIn(f"/my/invoices/{self.invoice_a.id}", page)
        self.assertNotIn("o_breakfix_invoice_link", page)
        self.assertFalse(self.invoice_a.sudo().access_token)

    def test_ticket_moved_to_another_customer(self):
        # Pieter's ticket, invoiced to Other Customer BV, moves to Paula's
        # company: its invoice stays Other Customer BV's
        invoice_b = self.ticket_b.breakfix_invoice_ids
        self.assertEqual(invoice_b.partner_id, self.other_customer)
        invoice_name = invoice_b.name
        self.ticket_b.partner_id = self.portal_a.partner_id
        charges = self.ticket_b.with_user(self.portal_a)._breakfix_portal_charges()
        self.assertEqual(charges["invoices"], [])
        self.assertEqual(
            (
                charges["amount_invoiced"],
                charges["amount_pending"],
                charges["billed_hours"],
            ),
            (0.0, 0.0, 0.0),
        )
        response = self._ticket_page(self.portal_a, self.ticket_b)
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="breakfix_charges"', response.text)
        self.assertIn("No charges invoiced yet.", response.text)
        self.assertNotIn(invoice_name, response.text)
        self.assertNotIn("200.00", response.text)
        self.assertFalse(invoice_b.sudo().access_token)

    def test_team_shows_charges_not_invoiced(self):
        self.team.breakfix_portal_show_draft = True
        page = self._ticket_page(self.portal_a, self.ticket_a).text
        self.assertIn("Not invoiced yet", page)
        self.assertIn(amount("50.00"), page)  # the 30 min of 23 November
        # billed hours: 1:30 invoiced + 0:30
        self.assertEqual(self._cell(page, "o_breakfix_billed_hours"), "02:00")
        self.assertIn("195.00", page)
        self.assertNotIn("31.17", page)

    def test_charges_read_as_the_customer_sees_them(self):
        charges = self.ticket_a.with_user(self.portal_a)._breakfix_portal_charges()
        self.assertEqual(
            [
                [
                    (c["kind"], c["quantity"], c["price_unit"], c["amount"])
                    for c in entry["charges"]
                ]
                for entry in charges["invoices"]
            ],
            [[("Labour", 1.5, 100.0, 150.0), ("Part", 1.0, 45.0, 45.0)]],
        )
        self.assertEqual(
            (
                charges["amount_invoiced"],
                charges["amount_pending"],
                charges["billed_hours"],
            ),
            (195.0, 0.0, 1.5),
        )
        self.team.breakfix_portal_show_draft = True
        charges = self.ticket_a.with_user(self.portal_a)._breakfix_portal_charges()
        self.assertEqual(
            [(c["kind"], c["quantity"], c["amount"]) for c in charges["pending"]],
            [("Labour", 0.5, 50.0)],
        )
        self.assertEqual(
            (
                charges["amount_invoiced"],
                charges["amount_pending"],
                charges["billed_hours"],
            ),
            (195.0, 50.0, 2.0),
        )

    def test_other_customers_ticket_not_found(self):
        self.assertEqual(
            self._ticket_page(self.portal_a, self.ticket_b).status_code, 404
        )
        self.assertEqual(
            self._ticket_page(self.portal_b, self.ticket_a).status_code, 404
        )
        response = self._ticket_page(self.portal_b, self.ticket_b)
        self.assertEqual(response.status_code, 200)
        self.assertIn("200.00", response.text)
        self.assertNotIn("195.00", response.text)
        self.assertNotIn("Test RAM 16 GB", response.text)

    def test_follower_of_another_customer_sees_no_charges(self):
        # helpdesk_mgmt shows a ticket to its followers; its charges are its
        # customer's
        response = self._ticket_page(self.portal_c, self.ticket_a)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Server down at Paula", response.text)
        self.assertNotIn('id="breakfix_charges"', response.text)
        self.assertNotIn("195.00", response.text)
        self.assertNotIn(self.invoice_a.name, response.text)
        self.assertFalse(self.ticket_a._breakfix_portal_shows_charges(self.portal_c))
        self.assertTrue(self.ticket_a._breakfix_portal_shows_charges(self.portal_a))
        self.assertFalse(
            self.ticket_a._breakfix_portal_shows_charges(
                self.env.ref("base.public_user")
            )
        )
        self.assertEqual(
            self._ticket_page(self.portal_c, self.ticket_b).status_code, 404
        )

    def test_prices_not_readable_outside_the_page(self):
        # a portal user reads the ticket (by helpdesk_mgmt's rules), but not
        # its prices, rate card, parts, invoices nor billing terms, whoever's
        # ticket it is
        for user in (self.portal_a, self.portal_c):
            ticket = self.ticket_a.with_user(user)
            self.assertEqual(ticket.read(["name"])[0]["name"], "Server down at Paula")
            for fname in (
                "breakfix_amount_to_invoice",
                "breakfix_amount_drafted",
                "breakfix_amount_invoiced",
                "breakfix_pricing_summary",
                "breakfix_rate_card_id",
                "breakfix_material_ids",
                "breakfix_invoice_ids",
                "breakfix_policy",
                "breakfix_policy_manual",
                "breakfix_policy_reason",
                "breakfix_policy_decided_by_id",
                "breakfix_coverage_id",
                "breakfix_repeat_of_id",
                "breakfix_emergency",
                "breakfix_onsite",
            ):
                with (
                    self.subTest(user=user.name, field=fname),
                    self.assertRaises(AccessError),
                ):
                    ticket.read([fname])

    def test_visitor_not_logged_in(self):
        # with the ticket's access token: the ticket, without its charges
        self.authenticate(None, None)
        token = self.ticket_a.sudo()._portal_ensure_token()
        response = self.url_open(
            f"/my/ticket/{self.ticket_a.id}?access_token={token}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Server down at Paula", response.text)
        self.assertNotIn('id="breakfix_charges"', response.text)
        self.assertNotIn("195.00", response.text)
        self.assertNotIn(self.invoice_a.name, response.text)
        # without a token, or with a wrong one: log in first, then the ticket
        for query in ("", "?access_token=wrong-token"):
            with self.subTest(query=query):
                response = self.url_open(
                    f"/my/ticket/{self.ticket_a.id}{query}", allow_redirects=False
                )
                self.assertEqual(response.status_code, 303)
                location = urlsplit(response.headers["Location"])
                self.assertEqual(
                    (location.path, location.query),
                    ("/web/login", f"redirect=%2Fmy%2Fticket%2F{self.ticket_a.id}"),
                )

    def test_token_logged_in(self):
        # a logged-in portal user gains nothing with a wrong token; the
        # ticket's own token opens it, without another customer's charges
        self.authenticate(self.portal_a.login, self.portal_a.login)
        response = self.url_open(
            f"/my/ticket/{self.ticket_b.id}?access_token=wrong-token",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        token = self.ticket_b.sudo()._portal_ensure_token()
        response = self.url_open(
            f"/my/ticket/{self.ticket_b.id}?access_token={token}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Printer at Pieter", response.text)
        self.assertNotIn('id="breakfix_charges"', response.text)
        self.assertNotIn("200.00", response.text)

    def test_taxes_beside_the_untaxed_amounts(self):
        """The invoice's own taxes (21 % VAT): 195.00 + 40.95 = 235.95; the
        work not invoiced yet taxed as its invoice will be: 50.00 + 10.50."""
        self.team.breakfix_portal_show_draft = True
        self.assertEqual(self.invoice_a.amount_tax, 40.95)
        charges = self.ticket_a.with_user(self.portal_a)._breakfix_portal_charges()
        self.assertEqual(
            [
                (entry["amount"], entry["amount_tax"], entry["amount_total"])
                for entry in charges["invoices"]
            ],
            [(195.0, 40.95, 235.95)],
        )
        self.assertEqual(
            {
                key: round(charges[key], 2)
                for key in (
                    "amount_invoiced",
                    "amount_invoiced_tax",
                    "amount_invoiced_total",
                    "amount_pending",
                    "amount_pending_tax",
                    "amount_pending_total",
                )
            },
            {
                "amount_invoiced": 195.0,
                "amount_invoiced_tax": 40.95,
                "amount_invoiced_total": 235.95,
                "amount_pending": 50.0,
                "amount_pending_tax": 10.5,
                "amount_pending_total": 60.5,
            },
        )
        page = self._ticket_page(self.portal_a, self.ticket_a).text
        for css_class, text in (
            ("o_breakfix_untaxed", "195.00"),
            ("o_breakfix_tax", "40.95"),
            ("o_breakfix_total", "235.95"),
            ("o_breakfix_amount_invoiced", "195.00"),
            ("o_breakfix_amount_invoiced_tax", "40.95"),
            ("o_breakfix_amount_invoiced_total", "235.95"),
            ("o_breakfix_amount_pending", "50.00"),
            ("o_breakfix_amount_pending_tax", "10.50"),
            ("o_breakfix_amount_pending_total", "60.50"),
        ):
            with self.subTest(css_class=css_class):
                self.assertIn(amount(text), self._cell(page, css_class))

    def test_taxes_by_the_customers_fiscal_position(self):
        """A fiscal position maps the 21 % VAT to 6 %: the work not invoiced
        yet (50.00) is taxed 3.00, before and after its invoice is drafted."""
        self.team.breakfix_portal_show_draft = True
        self._reduced_rate_position()

        def pending():
            charges = self.ticket_a.with_user(self.portal_a)._breakfix_portal_charges()
            return tuple(
                round(charges[key], 2)
                for key in (
                    "amount_pending",
                    "amount_pending_tax",
                    "amount_pending_total",
                )
            )

        self.assertEqual(pending(), (50.0, 3.0, 53.0))
        draft = self._draft(self.ticket_a)
        self.assertEqual((draft.amount_untaxed, draft.amount_tax), (50.0, 3.0))
        self.assertEqual(pending(), (50.0, 3.0, 53.0))
        page = self._ticket_page(self.portal_a, self.ticket_a).text
        self.assertIn(
            amount("53.00"), self._cell(page, "o_breakfix_amount_pending_total")
        )
