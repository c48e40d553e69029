# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer answers over real HTTP (SPEC §11): the ticket's portal page,
the accept and decline forms, and who may not answer."""

import base64
import re

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SIGNATURE_PNG, brussels
from .test_approval import BreakfixApprovalCommon

# Odoo logs refused requests; the tests expect them
HTTP_LOGGERS = ("odoo.http", "werkzeug")


@tagged("post_install", "-at_install")
class TestApprovalPortal(BreakfixApprovalCommon, HttpCase):
    """Chris's company is asked to approve 600.00 for a ticket estimated at
    500.00 whose 1.00 h of work (100.00) goes on; Paula, of the same
    company, has portal access; Pieter is another customer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.breakfix_portal_show_draft = True
        cls.paula = cls._portal_user("bf_approval_paula", "Paula Portal", cls.customer)
        cls.pieter = cls._portal_user(
            "bf_approval_pieter",
            "Pieter Portal",
            cls.env["res.partner"].create(
                {"name": "Other Customer BV", "is_company": True}
            ),
        )
        cls.ticket = cls._create_ticket()
        cls.ticket.with_user(cls.manager).breakfix_estimate_amount = 500.0
        cls._log_time(cls.ticket, brussels(17, 10), 1.0)
        cls.ticket.with_user(cls.tech)._breakfix_request_approval(
            600.0, "The disk must be replaced."
        )
        cls.token = cls.ticket.sudo()._portal_ensure_token()

    def _post(self, action, data, with_csrf=True):
        if with_csrf:
            data = {**data, "csrf_token": http.Request.csrf_token(self)}
        return self.url_open(
            f"/my/ticket/{self.ticket.id}/breakfix/{action}",
            data=data,
            allow_redirects=False,
        )

    def _accept_data(self, **values):
        return {
            "name": "Paula Portal",
            "signature": SIGNATURE_PNG.decode(),
            "po": "PO-4711",
            # the amount the page showed, as the form posts it
            "amount": "600.0",
            **values,
        }

    def _answer_fields(self):
        self.env.invalidate_all()
        return self.ticket.sudo().read(
            [
                "breakfix_approval_state",
                "breakfix_approval_signed_by",
                "breakfix_approval_decline_reason",
                "breakfix_estimate_amount",
                "breakfix_customer_po",
            ]
        )[0]

    def test_portal_user_accepts_with_signature_and_po(self):
        self.authenticate(self.paula.login, self.paula.login)
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        request_block = page.split('id="breakfix_approval"', 1)[1]
        self.assertIn("Your approval is needed", request_block)
        self.assertIn("600.00", request_block)
        self.assertIn("The disk must be replaced.", request_block)
        # the rate terms: the remote rate, rounding, factors and fees
        for term in ("Test remote", "100.00 an hour", "After hours", "×1.5"):
            self.assertIn(term, request_block)
        self.assertIn("breakfix_billing.approval_form", request_block)
        # the live meter: 100.00 of work for the 500.00 estimate, 20 %
        self.assertIn('class="o_breakfix_meter_percent">20<', request_block)

        response = self._post("accept", self._accept_data())

        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"/my/ticket/{self.ticket.id}#breakfix_approval"
            )
        )
        ticket = self.ticket.sudo()
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_approval_state": "approved",
                    "breakfix_approval_signed_by": "Paula Portal",
                    "breakfix_approval_ip": "127.0.0.1",
                    "breakfix_estimate_amount": 600.0,
                    "breakfix_customer_po": "PO-4711",
                }
            ],
        )
        self.assertEqual(
            base64.b64decode(ticket.breakfix_approval_signature)[:8],
            b"\x89PNG\r\n\x1a\n",
        )
        note = ticket.message_ids.filtered(
            lambda message: "on the customer's behalf" in str(message.body)
        )
        self.assertEqual(note.author_id, self.paula.partner_id)
        self.assertIn(
            "Paula Portal approved $&nbsp;600.00 for this ticket on the customer's "
            "behalf, purchase order PO-4711.",
            str(note.body),
        )
        # the page now says who approved; the meter counts against 600.00
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("Approved by <strong>Paula Portal</strong>", page)
        self.assertIn('class="o_breakfix_meter_percent">16<', page)
        # the purchase order is on the next invoice's reference
        invoice = self._draft(self.ticket)
        self.assertEqual(
            invoice.ref, f"{self.ticket.number} · Server down · PO PO-4711"
        )
        # the signature is an attachment for internal users only: the portal
        # user gets Odoo's placeholder, a billing manager the signature
        signature_url = (
            f"/web/image/helpdesk.ticket/{self.ticket.id}/breakfix_approval_signature"
        )
        signature = base64.b64decode(ticket.breakfix_approval_signature)
        self.assertNotEqual(self.url_open(signature_url).content, signature)
        self.authenticate(self.manager.login, self.manager.login)
        self.assertEqual(self.url_open(signature_url).content, signature)

    def test_visitor_with_the_link_declines(self):
        # the emailed link: no login, the ticket's access token
        self.authenticate(None, None)
        response = self._post(
            "decline",
            {
                "reason": "Too expensive: we buy a new server.",
                "access_token": self.token,
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(f"access_token={self.token}", response.headers["Location"])
        self.assertEqual(
            self._answer_fields()["breakfix_approval_decline_reason"],
            "Too expensive: we buy a new server.",
        )
        ticket = self.ticket.sudo()
        self.assertEqual(ticket.breakfix_approval_state, "declined")
        self.assertEqual(ticket.breakfix_estimate_amount, 500.0)
        note = ticket.message_ids.filtered(
            lambda message: "The customer declined" in str(message.body)
        )
        self.assertEqual(note.author_id, self.contact)
        page = self.url_open(
            f"/my/ticket/{self.ticket.id}?access_token={self.token}"
        ).text
        self.assertIn("You declined", page)

    def test_an_empty_answer_is_refused_and_says_why(self):
        self.authenticate(self.paula.login, self.paula.login)
        before = self._answer_fields()
        # no signature, or one that is no image: nothing is written
        for signature in ("", "aGVsbG8=", "not base64!"):
            with self.subTest(signature=signature):
                response = self._post("accept", self._accept_data(signature=signature))
                self.assertEqual(response.status_code, 303)
                self.assertIn(
                    "breakfix_error=Sign+to+approve.", response.headers["Location"]
                )
                self.assertEqual(self._answer_fields(), before)
        # the amount asked for changed since the page was opened
        response = self._post("accept", self._accept_data(amount="500.0"))
        self.assertIn("breakfix_error=The+amount+asked", response.headers["Location"])
        self.assertEqual(self._answer_fields(), before)

    @mute_logger(*HTTP_LOGGERS)
    def test_who_may_not_answer_changes_nothing(self):
        before = self._answer_fields()
        # another customer's portal user
        self.authenticate(self.pieter.login, self.pieter.login)
        self.assertEqual(self._post("accept", self._accept_data()).status_code, 404)
        self.assertEqual(self._post("decline", {"reason": "No."}).status_code, 404)
        self.assertEqual(self._answer_fields(), before)
        # logged in, the token changes nothing: neither another customer's
        # user nor an internal one answers with it
        for user in (self.pieter, self.tech):
            self.authenticate(user.login, user.login)
            response = self._post("accept", self._accept_data(access_token=self.token))
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self._answer_fields(), before)
        # a visitor without the token, or with a wrong one
        self.authenticate(None, None)
        self.assertEqual(self._post("accept", self._accept_data()).status_code, 404)
        self.assertEqual(
            self._post(
                "accept", self._accept_data(access_token="not-the-token")
            ).status_code,
            404,
        )
        self.assertEqual(self._answer_fields(), before)
        # a post without the CSRF token
        self.authenticate(self.paula.login, self.paula.login)
        response = self._post("accept", self._accept_data(), with_csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._answer_fields(), before)

        # answered once; the same post again (a replay), or another answer
        self.assertEqual(self._post("accept", self._accept_data()).status_code, 303)
        after = self._answer_fields()
        self.assertEqual(after["breakfix_approval_state"], "approved")
        self.assertEqual(
            self._post("accept", self._accept_data(po="PO-9")).status_code, 403
        )
        self.assertEqual(
            self._post("decline", {"reason": "Changed my mind."}).status_code, 403
        )
        self.assertEqual(self._answer_fields(), after)

    def test_customer_tour_opens_the_link_signs_and_approves(self):
        # the link of the email the customer got
        email = self.ticket.sudo().message_ids.filtered(
            lambda message: "please approve" in (message.subject or "")
        )
        link = re.search(r'href="https?://[^/]+(/my/ticket/[^"]+)"', str(email.body))
        self.assertEqual(
            link[1],
            f"/my/ticket/{self.ticket.id}?access_token={self.token}#breakfix_approval",
        )
        self.start_tour(link[1], "breakfix_approval_portal_tour")
        ticket = self.ticket.sudo()
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_approval_state": "approved",
                    "breakfix_approval_signed_by": "Chris Contact",
                    "breakfix_customer_po": "PO-2026-118",
                    "breakfix_estimate_amount": 600.0,
                }
            ],
        )
        self.assertTrue(ticket.breakfix_approval_signature)
