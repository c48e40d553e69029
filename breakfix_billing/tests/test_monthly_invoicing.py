# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Monthly customers (SPEC §10): one invoice per customer, company and
currency, a section per ticket, the prepaid draws after them; the
month-start cron; §5 line by line."""

from datetime import date

import freezegun

from odoo import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import brussels
from .test_prepaid_invoicing import BreakfixPrepaidCommon

MONTHLY_CRON_XMLID = "breakfix_billing.ir_cron_breakfix_draft_monthly"


class BreakfixMonthlyCommon(BreakfixPrepaidCommon):
    """The customer is invoiced monthly; remote support at 90.00/h; the
    clock stands on Friday 27 November 2026 at noon in Brussels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.startClassPatcher(freezegun.freeze_time("2026-11-27 11:00:00"))
        cls._set_company_zone("Europe/Brussels")
        cls.customer.breakfix_invoicing_mode = "monthly"
        cls.done_stage = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.env.ref("breakfix_billing.product_breakfix_not_to_exceed").write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )
        # the crons see the tickets of these tests only (not demo data)
        cls.env["helpdesk.ticket"].search(
            [("breakfix_invoice_status", "=", "to_invoice")]
        ).active = False

    def _three_tickets(self):
        """Three tickets of November, in this order:
        - "Network down": 1.00 h remote on Monday 16 at 10:00, 90.00, and
          2 RAM at 45.00, 90.00: 180.00;
        - "Server crash", an emergency: the call-out fee, 75.00, and 1.00 h
          on Tuesday 17 at 10:00, 90.00: 165.00;
        - "Printer jam", estimated at 150.00: 2.00 h on Wednesday 18 from
          10:00, 180.00, and the adjustment, −30.00: 150.00."""
        network = self._create_ticket(name="Network down")
        self._log_time(network, brussels(16, 10), 1.0)
        self._add_part(network, self.product_ram, 2)
        crash = self._create_ticket(name="Server crash", breakfix_emergency=True)
        self._log_time(crash, brussels(17, 10), 1.0)
        printer = self._create_ticket(name="Printer jam")
        printer.with_user(self.manager).breakfix_estimate_amount = 150.0
        self._log_time(printer, brussels(18, 10), 2.0)
        return network, crash, printer

    def _sections(self, invoice):
        return [
            line.name
            for line in self._invoice_lines(invoice)
            if line.display_type == "line_section"
        ]

    def _run_monthly_cron(self, batch_size=50, **limits):
        """One call of the cron runner; ``(done, remaining)`` customers."""
        return self._run_cron_call(
            MONTHLY_CRON_XMLID,
            "helpdesk.ticket",
            "_cron_breakfix_draft_monthly",
            batch_size=batch_size,
            **limits,
        )

    def assertLinkedOnce(self, tickets):
        """Every entry and part of the ``tickets`` is on exactly one invoice
        line that still charges it."""
        for entry in tickets.timesheet_ids:
            charging = entry.breakfix_invoice_line_ids.filtered(
                lambda line: line.parent_state != "cancel"
            )
            self.assertEqual(len(charging), 1, entry.name)
        for part in tickets.breakfix_material_ids:
            self.assertEqual(part.invoice_line_id.parent_state, "draft")


