# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Creating a batch of drafted invoices with the values Odoo would work out.

Given an invoice's values, ``account.move.create`` works out every product
line's account, taxes, partner, currency and analytic distribution, a compute
each, line by line; then its tax sync writes each line again with its
balance, amount in currency and tax tags: a write per line, with everything a
write triggers. That was most of the drafting time.

Here those values are worked out before ``create``, by Odoo's own code:

- what depends on the invoice and the product alone is what Odoo's computes
  give a *prototype* line: an in-memory line of an in-memory invoice with the
  same header, one per product and header in a batch, not one per line;
- the amounts, tax tags and tax lines are those of Odoo's tax helpers
  (``account.tax._prepare_base_line_for_taxes_computation``,
  ``_add_tax_details_in_base_lines``, ``_round_base_lines_tax_details``,
  ``_add_accounting_data_in_base_lines_tax_details``, ``_prepare_tax_lines``),
  called as ``account.move._sync_tax_lines`` calls them for a new invoice.

Two paths, chosen per invoice:

- **synced**, for every invoice: the product and tax lines carry those
  values and Odoo's sync still runs. It makes the receivable lines (and the
  early-payment discount, cash rounding... lines), checks every product and
  tax line against its own figures and writes only what differs: nothing,
  unless a feature changes them that we leave to Odoo (an early-payment
  discount's lines lower the taxes, for one: the tax lines are written
  again);
- **fast**: the receivable line is built too, from the same figures and the
  payment term's own ``_compute_terms``, and the invoice is created with
  ``skip_invoice_sync`` and ``skip_invoice_line_sync``: without the sync.
  Only for invoices with none of the features that line or the others
  depend on beyond those figures, and only while no installed module extends
  Odoo's sync (``_breakfix_takes_fast_path``); any other invoice takes the
  synced path.

An invoice whose values this code cannot read (a line without product or
price, ``line_ids`` given...) is created as given.
"""

from typing import Any, NamedTuple

from odoo import Command, api, fields, models
from odoo.tools import split_every

# Invoices created by one call of ``create``. A create's cost per invoice
# grows with its batch (Odoo's sync and flush go over all of the batch's
# lines at a time): a run of a thousand is created a hundred at a time.
CREATE_CHUNK = 100

# Header values that only label an invoice: invoices that differ in them
# alone share their in-memory header, and so their prototype lines.
LABEL_FIELDS = frozenset({"ref", "invoice_origin", "narration"})

# Product line values the prototype's computes depend on: a line that gives
# one of them has a prototype of its own, made with it.
PROTOTYPE_INPUTS = ("account_id", "tax_ids", "analytic_distribution", "partner_id")

# What a product line takes of its prototype: the values Odoo precomputes for
# it in ``create`` that depend on its invoice and product alone (not on its
# quantity, price, unit, label or amounts) and cost a compute each.
PROTOTYPED_FIELDS = (
    "display_type",
    "account_id",
    "partner_id",
    "currency_id",
    "analytic_distribution",
)

# What the fast path stands in for: {model: methods of the account addon}.
# An installed module that extends one of them may change what the sync
# makes: the fast path is off.
SYNC_METHODS = {
    "account.move": (
        "_sync_dynamic_lines",
        "_sync_dynamic_line",
        "_sync_tax_lines",
        "_sync_rounding_lines",
        "_sync_invoice",
        "_compute_needed_terms",
        "_get_rounded_base_and_tax_lines",
        "_prepare_product_base_line_for_taxes_computation",
        "_prepare_tax_lines_for_taxes_computation",
    ),
    "account.move.line": ("_sync_invoice",),
}


def without_empty_tags(values):
    """``values`` without ``tax_tag_ids`` if they set none: a new line has
    none, and setting none still costs the ORM's work on every line."""
    if values.get("tax_tag_ids") == [Command.set([])]:
        return {
            fname: value for fname, value in values.items() if fname != "tax_tag_ids"
        }
    return values


class InvoiceHeader(NamedTuple):
    """What Odoo computes of an invoice's header, read from an in-memory
    invoice (``move``) before any line is made on it."""

    move: Any
    company: Any
    currency: Any
    rate: float
    sign: int
    always_tax_exigible: bool
    payment_term: Any
    date_due: Any
    date_ref: Any
    is_inbound: bool


class InvoiceDraft(NamedTuple):
    """An invoice's values, read: its header's (``header_vals``, named by
    ``header_key``), its ``lines``, the indexes of its product lines
    (``products``) and the key of each one's prototype."""

    header_vals: dict
    header_key: str
    lines: list
    products: list
    prototype_keys: list


