# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from lxml import etree

from odoo import Command, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import BreakfixInvoicingCommon, brussels, invoice_label

# The pricing traces of the labour lines of the ticket of
# ``_create_full_ticket``, in the order the work happened.
TRACE_MONDAY = "2026-11-16 · T. Tech · Test on-site · 0.50 h"
TRACE_TUESDAY = (
    "2026-11-17 · T. Tech · Test remote · 1.00 h (logged 1.10 h, rounded up to 15 min)"
)
TRACE_TUESDAY_EVENING = (
    "2026-11-17 · T. Tech · Test remote · 0.25 h "
    "(logged 1.10 h, rounded up to 15 min) · after hours ×1.5"
)


class BreakfixDraftingCommon(BreakfixInvoicingCommon):
    """Draft invoices of "Brussels rates" tickets (see common.py), exact to
    the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # releasing is done from the credited invoice: a billing manager who
        # also has the invoicing rights
        cls.billing_finance = new_test_user(
            cls.env,
            login="bf_billing_finance",
            name="Bianca Billing",
            groups="breakfix_billing.group_breakfix_manager,"
            "helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice",
        )
        cls.prepaid_product = cls.env.ref("breakfix_billing.product_breakfix_prepaid")
        cls.prepaid_product.write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )

    def _block(self, post=True, **values):
        """A block of the customer, confirmed by the billing manager and, with
        ``post``, its invoice posted by finance."""
        block = (
            self.env["breakfix.prepaid.block"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Support block",
                    "partner_id": self.customer.id,
                    "unit": "hours",
                    "quantity": 10.0,
                    "price": 850.0,
                    "date_from": date(2026, 11, 1),
                    **values,
                }
            )
        )
        block.action_breakfix_confirm()
        if post:
            block.sudo().invoice_id.with_user(self.finance).action_post()
        return self.env["breakfix.prepaid.block"].browse(block.id)

    def _create_full_ticket(self):
        """An emergency ticket with every kind of charge, its time logged out
        of order: a 4 h minimum, Tuesday's remote work logged before Monday's
        on-site visit, and two parts."""
        self.card.minimum_minutes = 240
        ticket = self._create_ticket(breakfix_emergency=True)
        tuesday = self._log_time(ticket, brussels(17, 16), 1.1)
        monday = self._log_time(
            ticket, brussels(16, 9), 0.5, work_type=self.work_type_onsite
        )
        ram = self._add_part(ticket, self.product_ram, 2)
        ssd = self._add_part(ticket, self.product_ssd)
        return ticket, monday, tuesday, ram | ssd


@tagged("post_install", "-at_install")
class TestInvoiceDrafting(BreakfixDraftingCommon):
    def test_draft_one_invoice_per_ticket(self):
        ticket, monday, tuesday, parts = self._create_full_ticket()
        other = self._create_ticket(name="Printer jam")
        self._log_time(other, brussels(18, 10), 1.0)
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        # Emergency call-out fee                                    75.00
        # Monday 09:00 on-site at the work type's 110.00/h:
        #   0.50 h × 110.00                                         55.00
        # Tuesday 16:00, 1.1 h rounded up to 1.25 h:
        #   16:00-17:00 business hours 1.00 h × 100.00             100.00
        #   17:00-17:15 after hours 0.25 h × 150.00                 37.50
        # minimum 240 min, 105 min billed: 135 min at the base rate of the
        # first work done (on-site, 110.00/h): 2.25 h × 110.00    247.50
        # Monday's trip                                             40.00
        # RAM from the customer's pricelist: 2 × 45.00              90.00
        # SSD at its list price: 1 × 150.00                        150.00
        #                                                 untaxed  795.00
        # 21 % VAT, rounded per line: 15.75 + 11.55 + 21.00 + 7.88 + 51.98
        #   + 8.40 + 18.90 + 31.50                                 166.96
        self.assertEqual(ticket.breakfix_amount_to_invoice, 795.0)

        invoices = self._draft(ticket | other)

        self.assertEqual(len(invoices), 2)
        invoice = invoices.filtered(lambda move: move.breakfix_ticket_ids == ticket)
        self.assertEqual(invoice.breakfix_ticket_ids, ticket)
        self.assertEqual(
            (invoices - invoice).invoice_line_ids.breakfix_ticket_id, other
        )
        self.assertRecordValues(
            invoice,
            [
                {
                    "move_type": "out_invoice",
                    "state": "draft",
                    "partner_id": self.invoice_address.id,
                    "currency_id": self.card.currency_id.id,
                    "company_id": self.company.id,
                    "invoice_origin": ticket.number,
                    "amount_untaxed": 795.0,
                    "amount_tax": 166.96,
                    "amount_total": 961.96,
                }
            ],
        )
        self.assertIn(ticket.number, invoice.ref)
        self.assertIn("Server down", invoice.ref)
        self.assertEqual(
            self._line_table(invoice),
            [
                ("Emergency call-out fee", 1.0, 75.0, 75.0),
                (invoice_label(TRACE_MONDAY), 0.5, 110.0, 55.0),
                (invoice_label(TRACE_TUESDAY), 1.0, 100.0, 100.0),
                (invoice_label(TRACE_TUESDAY_EVENING), 0.25, 150.0, 37.5),
                (
                    "Minimum charge: 240 min per ticket, 105 min billed",
                    2.25,
                    110.0,
                    247.5,
                ),
                ("Trip fee · 2026-11-16", 1.0, 40.0, 40.0),
                ("Test RAM 16 GB", 2.0, 45.0, 90.0),
                ("Test SSD 1 TB", 1.0, 150.0, 150.0),
            ],
        )
        lines = self._invoice_lines(invoice)
        self.assertEqual(
            lines.mapped("breakfix_kind"),
            ["callout", "labour", "labour", "labour", "minimum", "trip"]
            + ["material"] * 2,
        )
        self.assertEqual(
            lines.product_id.ids,
            (
                self.callout_product
                | self.product_onsite
                | self.product_remote
                | self.trip_product
                | self.product_ram
                | self.product_ssd
            ).ids,
        )
        self.assertEqual(
            [line.product_uom_id for line in lines],
            [self.units] + [self.hours] * 4 + [self.units] * 3,
        )
        currency = invoice.currency_id
        for line in lines:
            self.assertEqual(line.account_id, self.income_account)
            self.assertEqual(line.tax_ids, self.sale_tax)
            self.assertEqual(line.breakfix_ticket_id, ticket)
            self.assertTrue(
                currency.is_zero(line.quantity * line.price_unit - line.price_subtotal),
                f"{line.name}: {line.quantity} × {line.price_unit} is not "
                f"{line.price_subtotal}",
            )
        # each source line links to what it produced
        self.assertEqual(monday.breakfix_invoice_line_ids, lines[1])
        self.assertEqual(tuesday.breakfix_invoice_line_ids, lines[2:4])
        self.assertEqual(parts.invoice_line_id, lines[6:])
        self.assertEqual(lines[6].breakfix_material_ids, parts[0])

        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
        self.assertEqual(ticket.breakfix_invoice_ids, invoice)
        self.assertAmounts(
            ticket,
            {"breakfix_amount_drafted": 795.0, "breakfix_amount_to_invoice": 0.0},
        )

    def test_entries_keep_the_price_they_were_invoiced_at(self):
        ticket = self._create_ticket()
        # logged and invoiced at once: the entries' prices are stored all the
        # same (the invoice freezes them)
        invoiced = self._log_time(ticket, brussels(17, 16), 1.1)
        self._draft(ticket)
        later = self._log_time(ticket, brussels(17, 17), 1.0)
        # 1.00 h × 100.00 + 0.25 h × 150.00; Tuesday 17:00, 1.00 h × 150.00
        self.assertAmounts(
            invoiced, {"breakfix_billed_hours": 1.25, "breakfix_amount": 137.5}
        )
        self.assertEqual(
            invoiced.breakfix_pricing_trace,
            f"{TRACE_TUESDAY}\n{TRACE_TUESDAY_EVENING}",
        )
        self.assertEqual(later.breakfix_amount, 150.0)

        self.card.after_hours_factor = 2.0

        # what is invoiced keeps its price, the rest follows the rate card:
        # 1.00 h × 200.00
        self.assertEqual(invoiced.breakfix_amount, 137.5)
        self.assertIn("after hours ×1.5", invoiced.breakfix_pricing_trace)
        self.assertEqual(later.breakfix_amount, 200.0)
        self.assertEqual(ticket.breakfix_amount_to_invoice, 200.0)

    def test_drafting_twice_then_a_supplementary_invoice(self):
        ticket, __, __, __ = self._create_full_ticket()
        first = self._draft(ticket)
        self.assertEqual(first.amount_untaxed, 795.0)
        self.assertFalse(self._draft(ticket), "nothing left to invoice")
        self.assertEqual(ticket.breakfix_invoice_ids, first)

        # Wednesday 10:00 remote 1.00 h × 100.00                   100.00
        # Monday 14:00 on-site again, 0.50 h × 110.00: no trip,
        #   Monday's is invoiced                                    55.00
        # Thursday 10:00 on-site 0.50 h × 110.00                    55.00
        #   and Thursday's trip                                     40.00
        # 2.75 h billed, still under the 4 h minimum: the minimum charge was
        # invoiced with the first invoice, as was the call-out fee.
        self._log_time(ticket, brussels(18, 10), 1.0)
        self._log_time(ticket, brussels(16, 14), 0.5, work_type=self.work_type_onsite)
        self._log_time(ticket, brussels(19, 10), 0.5, work_type=self.work_type_onsite)
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        self.assertEqual(ticket.breakfix_amount_to_invoice, 250.0)

        supplementary = self._draft(ticket)

        self.assertEqual(len(supplementary), 1)
        self.assertNotEqual(supplementary, first)
        self.assertEqual(
            self._line_table(supplementary),
            [
                (
                    invoice_label("2026-11-16 · T. Tech · Test on-site · 0.50 h"),
                    0.5,
                    110.0,
                    55.0,
                ),
                (
                    invoice_label("2026-11-18 · T. Tech · Test remote · 1.00 h"),
                    1.0,
                    100.0,
                    100.0,
                ),
                (
                    invoice_label("2026-11-19 · T. Tech · Test on-site · 0.50 h"),
                    0.5,
                    110.0,
                    55.0,
                ),
                ("Trip fee · 2026-11-19", 1.0, 40.0, 40.0),
            ],
        )
        self.assertEqual(ticket.breakfix_invoice_ids, first | supplementary)
        self.assertAmounts(
            ticket,
            {"breakfix_amount_drafted": 1045.0, "breakfix_amount_to_invoice": 0.0},
        )
        self.assertFalse(self._draft(ticket))

    def test_batch_skips_the_ticket_that_cannot_be_invoiced(self):
        consulting = self.env["breakfix.work.type"].create(
            {"name": "Test consulting", "product_id": self.product_remote.id}
        )
        tickets = self.env["helpdesk.ticket"]
        for index in range(10):
            ticket = self._create_ticket(name=f"Issue {index}")
            # Tuesday 10:00, 1.00 h × 100.00 = 100.00 each
            self._log_time(ticket, brussels(17, 10), 1.0)
            tickets |= ticket
        broken = tickets[4]
        # consulting has no rate, on the card or of its own
        self._log_time(broken, brussels(17, 11), 1.0, work_type=consulting)
        Move = type(self.env["account.move"])
        create_calls = []
        create = Move.create

        @api.model_create_multi
        def counting_create(self, vals_list):
            create_calls.append(len(vals_list))
            return create(self, vals_list)

        self.patch(Move, "create", counting_create)

        action = tickets.with_user(self.manager).action_breakfix_create_invoice()

        self.assertEqual(create_calls, [9], "the nine invoices in one create")
        invoices = self._action_invoices(action)
        self.assertEqual(len(invoices), 9)
        self.assertEqual(invoices.breakfix_ticket_ids, tickets - broken)
        self.assertEqual(invoices.mapped("amount_untaxed"), [100.0] * 9)
        reason = (
            "No hourly rate for work type “Test consulting” on rate card "
            "“Brussels rates”: add a line for it to the rate card or give the "
            "work type a default rate."
        )
        self.assertEqual(action["tag"], "display_notification")
        summary = self._notification_text(action)
        self.assertIn(f"Not drafted: {broken.number}: {reason}", summary)
        self.assertIn("9 invoice(s) drafted, for finance to confirm: ", summary)
        for ticket in tickets - broken:
            self.assertIn(ticket.number, summary)
        self.assertEqual(
            action["params"]["links"],
            [
                {
                    "label": broken.number,
                    "url": f"/odoo/helpdesk.ticket/{broken.id}",
                }
            ],
        )
        self.assertIn(f"No invoice drafted: {reason}", str(broken.message_ids[:1].body))
        self.assertEqual(broken.breakfix_invoice_status, "to_invoice")
        self.assertFalse(broken.breakfix_invoice_ids)
        self.assertEqual(
            set((tickets - broken).mapped("breakfix_invoice_status")), {"drafted"}
        )

    def test_skipped_tickets_say_why(self):
        unaccounted_category = self.env["product.category"].create(
            {"name": "Test unaccounted"}
        )
        unaccounted_category.property_account_income_categ_id = False
        unaccounted = self.env["product.product"].create(
            {
                "name": "Test unaccounted service",
                "type": "service",
                "categ_id": unaccounted_category.id,
                "uom_id": self.hours.id,
                "uom_po_id": self.hours.id,
            }
        )
        training = self.env["breakfix.work.type"].create(
            {"name": "Test training", "product_id": unaccounted.id, "hourly_rate": 70}
        )
        without_account = self._create_ticket(name="Training")
        self._log_time(without_account, brussels(17, 10), 1.0, work_type=training)
        without_customer = self._create_ticket(name="Walk-in", partner_id=False)
        self._log_time(without_customer, brussels(17, 10), 1.0)
        # a billing manager of both companies cannot give a ticket the rate
        # card of the other company: refused on entry, not when drafting
        company_b = self.env["res.company"].create({"name": "Break/fix B Ltd"})
        card_b = self.env["breakfix.rate.card"].create(
            {"name": "Rates of B", "company_id": company_b.id, "trip_fee": 10.0}
        )
        self.manager.company_ids |= company_b
        other_company = self._create_ticket(name="Cross-company")
        card = other_company.breakfix_rate_card_id
        with self.assertRaises(UserError) as caught:
            other_company.with_user(self.manager).with_context(
                allowed_company_ids=(self.company | company_b).ids
            ).breakfix_rate_card_id = card_b
        self.assertIn("Incompatible companies on records", str(caught.exception))
        self.assertEqual(other_company.breakfix_rate_card_id, card)
        fine = self._create_ticket(name="Fine")
        self._log_time(fine, brussels(17, 10), 1.0)
        tickets = without_account | without_customer | fine

        action = tickets.with_user(self.manager).action_breakfix_create_invoice()

        self.assertEqual(self._action_invoices(action).breakfix_ticket_ids, fine)
        reasons = {
            without_account: f"Product “Test unaccounted service” has no income "
            f"account (nor has its category): ticket {without_account.number} "
            f"cannot be invoiced.",
            without_customer: f"Ticket {without_customer.number} has no customer.",
        }
        for ticket, reason in reasons.items():
            self.assertIn(f"{ticket.number}: {reason}", self._notification_text(action))
            self.assertIn(
                f"No invoice drafted: {reason}", str(ticket.message_ids[:1].body)
            )
            self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")

    def test_closing_a_ticket_drafts_its_invoice(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.assertTrue(self.team.breakfix_auto_invoice)
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 1.0)

        ticket.with_user(self.tech).stage_id = done

        # Tuesday 10:00, 1.00 h × 100.00
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
        invoice = ticket.sudo().breakfix_invoice_ids
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "draft",
                    "amount_untaxed": 100.0,
                    "invoice_origin": ticket.number,
                }
            ],
        )

        self.team.breakfix_auto_invoice = False
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 1.0)
        ticket.with_user(self.tech).stage_id = done
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
        self.assertFalse(ticket.breakfix_invoice_ids)


@tagged("post_install", "-at_install")
class TestInvoicingAccess(BreakfixInvoicingCommon):
    def test_technician_cannot_draft(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 1.0)
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech).action_breakfix_create_invoice()
        self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")

    def test_finance_reviews_and_posts_the_drafts(self):
        tickets = self.env["helpdesk.ticket"]
        for name in ("Mail down", "VPN down", "Laptop broken"):
            ticket = self._create_ticket(name=name)
            self._log_time(ticket, brussels(17, 10), 1.0)
            tickets |= ticket
        invoices = self._draft(tickets)
        posted = invoices[0].with_user(self.finance)
        posted.action_post()
        self.assertEqual(posted.state, "posted")
        manual = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    Command.create({"name": "Not break/fix", "price_unit": 10.0})
                ],
            }
        )

        action = (
            self.env["ir.actions.act_window"]
            .with_user(self.finance)
            ._for_xml_id("breakfix_billing.action_breakfix_invoices_to_review")
        )
        context = safe_eval(action["context"])
        self.assertTrue(context["search_default_breakfix_to_review"])
        search_view = (
            self.env["account.move"]
            .with_user(self.finance)
            .get_view(action["search_view_id"][0], "search")
        )
        to_review = etree.fromstring(search_view["arch"]).xpath(
            "//filter[@name='breakfix_to_review']"
        )[0]
        domain = safe_eval(action["domain"]) + safe_eval(to_review.get("domain"))
        listed = self.env["account.move"].with_user(self.finance).search(domain)

        self.assertEqual(listed & (invoices | manual), invoices - posted)