@tagged("post_install", "-at_install")
class TestMonthlyInvoice(BreakfixMonthlyCommon):
    def test_three_tickets_one_invoice_a_section_each(self):
        network, crash, printer = self._three_tickets()
        # given in any order, the sections are in ticket order
        invoice = self._draft(printer | crash | network)

        self.assertEqual(len(invoice), 1)
        # untaxed 180.00 + 165.00 + 150.00 = 495.00; 21 % VAT rounded per
        # line: 18.90 + 18.90 + 15.75 + 18.90 + 37.80 − 6.30 = 103.95
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "draft",
                    "partner_id": self.invoice_address.id,
                    "ref": "Break/fix November 2026",
                    "invoice_origin": (
                        f"{network.number}, {crash.number}, {printer.number}"
                    ),
                    "invoice_date": False,
                    "date": date(2026, 11, 27),
                    "amount_untaxed": 495.0,
                    "amount_tax": 103.95,
                    "amount_total": 598.95,
                }
            ],
        )
        self.assertEqual(
            self._line_table(invoice),
            [
                (f"{network.number} · Network down", 0.0, 0.0, 0.0),
                (
                    "Test remote\n2026-11-16 · T. Tech · Test remote · 1.00 h",
                    1.0,
                    90.0,
                    90.0,
                ),
                ("Test RAM 16 GB", 2.0, 45.0, 90.0),
                (f"{crash.number} · Server crash", 0.0, 0.0, 0.0),
                ("Emergency call-out fee", 1.0, 75.0, 75.0),
                (
                    "Test remote\n2026-11-17 · T. Tech · Test remote · 1.00 h",
                    1.0,
                    90.0,
                    90.0,
                ),
                (f"{printer.number} · Printer jam", 0.0, 0.0, 0.0),
                (
                    "Test remote\n2026-11-18 · T. Tech · Test remote · 2.00 h",
                    2.0,
                    90.0,
                    180.0,
                ),
                (
                    "Not-to-exceed adjustment: estimate 150.00, work 180.00",
                    1.0,
                    -30.0,
                    -30.0,
                ),
            ],
        )
        # each section and its lines are its ticket's
        self.assertEqual(
            [line.breakfix_ticket_id for line in self._invoice_lines(invoice)],
            [network] * 3 + [crash] * 3 + [printer] * 2 + [printer],
        )
        tickets = network | crash | printer
        self.assertEqual(invoice.breakfix_ticket_ids, tickets)
        self.assertRecordValues(
            tickets,
            [
                {
                    "breakfix_invoice_status": "drafted",
                    "breakfix_amount_drafted": 180.0,
                },
                {
                    "breakfix_invoice_status": "drafted",
                    "breakfix_amount_drafted": 165.0,
                },
                {
                    "breakfix_invoice_status": "drafted",
                    "breakfix_amount_drafted": 150.0,
                },
            ],
        )
        for ticket in tickets:
            self.assertEqual(ticket.breakfix_invoice_ids, invoice)
        self.assertLinkedOnce(tickets)
        # nothing left: drafting again drafts nothing
        self.assertFalse(self._draft(tickets))

    def test_smart_buttons_both_ways(self):
        network, crash, printer = self._three_tickets()
        invoice = self._draft(network | crash | printer)
        action = network.with_user(self.manager).action_breakfix_view_invoices()
        self.assertEqual(
            (action["res_id"], action["views"]), (invoice.id, [(False, "form")])
        )
        action = invoice.with_user(self.finance).action_breakfix_view_tickets()
        self.assertEqual(
            action["domain"], [("id", "in", (network | crash | printer).ids)]
        )

    def test_prepaid_draws_after_the_sections_one_line_per_block(self):
        block = self._block()
        network, crash, printer = self._three_tickets()
        invoice = self._draft(network | crash | printer)

        # the block pays the labour: 1.00 h (90.00), 1.00 h (90.00) and the
        # printer's 2.00 h less its adjustment, 150.00 of 180.00 as hours
        # × 150/180 = 1.67 h: 3.67 h and 330.00; the invoice keeps the RAM
        # and the call-out fee, 165.00
        lines = self._invoice_lines(invoice)
        self.assertEqual(
            self._line_table(invoice)[-1],
            (
                "Prepaid: Support block · 3.67 h applied, 6.33 h left",
                1.0,
                -330.0,
                -330.0,
            ),
        )
        self.assertEqual(lines[:-1].mapped("breakfix_kind").count("prepaid"), 0)
        self.assertRecordValues(
            lines[-1],
            [{"breakfix_kind": "prepaid", "breakfix_ticket_id": False}],
        )
        self.assertEqual(invoice.amount_untaxed, 165.0)
        # a usage row per ticket, all on the block's line
        self.assertRecordValues(
            lines[-1].breakfix_prepaid_usage_ids.sorted("id"),
            [
                {"ticket_id": network.id, "quantity": 1.0, "amount": 90.0},
                {"ticket_id": crash.id, "quantity": 1.0, "amount": 90.0},
                {"ticket_id": printer.id, "quantity": 1.67, "amount": 150.0},
            ],
        )
        self.assertEqual(block.balance, 6.33)

        # cancelling gives the whole draw back, and re-drafts it once
        invoice.with_user(self.finance).button_cancel()
        self.assertEqual(block.balance, 10.0)
        again = self._draft(network | crash | printer)
        self.assertEqual(again.amount_untaxed, 165.0)
        self.assertEqual(block.balance, 6.33)
        self.assertEqual(len(block.usage_ids), 3)

        # a credit note settles: the draw stays, the work is not invoiced again
        again.with_user(self.finance).action_post()
        again.with_user(self.finance)._reverse_moves(cancel=True)
        self.assertEqual(block.balance, 6.33)
        self.assertFalse(self._draft(network | crash | printer))
        # a billing manager's release gives it all back, drafted once more
        self.assertTrue(again.breakfix_can_release)
        again.with_user(self.billing_finance).action_breakfix_release()
        self.assertEqual(block.balance, 10.0)
        third = self._draft(network | crash | printer)
        self.assertEqual(len(third), 1)
        self.assertEqual(third.amount_untaxed, 165.0)
        self.assertEqual(block.balance, 6.33)

    def test_cancelling_redrafts_every_ticket_once(self):
        tickets = self.env["helpdesk.ticket"].union(*self._three_tickets())
        invoice = self._draft(tickets)
        invoice.with_user(self.finance).button_cancel()
        self.assertEqual(set(tickets.mapped("breakfix_invoice_status")), {"to_invoice"})

        again = self._draft(tickets)

        self.assertEqual(len(again), 1)
        self.assertEqual(self._line_table(again), self._line_table(invoice))
        self.assertEqual(again.amount_untaxed, 495.0)
        self.assertLinkedOnce(tickets)
        self.assertFalse(self._draft(tickets))

    def test_per_ticket_customers_in_the_same_run(self):
        network, crash, printer = self._three_tickets()
        other = self.env["res.partner"].create(
            {
                "name": "Per-ticket Ltd",
                "is_company": True,
                "breakfix_rate_card_id": self.card.id,
            }
        )
        first = self._create_ticket(name="Mail down", partner_id=other.id)
        self._log_time(first, brussels(19, 10), 1.0)
        second = self._create_ticket(name="VPN down", partner_id=other.id)
        self._log_time(second, brussels(20, 10), 0.5)

        invoices = self._draft(network | first | crash | second | printer)

        self.assertEqual(len(invoices), 3)
        by_ref = {invoice.ref: invoice for invoice in invoices}
        self.assertEqual(
            sorted(by_ref),
            sorted(
                [
                    "Break/fix November 2026",
                    f"{first.number} · Mail down",
                    f"{second.number} · VPN down",
                ]
            ),
        )
        self.assertEqual(
            by_ref["Break/fix November 2026"].breakfix_ticket_ids,
            network | crash | printer,
        )
        self.assertEqual(by_ref[f"{first.number} · Mail down"].amount_untaxed, 90.0)
        self.assertEqual(by_ref[f"{second.number} · VPN down"].amount_untaxed, 45.0)
        self.assertFalse(self._sections(by_ref[f"{first.number} · Mail down"]))

    def test_one_invoice_per_currency(self):
        _eur, euro_customer = self._euro_customer()
        euro_customer.breakfix_invoicing_mode = "monthly"
        network, crash, _printer = self._three_tickets()
        (crash | _printer).partner_id = euro_customer
        invoices = self._draft(network | crash | _printer)
        self.assertEqual(len(invoices), 2)
        self.assertEqual(
            sorted(len(invoice.breakfix_ticket_ids) for invoice in invoices), [1, 2]
        )

    def test_contacts_follow_the_customer(self):
        self.assertEqual(self.contact.breakfix_invoicing_mode, "monthly")
        self.assertTrue(
            self.contact._breakfix_invoiced_monthly(self.company),
        )

    def test_company_default_and_partner_override(self):
        other = self.env["res.partner"].create(
            {"name": "Default Ltd", "is_company": True}
        )
        self.assertEqual(other.breakfix_invoicing_mode, "per_ticket")
        # an administrator's setting
        with Form(self.company) as company:
            company.breakfix_invoicing_mode = "monthly"
        self.assertEqual(other.breakfix_invoicing_mode, "monthly")
        self.assertTrue(other._breakfix_invoiced_monthly(self.company))
        with Form(other.with_user(self.billing_manager)) as partner:
            partner.breakfix_invoicing_mode = "per_ticket"
        self.assertFalse(other._breakfix_invoiced_monthly(self.company))
        # another company keeps its own default
        second = self.env["res.company"].create({"name": "Second Shop"})
        self.assertFalse(self.customer._breakfix_invoiced_monthly(second))