class Prototype(NamedTuple):
    """What Odoo's computes give a line of a product on an invoice: the
    ``values`` of ``PROTOTYPED_FIELDS`` as ``create`` stores them, and its
    ``base_line`` for the taxes computation (without a line's amounts)."""

    values: dict
    base_line: dict


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        # Odoo's create ends by writing is_manually_modified, and so runs its
        # sync a second time over the whole batch, which finds nothing to do:
        # the flag is none of its inputs. Our drafts skip that second run.
        if self.env.context.get("breakfix_drafting") and vals.keys() == {
            "is_manually_modified"
        }:
            self = self.with_context(skip_invoice_sync=True)  # noqa: PLW0642
        return super().write(vals)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _breakfix_create_drafts(self, vals_list):
        """Create the invoices of ``vals_list`` (as ``create`` takes them),
        each with the values Odoo would work out for it, a chunk of each path
        at a time; return them in the order of ``vals_list``."""
        ids = [None] * len(vals_list)
        by_path = {False: [], True: []}
        for index, (vals, fast) in enumerate(
            self._breakfix_complete_invoice_values(vals_list)
        ):
            by_path[fast].append((index, vals))
        for fast, items in by_path.items():
            # the fast path skips the lines' own sync too: it only works out a
            # line's balance of its amount in currency, and both are handed
            model = self.with_context(
                breakfix_drafting=True,
                skip_invoice_sync=fast,
                skip_invoice_line_sync=fast,
            )
            for chunk in split_every(CREATE_CHUNK, items):
                moves = model.create([vals for _index, vals in chunk])
                for (index, _vals), move in zip(chunk, moves, strict=True):
                    ids[index] = move.id
        return self.browse(ids)

    @api.model
    def _breakfix_complete_invoice_values(self, vals_list):
        """``[(vals, fast)]``: each invoice's values with what Odoo would
        work out for them, and whether it takes the fast path (then it is to
        be created with ``skip_invoice_sync``). ``vals_list`` is left as
        it is."""
        drafts = [self._breakfix_draft_of(vals) for vals in vals_list]
        # Odoo computes a field for a batch of records at a time: all the
        # in-memory records are made before any is read, headers first (a
        # line made on a header changes it).
        headers = self._breakfix_invoice_headers(drafts)
        prototypes = self._breakfix_line_prototypes(drafts, headers)
        receivables = self._breakfix_receivable_prototypes(headers)
        return [
            self._breakfix_complete_one(draft, headers, prototypes, receivables)
            if draft
            else (vals, False)
            for vals, draft in zip(vals_list, drafts, strict=True)
        ]

    @api.model
    def _breakfix_draft_of(self, vals):
        """The ``InvoiceDraft`` of an invoice's ``vals``, or ``None`` if they
        are to be created as given."""
        commands = vals.get("invoice_line_ids") or []
        if "line_ids" in vals or any(
            command[0] != Command.CREATE for command in commands
        ):
            return None
        lines = [command[2] for command in commands]
        products = [
            index
            for index, line in enumerate(lines)
            if line.get("display_type", "product") == "product"
        ]
        if not products or not all(
            lines[index].get("product_id")
            and "price_unit" in lines[index]
            and "quantity" in lines[index]
            for index in products
        ):
            return None
        header_vals = {
            fname: value
            for fname, value in vals.items()
            if fname not in ("invoice_line_ids", "line_ids")
        }
        header_key = repr(
            sorted(
                (fname, value)
                for fname, value in header_vals.items()
                if fname not in LABEL_FIELDS
            )
        )
        prototype_keys = []
        for index in products:
            inputs = self._breakfix_prototype_inputs(lines[index])
            if inputs is None:
                return None
            prototype_keys.append(
                (header_key, lines[index]["product_id"], repr(sorted(inputs.items())))
            )
        return InvoiceDraft(header_vals, header_key, lines, products, prototype_keys)

    @api.model
    def _breakfix_prototype_inputs(self, line):
        """The ``PROTOTYPE_INPUTS`` a product ``line`` gives, as a new line
        takes them; ``None`` when its taxes cannot be read."""
        inputs = {fname: line[fname] for fname in PROTOTYPE_INPUTS if fname in line}
        if "tax_ids" in inputs:
            inputs["tax_ids"] = self._breakfix_taxes_of(inputs["tax_ids"])
            if inputs["tax_ids"] is None:
                return None
        return inputs

    @api.model
    def _breakfix_taxes_of(self, commands):
        """The taxes a ``tax_ids`` value sets (``[Command.set(ids)]``), or
        ``None`` if it is written another way."""
        if (
            isinstance(commands, (list, tuple))
            and len(commands) == 1
            and commands[0][0] == Command.SET
        ):
            return self.env["account.tax"].browse(commands[0][2])
        return None

    @api.model
    def _breakfix_invoice_headers(self, drafts):
        """``{header key: InvoiceHeader}`` of the ``drafts``: one in-memory
        invoice per header in the batch (labels aside), read before any line
        is made on it."""
        header_vals = {draft.header_key: draft.header_vals for draft in drafts if draft}
        moves = self.concat(*(self.new(vals) for vals in header_vals.values()))
        return {
            key: InvoiceHeader(
                move=move,
                company=move.company_id,
                currency=move.currency_id,
                rate=move.invoice_currency_rate,
                sign=move.direction_sign,
                always_tax_exigible=move.always_tax_exigible,
                payment_term=move.invoice_payment_term_id,
                # as _compute_needed_terms dates the receivable lines
                date_due=move.invoice_date_due,
                date_ref=(
                    move.invoice_date or move.date or fields.Date.context_today(move)
                ),
                is_inbound=move.is_inbound(include_receipts=True),
            )
            for key, move in zip(header_vals, moves, strict=True)
        }

    @api.model
    def _breakfix_line_prototypes(self, drafts, headers):
        """``{prototype key: Prototype}`` of the ``drafts``' product lines:
        of an in-memory line of each header and product in the batch (and
        whatever of ``PROTOTYPE_INPUTS`` a line gives). Odoo's computes of it
        are what a line of that product on that invoice gets."""
        new_values = {}
        for draft in filter(None, drafts):
            for index, key in zip(draft.products, draft.prototype_keys, strict=True):
                if key not in new_values:
                    line = draft.lines[index]
                    new_values[key] = {
                        "move_id": headers[draft.header_key].move,
                        "display_type": "product",
                        "product_id": line["product_id"],
                        **self._breakfix_prototype_inputs(line),
                    }
        Line = self.env["account.move.line"]
        lines = Line.concat(*(Line.new(values) for values in new_values.values()))
        AccountTax = self.env["account.tax"]
        return {
            key: Prototype(
                # converted as Odoo's _add_precomputed_values converts a new
                # line's precomputed values
                values={
                    fname: line._fields[fname].convert_to_write(line[fname], line)
                    for fname in PROTOTYPED_FIELDS
                },
                # a line's own values left out, for each line to give its own
                base_line=AccountTax._prepare_base_line_for_taxes_computation(
                    line,
                    product_uom_id=self.env["uom.uom"],
                    price_unit=0.0,
                    quantity=0.0,
                    discount=0.0,
                ),
            )
            for key, line in zip(new_values, lines, strict=True)
        }

    @api.model
    def _breakfix_receivable_prototypes(self, headers):
        """``{header key: line}``: an in-memory receivable line of each
        header, read only if needed (the fast path): Odoo's computes give it
        its account, partner and currency."""
        Line = self.env["account.move.line"]
        lines = Line.concat(
            *(
                Line.new({"move_id": header.move, "display_type": "payment_term"})
                for header in headers.values()
            )
        )
        return dict(zip(headers, lines, strict=True))

    @api.model
    def _breakfix_complete_one(self, draft, headers, prototypes, receivables):
        """``(vals, fast)`` of one invoice's ``draft``, of the batch's
        ``headers``, ``prototypes`` and ``receivables``."""
        header = headers[draft.header_key]
        lines = list(draft.lines)
        base_lines, tax_results = self._breakfix_tax_results(
            header,
            [lines[index] for index in draft.products],
            [prototypes[key].base_line for key in draft.prototype_keys],
        )
        for index, key, (base_line, to_update) in zip(
            draft.products,
            draft.prototype_keys,
            tax_results["base_lines_to_update"],
            strict=True,
        ):
            lines[index] = {
                **prototypes[key].values,
                "tax_ids": [Command.set(base_line["tax_ids"].ids)],
                **without_empty_tags(to_update),
                **lines[index],
            }
        tax_lines = [
            {**without_empty_tags(tax_line), "display_type": "tax"}
            for tax_line in tax_results["tax_lines_to_add"]
        ]
        term_lines = []
        fast = self._breakfix_takes_fast_path(header, base_lines)
        if fast:
            term_lines = self._breakfix_payment_term_lines(
                header,
                tax_results["base_lines_to_update"],
                tax_lines,
                receivables[draft.header_key],
            )
        vals = {
            **draft.header_vals,
            "line_ids": [
                Command.create(line) for line in lines + tax_lines + term_lines
            ],
        }
        return vals, fast

    @api.model
    def _breakfix_tax_results(self, header, lines, prototype_base_lines):
        """``(base_lines, tax_results)`` of the product ``lines`` of an
        invoice of ``header`` (with their prototypes' base lines), as
        ``_sync_tax_lines`` computes those of a new invoice:
        ``_prepare_tax_lines`` gives the product lines' amounts and tags, and
        the tax lines."""
        AccountTax = self.env["account.tax"]
        company = header.company
        Uom = self.env["uom.uom"]
        # each as _prepare_product_base_line_for_taxes_computation makes the
        # base line of an invoice's product line
        base_lines = [
            AccountTax._prepare_base_line_for_taxes_computation(
                prototype,
                product_uom_id=Uom.browse(line.get("product_uom_id")),
                price_unit=line["price_unit"],
                quantity=line["quantity"],
                discount=line.get("discount", 0.0),
                rate=header.rate,
                sign=header.sign,
                special_mode=False,
            )
            for line, prototype in zip(lines, prototype_base_lines, strict=True)
        ]
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(
            base_lines, company, include_caba_tags=header.always_tax_exigible
        )
        return base_lines, AccountTax._prepare_tax_lines(base_lines, company)

    @api.model
    def _breakfix_takes_fast_path(self, header, base_lines):
        """Whether an invoice of ``header`` and product ``base_lines`` may be
        created without Odoo's sync: one in the company's currency, without
        cash rounding, without payment term or with a one-line term without
        early-payment discount, whose lines have no discount, no analytic
        distribution and no cash-basis or analytic taxes; and no installed
        module extends the sync."""
        term = header.payment_term
        if header.currency != header.company.currency_id:
            return False
        if header.move.invoice_cash_rounding_id:
            return False
        if term and (len(term.line_ids) != 1 or term.early_discount):
            return False
        for base_line in base_lines:
            if base_line["discount"] or base_line["analytic_distribution"]:
                return False
            if any(
                tax.analytic or tax.tax_exigibility == "on_payment"
                for tax in base_line["tax_ids"].flatten_taxes_hierarchy()
            ):
                return False
        return self._breakfix_sync_is_odoos()

    @api.model
    def _breakfix_sync_is_odoos(self):
        """Whether every method of ``SYNC_METHODS`` is the account addon's
        own, extended by no installed module."""
        for model, methods in SYNC_METHODS.items():
            for method in methods:
                module = getattr(type(self.env[model]), method).__module__
                if not module.startswith("odoo.addons.account."):
                    return False
        return True

    @api.model
    def _breakfix_payment_term_lines(self, header, base_updates, tax_lines, receivable):
        """The receivable line of a fast-path invoice of ``header``, as
        Odoo's sync makes it of the invoice's ``needed_terms``: without
        payment term, its total due on its due date; with a one-line term,
        what the term's ``_compute_terms`` makes of its signed amounts;
        ``receivable`` is the header's receivable prototype."""
        company_currency = header.company.currency_id
        untaxed = company_currency.round(
            -sum(update["balance"] for _base, update in base_updates)
        )
        untaxed_currency = header.currency.round(
            -sum(update["amount_currency"] for _base, update in base_updates)
        )
        tax = company_currency.round(-sum(line["balance"] for line in tax_lines))
        tax_currency = header.currency.round(
            -sum(line["amount_currency"] for line in tax_lines)
        )
        term_line = {
            "display_type": "payment_term",
            "account_id": receivable.account_id.id,
            "partner_id": receivable.partner_id.id,
            "currency_id": receivable.currency_id.id,
            "date_maturity": header.date_due,
            "discount_date": False,
            "discount_balance": 0.0,
            "discount_amount_currency": 0.0,
            "balance": untaxed + tax,
            "amount_currency": untaxed_currency + tax_currency,
        }
        if header.payment_term:
            terms = header.payment_term._compute_terms(
                date_ref=header.date_ref,
                currency=header.currency,
                company=header.company,
                tax_amount=tax,
                tax_amount_currency=tax_currency,
                untaxed_amount=untaxed,
                untaxed_amount_currency=untaxed_currency,
                sign=1 if header.is_inbound else -1,
            )
            (term,) = terms["line_ids"]
            term_line.update(
                date_maturity=term["date"],
                balance=term["company_amount"],
                amount_currency=term["foreign_amount"],
            )
        return [term_line]
