# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Invoices drafted with the values we hand Odoo are the invoices Odoo makes.

``account.move._breakfix_create_drafts`` hands ``create`` what Odoo would
work out line by line (and, on the fast path, the tax and receivable lines
too, created without Odoo's sync). Each case drafts the same ticket work
twice from the same prepared values: once our way, once plainly with
``account.move.create``, so that Odoo computes everything; the two invoices
must be identical, field by field, on every line and in every total.

Each case logs one line, "<case>: <path> path, identical", the matrix the
benchmark's README shows.
"""

import copy
import logging
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from .common import brussels
from .test_invoicing import BreakfixDraftingCommon

_logger = logging.getLogger(__name__)

LINE_FIELDS = (
    "display_type",
    "sequence",
    "name",
    "product_id",
    "product_uom_id",
    "quantity",
    "price_unit",
    "discount",
    "account_id",
    "partner_id",
    "currency_id",
    "tax_ids",
    "tax_tag_ids",
    "tax_tag_invert",
    "tax_repartition_line_id",
    "tax_line_id",
    "group_tax_id",
    "tax_base_amount",
    "balance",
    "debit",
    "credit",
    "amount_currency",
    "amount_residual",
    "amount_residual_currency",
    "price_subtotal",
    "price_total",
    "date_maturity",
    "discount_date",
    "discount_balance",
    "discount_amount_currency",
    "analytic_distribution",
    "breakfix_ticket_id",
    "breakfix_kind",
)
MOVE_FIELDS = (
    "move_type",
    "journal_id",
    "company_id",
    "date",
    "invoice_date",
    "delivery_date",
    "partner_id",
    "partner_shipping_id",
    "commercial_partner_id",
    "currency_id",
    "invoice_currency_rate",
    "fiscal_position_id",
    "invoice_payment_term_id",
    "invoice_cash_rounding_id",
    "invoice_date_due",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_residual_signed",
    "amount_total_in_currency_signed",
    "payment_state",
    "tax_totals",
)


# What names a record or says when it was written: all a line's or an
# invoice's other columns are compared.
OWN_COLUMNS = frozenset(
    {"id", "move_id", "create_date", "create_uid", "write_date", "write_uid"}
)


@tagged("post_install", "-at_install")
class TestInvoiceValuesMatch(BreakfixDraftingCommon):
    """The customer's ticket: 1.00 h of remote support on Tuesday 17
    November 2026 at 10:00 (100.00), a RAM module (45.00) and, on-site on
    Wednesday 18th at 14:00, 0.75 h at 110.00 (82.50) and its trip (40.00):
    267.50 untaxed, 56.18 of 21 % VAT (rounded per line: 21.00 + 9.45 +
    17.33 + 8.40), 323.68 in all."""

    freeze_time = "2026-11-25 10:00:00"

    def _ticket(self, **values):
        ticket = self._create_ticket(**values)
        self._log_time(ticket, brussels(17, 10), 1.0)
        self._log_time(ticket, brussels(18, 14), 0.75, work_type=self.work_type_onsite)
        self._add_part(ticket, self.product_ram)
        return ticket

    def _assert_same_invoices(
        self, case, tickets, fast, adapt=None, period_end=None, rewritten=()
    ):
        """Draft ``tickets``' invoice our way and plainly; assert that our way
        took the ``fast`` path (or not), that Odoo's sync wrote back none of
        the product and tax lines' amounts we handed it (but those of the
        ``rewritten`` kinds of lines), and that both invoices are identical;
        a fast-path invoice is drafted the synced way too, and must be
        identical as well. Return ours."""
        tickets = tickets.sudo()
        skipped = {}
        vals_list = tickets._breakfix_prepare_invoices(skipped, period_end=period_end)
        self.assertFalse(skipped)
        self.assertEqual(len(vals_list), 1)
        if adapt:
            adapt(vals_list[0])
        Move = self.env["account.move"].sudo()
        expected = self._values(Move.create(copy.deepcopy(vals_list)))
        completed = Move._breakfix_complete_invoice_values(copy.deepcopy(vals_list))
        self.assertEqual([path for _vals, path in completed], [fast], case)
        ours = self._create_ours(vals_list, rewritten)
        self.assertEqual(self._values(ours), expected, case)
        self._log_match(case, "fast" if fast else "synced")
        if fast:
            with patch.object(
                self.registry["account.move"],
                "_breakfix_takes_fast_path",
                lambda *args: False,
            ):
                synced = self._create_ours(vals_list, rewritten)
            self.assertEqual(self._values(synced), expected, case)
            self._log_match(case, "synced (forced)")
        return ours

    def _create_ours(self, vals_list, rewritten=()):
        """Our invoices of ``vals_list``, asserting that Odoo's sync wrote
        back the amounts or tags handed for lines of the ``rewritten`` kinds
        (``display_type``) only."""
        Line = self.registry["account.move.line"]
        write = Line.write
        written = set()

        def recording_write(lines, vals):
            Move = lines.env["account.move"]
            written.update(
                line.display_type
                for line in lines
                if line.display_type in ("product", "tax")
                and any(
                    Move._field_will_change(line, vals, fname)
                    for fname in ("balance", "amount_currency", "tax_tag_ids")
                )
            )
            return write(lines, vals)

        with patch.object(Line, "write", recording_write):
            invoices = (
                self.env["account.move"]
                .sudo()
                ._breakfix_create_drafts(copy.deepcopy(vals_list))
            )
        self.assertEqual(written, set(rewritten))
        return invoices

    @staticmethod
    def _log_match(case, path):
        _logger.info("Invoice values match: %s: %s path, identical", case, path)

    def _values(self, invoice):
        """Every compared value of ``invoice`` and its lines, the lines in a
        stable order, as stored."""
        self.env.flush_all()
        self.env.invalidate_all()
        lines = invoice.line_ids.read(LINE_FIELDS, load=None)
        for line in lines:
            del line["id"]
        lines.sort(
            key=lambda line: (
                line["display_type"],
                line["sequence"],
                line["name"] or "",
                line["tax_repartition_line_id"] or 0,
                str(line["date_maturity"]),
                line["balance"],
            )
        )
        (move,) = invoice.read(MOVE_FIELDS, load=None)
        del move["id"]
        return {"move": move, "lines": lines, "rows": self._rows(invoice)}

    def _rows(self, invoice):
        """The invoice's row and its lines' rows as PostgreSQL holds them
        (a NULL is not a 0), but for what names a record or when it was
        written."""
        cr = self.env.cr
        cr.execute("SELECT * FROM account_move WHERE id = %s", [invoice.id])
        rows = [
            {
                column: value
                for column, value in cr.dictfetchone().items()
                if column not in OWN_COLUMNS
            }
        ]
        cr.execute("SELECT * FROM account_move_line WHERE move_id = %s", [invoice.id])
        lines = [
            {
                column: value
                for column, value in row.items()
                if column not in OWN_COLUMNS
            }
            for row in cr.dictfetchall()
        ]
        return rows + sorted(lines, key=repr)

    def _payment_term(self, *lines, **values):
        return self.env["account.payment.term"].create(
            {
                "name": "Test terms",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": percent, "nb_days": days}
                    )
                    for percent, days in lines
                ],
                **values,
            }
        )

    # ------------------------------------------------------------------
    # The fast path
    # ------------------------------------------------------------------

    def test_plain(self):
        invoice = self._assert_same_invoices("plain", self._ticket(), fast=True)
        self.assertRecordValues(
            invoice,
            [{"amount_untaxed": 267.5, "amount_tax": 56.18, "amount_total": 323.68}],
        )
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertRecordValues(
            receivable, [{"debit": 323.68, "amount_residual": 323.68}]
        )

    def test_one_instalment_payment_term(self):
        self.customer.property_payment_term_id = self._payment_term((100.0, 30))
        invoice = self._assert_same_invoices(
            "payment term, one instalment", self._ticket(), fast=True
        )
        self.assertEqual(str(invoice.invoice_date_due), "2026-12-25")

    def test_fiscal_position(self):
        reduced = self._reduced_rate_position()
        invoice = self._assert_same_invoices(
            "fiscal position (tax mapping)", self._ticket(), fast=True
        )
        # 6 % of 267.50, per line: 6.00 + 2.70 + 4.95 + 2.40
        self.assertEqual(invoice.invoice_line_ids.tax_ids, reduced)
        self.assertRecordValues(
            invoice, [{"amount_tax": 16.05, "amount_total": 283.55}]
        )

    def test_tax_included_prices(self):
        self._tax_included()
        invoice = self._assert_same_invoices(
            "tax-included prices", self._ticket(), fast=True
        )
        # the same prices, 267.50 in all, include the 21 %: untaxed, per
        # line, 82.64 + 68.18 + 37.19 + 33.06
        self.assertRecordValues(
            invoice,
            [{"amount_untaxed": 221.07, "amount_tax": 46.43, "amount_total": 267.5}],
        )

    def test_tax_included_prices_rounded_globally(self):
        self._tax_included()
        self.company.tax_calculation_rounding_method = "round_globally"
        self._assert_same_invoices(
            "tax-included prices, rounded globally", self._ticket(), fast=True
        )

    def test_monthly_invoice_with_sections(self):
        self.customer.breakfix_invoicing_mode = "monthly"
        self.customer.property_payment_term_id = self._payment_term((100.0, 30))
        tickets = self._ticket() | self._ticket(name="Printer jam")
        # the month-start run dates it the month's last day
        invoice = self._assert_same_invoices(
            "monthly invoice (sections, dated the month's end)",
            tickets,
            fast=True,
            period_end=date(2026, 11, 30),
        )
        self.assertEqual(invoice.amount_total, 647.36)
        self.assertEqual(str(invoice.invoice_date_due), "2026-12-30")

    def test_no_charge_lines(self):
        self.team.breakfix_invoice_show_no_charge = True
        ticket = self._ticket()
        free = self._log_time(ticket, brussels(17, 14), 1.0)
        free.with_user(self.manager).breakfix_billable = False
        invoice = self._assert_same_invoices(
            "no-charge lines at 0.00", ticket, fast=True
        )
        self.assertEqual(len(invoice.invoice_line_ids), 5)
        self.assertEqual(invoice.amount_total, 323.68)

    def test_prepaid_draw(self):
        self._block()
        invoice = self._assert_same_invoices(
            "prepaid draw (negative lines)", self._ticket(), fast=True
        )
        # the block pays the 1.75 h of work: RAM and trip, 85.00, and their tax
        self.assertRecordValues(
            invoice, [{"amount_untaxed": 85.0, "amount_total": 102.85}]
        )

    # ------------------------------------------------------------------
    # The synced path
    # ------------------------------------------------------------------

    def test_two_instalments(self):
        self.customer.property_payment_term_id = self._payment_term(
            (30.0, 0), (70.0, 30)
        )
        invoice = self._assert_same_invoices(
            "payment terms, two instalments", self._ticket(), fast=False
        )
        receivables = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        ).sorted("date_maturity")
        # 30 % of 323.68 now, the balance in 30 days
        self.assertEqual(receivables.mapped("debit"), [97.1, 226.58])

    def test_early_payment_discount(self):
        self.customer.property_payment_term_id = self._payment_term(
            (100.0, 30),
            early_discount=True,
            discount_percentage=2.0,
            discount_days=10,
            early_pay_discount_computation="mixed",
        )
        # the discount's lines take part in the taxes: Odoo's sync writes the
        # tax lines handed again, their amounts less the discount's share
        invoice = self._assert_same_invoices(
            "early-payment discount", self._ticket(), fast=False, rewritten=["tax"]
        )
        self.assertTrue(
            invoice.line_ids.filtered(lambda line: line.display_type == "epd")
        )

    def test_cash_rounding(self):
        rounding = self.env["account.cash.rounding"].create(
            {
                "name": "Test 0.10",
                "rounding": 0.1,
                "strategy": "add_invoice_line",
                "rounding_method": "HALF-UP",
                "profit_account_id": self.income_account.id,
                "loss_account_id": self.income_account.id,
            }
        )
        invoice = self._assert_same_invoices(
            "cash rounding",
            self._ticket(),
            fast=False,
            adapt=lambda vals: vals.update(invoice_cash_rounding_id=rounding.id),
        )
        # 323.68 rounded to the nearest 0.10
        self.assertEqual(invoice.amount_total, 323.7)

    def test_foreign_currency(self):
        _eur, customer = self._euro_customer()
        customer.property_account_receivable_id = (
            self.customer.property_account_receivable_id
        )
        ticket = self._ticket(partner_id=customer.id)
        invoice = self._assert_same_invoices("foreign currency", ticket, fast=False)
        self.assertNotEqual(invoice.currency_id, self.company.currency_id)

    def test_analytic_distribution_models(self):
        plan = self.env["account.analytic.plan"].create({"name": "Test desks"})
        desk = self.env["account.analytic.account"].create(
            {"name": "Test break/fix desk", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create(
            {
                "partner_id": self.customer.id,
                "analytic_distribution": {str(desk.id): 100},
            }
        )
        invoice = self._assert_same_invoices(
            "analytic distribution models", self._ticket(), fast=False
        )
        self.assertEqual(
            invoice.invoice_line_ids.mapped("analytic_distribution"),
            [{str(desk.id): 100}] * 4,
        )

    def test_no_fast_path_while_a_module_extends_the_sync(self):
        Move = self.registry["account.move"]
        sync_tax_lines = Move._sync_tax_lines

        def extended(moves, container):
            return sync_tax_lines(moves, container)

        with patch.object(Move, "_sync_tax_lines", extended):
            self._assert_same_invoices(
                "plain, a module extending Odoo's sync", self._ticket(), fast=False
            )

    def test_synced_path_corrects_a_wrong_value(self):
        # Odoo's sync checks what the synced path hands it: a product line
        # handed a wrong balance, amount and tax tags, and a wrong tax line,
        # are written right.
        vals_list = self._ticket().sudo()._breakfix_prepare_invoices({})
        Move = self.env["account.move"].sudo()
        expected = self._values(Move.create(copy.deepcopy(vals_list)))
        with patch.object(
            self.registry["account.move"],
            "_breakfix_takes_fast_path",
            lambda *args: False,
        ):
            ((vals, fast),) = Move._breakfix_complete_invoice_values(vals_list)
        self.assertFalse(fast)
        lines = [command[2] for command in vals["line_ids"]]
        product = next(line for line in lines if line["display_type"] == "product")
        tax = next(line for line in lines if line["display_type"] == "tax")
        self.assertEqual(
            (product["balance"], product["amount_currency"]), (-100.0, -100.0)
        )
        self.assertEqual(
            (round(tax["balance"], 2), round(tax["amount_currency"], 2)),
            (-56.18, -56.18),
        )
        product.update(balance=-90.0, amount_currency=-90.0, tax_tag_ids=[])
        tax.update(balance=-50.0, amount_currency=-50.0)
        self.assertEqual(self._values(Move.create([vals])), expected)

    def _tax_included(self):
        """The products' 21 % VAT included in their prices."""
        included = self.env["account.tax"].create(
            {
                "name": "Test VAT 21% included",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        (
            self.product_remote
            | self.product_onsite
            | self.product_ram
            | self.trip_product
        ).taxes_id = included