@tagged("post_install", "-at_install")
class TestMonthlyCron(BreakfixMonthlyCommon):
    """The month-start cron, the clock frozen at each moment."""

    _breakfix_tests_batches_a_call = True

    def _close(self, tickets):
        tickets.with_user(self.tech).stage_id = self.done_stage

    def test_the_first_of_the_month_drafts_last_month(self):
        tickets = self.env["helpdesk.ticket"].union(*self._three_tickets())
        # closing does not draft a monthly customer's tickets: they say so
        self._close(tickets)
        self.assertFalse(tickets.breakfix_invoice_ids)
        self.assertEqual(
            str(tickets[0].message_ids[0].body),
            "<p>Not drafted on closing: Test Customer Ltd is invoiced monthly. "
            "This ticket goes on its invoice drafted on 12/01/2026.</p>",
        )
        self.assertEqual(set(tickets.mapped("breakfix_invoice_status")), {"to_invoice"})
        # nor does the daily cron
        self.env["helpdesk.ticket"]._cron_breakfix_draft_invoices()
        self.assertFalse(tickets.breakfix_invoice_ids)

        # another day of the month, and 23:59 on the 30th in Brussels
        for moment in ("2026-11-27 12:00:00", "2026-11-30 22:59:00"):
            with freezegun.freeze_time(moment):
                self.assertEqual(self._run_monthly_cron(), (0, 0))
        self.assertFalse(tickets.breakfix_invoice_ids)

        # 00:01 on 1 December in Brussels
        with freezegun.freeze_time("2026-11-30 23:01:00"):
            self.assertEqual(self._run_monthly_cron(), (1, 0))
        invoice = tickets.breakfix_invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(
            invoice,
            [
                {
                    "ref": "Break/fix November 2026",
                    "invoice_date": date(2026, 11, 30),
                    "date": date(2026, 11, 30),
                    "amount_untaxed": 495.0,
                }
            ],
        )
        self.assertEqual(len(self._sections(invoice)), 3)

    def test_a_ticket_closed_after_the_run_goes_into_next_month(self):
        network, crash, printer = self._three_tickets()
        self._close(network | crash)
        with freezegun.freeze_time("2026-12-01 07:00:00"):
            self.assertEqual(self._run_monthly_cron(), (1, 0))
            november = network.breakfix_invoice_ids
            # closed after the run, on the 1st, and more work on a ticket
            # November's invoice billed
            self._close(printer)
            self._log_time(network, brussels(1, 10, month=12), 0.5)
        self.assertEqual(november.breakfix_ticket_ids, network | crash)
        self.assertEqual(printer.breakfix_invoice_status, "to_invoice")
        self.assertEqual(network.breakfix_invoice_status, "to_invoice")
        # the 1st again, later, and the 15th: nothing
        for moment in ("2026-12-01 16:00:00", "2026-12-15 09:00:00"):
            with freezegun.freeze_time(moment):
                self.assertEqual(self._run_monthly_cron(), (0, 0))

        with freezegun.freeze_time("2027-01-01 07:00:00"):
            self.assertEqual(self._run_monthly_cron(), (1, 0))
        december = printer.breakfix_invoice_ids
        self.assertEqual(december.breakfix_ticket_ids, network | printer)
        self.assertRecordValues(
            december,
            [
                {
                    "ref": "Break/fix December 2026",
                    "invoice_date": date(2026, 12, 31),
                    # 0.50 h × 90.00 = 45.00; 180.00 − 30.00 = 150.00
                    "amount_untaxed": 195.0,
                }
            ],
        )
        self.assertEqual(network.breakfix_invoice_ids, november | december)
        self.assertLinkedOnce(network | crash | printer)

    def test_a_missed_first_is_caught_up_the_next_day(self):
        tickets = self.env["helpdesk.ticket"].union(*self._three_tickets())
        self._close(tickets)
        with freezegun.freeze_time("2026-12-02 07:00:00"):
            self.assertEqual(self._run_monthly_cron(), (1, 0))
        self.assertEqual(tickets.breakfix_invoice_ids.invoice_date, date(2026, 11, 30))

    def test_batches_of_customers(self):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Monthly {index}",
                    "is_company": True,
                    "breakfix_rate_card_id": self.card.id,
                }
                for index in range(3)
            ]
        )
        customers.breakfix_invoicing_mode = "monthly"
        tickets = self.env["helpdesk.ticket"]
        for customer in customers:
            for day in (16, 17):
                ticket = self._create_ticket(partner_id=customer.id)
                self._log_time(ticket, brussels(day, 10), 1.0)
                tickets |= ticket
        self._close(tickets)
        with freezegun.freeze_time("2026-12-01 07:00:00"):
            self.assertEqual(self._run_monthly_cron(batch_size=2), (2, 1))
            self.assertEqual(self._run_monthly_cron(batch_size=2), (1, 0))
        self.assertEqual(len(tickets.breakfix_invoice_ids), 3)
        for customer in customers:
            invoice = tickets.filtered(
                lambda ticket, customer=customer: ticket.partner_id == customer
            ).breakfix_invoice_ids
            self.assertEqual(len(invoice), 1)
            self.assertEqual(invoice.amount_untaxed, 180.0)

    def test_a_call_drafts_whole_customers_within_a_ticket_budget(self):
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Busy {index}",
                    "is_company": True,
                    "breakfix_rate_card_id": self.card.id,
                    "breakfix_invoicing_mode": "monthly",
                }
                for index in range(2)
            ]
        )
        tickets = self.env["helpdesk.ticket"]
        for customer in customers:
            for day in (16, 17, 18):
                ticket = self._create_ticket(partner_id=customer.id)
                self._log_time(ticket, brussels(day, 10), 1.0)
                tickets |= ticket
        self._close(tickets)
        with freezegun.freeze_time("2026-12-01 07:00:00"):
            # 3 tickets a customer: a budget of 4 takes one customer a call
            self.assertEqual(self._run_monthly_cron(max_tickets=4), (1, 1))
            self.assertEqual(self._run_monthly_cron(max_tickets=4), (1, 0))
        self.assertEqual(len(tickets.breakfix_invoice_ids), 2)

    def test_switching_mode_mid_month_loses_nothing_doubles_nothing(self):
        self.customer.breakfix_invoicing_mode = "per_ticket"
        network, crash, printer = self._three_tickets()
        # per ticket: drafted when it closes
        self._close(network)
        first = network.breakfix_invoice_ids
        self.assertEqual(first.ref, f"{network.number} · Network down")
        # monthly from the 20th: the next closes wait, with more work on the
        # ticket already drafted
        self.customer.breakfix_invoicing_mode = "monthly"
        self._close(crash)
        self.assertFalse(crash.breakfix_invoice_ids)
        self._log_time(network, brussels(20, 10), 0.5)
        with freezegun.freeze_time("2026-12-01 07:00:00"):
            self.assertEqual(self._run_monthly_cron(), (1, 0))
        november = crash.breakfix_invoice_ids
        self.assertEqual(november.breakfix_ticket_ids, network | crash)
        # 0.50 h × 90.00 + 165.00
        self.assertEqual(november.amount_untaxed, 210.0)
        # back to per ticket on 3 December: the waiting ticket is drafted by
        # the daily cron, on its own
        with freezegun.freeze_time("2026-12-03 07:00:00"):
            self.customer.breakfix_invoicing_mode = "per_ticket"
            self.team.breakfix_auto_invoice = False
            self._close(printer)
            self.env["helpdesk.ticket"]._cron_breakfix_draft_invoices()
        self.assertEqual(
            printer.breakfix_invoice_ids.ref, f"{printer.number} · Printer jam"
        )
        self.assertEqual(printer.breakfix_invoice_ids.amount_untaxed, 150.0)
        self.assertLinkedOnce(network | crash | printer)


@tagged("post_install", "-at_install")
class TestMonthlyPortal(BreakfixMonthlyCommon, HttpCase):
    """The customer's portal shows each ticket its own lines of the shared
    monthly invoice, and its own amounts."""

    def test_ticket_page_shows_only_its_lines_of_the_shared_invoice(self):
        network, crash, printer = self._three_tickets()
        invoice = self._draft(network | crash | printer)
        invoice.with_user(self.finance).action_post()
        portal = new_test_user(
            self.env,
            login="bf_monthly_portal",
            groups="base.group_portal",
            partner_id=self.contact.id,
        )

        charges = network.with_user(portal)._breakfix_portal_charges()
        [shown] = charges["invoices"]
        self.assertEqual(shown["invoice"], invoice)
        self.assertEqual(
            [charge["label"] for charge in shown["charges"]],
            [
                "Test remote\n2026-11-16 · T. Tech · Test remote · 1.00 h",
                "Test RAM 16 GB",
            ],
        )
        # the ticket's 180.00 of the invoice's 495.00, and its 21 % VAT
        self.assertEqual(
            (shown["amount"], shown["amount_tax"], shown["amount_total"]),
            (180.0, 37.8, 217.8),
        )

        self.authenticate(portal.login, portal.login)
        page = self.url_open(f"/my/ticket/{network.id}").text
        charges_block = page.split('id="breakfix_charges"', 1)[1]
        self.assertIn(invoice.name, charges_block)
        self.assertIn("Test RAM 16 GB", charges_block)
        self.assertIn("217.80", charges_block)
        for other in (crash, printer):
            self.assertNotIn(other.number, charges_block)
        self.assertNotIn("Emergency call-out fee", charges_block)
        self.assertNotIn("Not-to-exceed", charges_block)
