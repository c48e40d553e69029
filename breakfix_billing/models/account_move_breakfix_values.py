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

The product and tax lines carry those values and Odoo's sync still runs. It
makes the receivable lines (and the early-payment discount, cash rounding...
lines), checks every product and tax line against its own figures and writes
only what differs: nothing, unless a feature changes them that we leave to
Odoo (an early-payment discount's lines take part in the tax rounding, for
one).

An invoice whose values this code cannot read (a line without product or
price, ``line_ids`` given...) is created as given.
"""

from typing import Any, NamedTuple

from odoo import Command, api, models
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


class InvoiceHeader(NamedTuple):
    """What Odoo computes of an invoice's header, read from an in-memory
    invoice (``move``) before any line is made on it."""

    move: Any
    company: Any
    currency: Any
    rate: float
    sign: int
    always_tax_exigible: bool


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
        each with the values Odoo would work out for it, a chunk at a time;
        return them in the order of ``vals_list``."""
        model = self.with_context(breakfix_drafting=True)
        moves = self.browse()
        for chunk in split_every(
            CREATE_CHUNK, self._breakfix_complete_invoice_values(vals_list)
        ):
            moves |= model.create(list(chunk))
        return self.browse(moves.ids)

    @api.model
    def _breakfix_complete_invoice_values(self, vals_list):
        """Each invoice's values with what Odoo would work out for them;
        ``vals_list`` is left as it is."""
        drafts = [self._breakfix_draft_of(vals) for vals in vals_list]
        # Odoo computes a field for a batch of records at a time: all the
        # in-memory records are made before any is read, headers first (a
        # line made on a header changes it).
        headers = self._breakfix_invoice_headers(drafts)
        prototypes = self._breakfix_line_prototypes(drafts, headers)
        return [
            self._breakfix_complete_one(draft, headers, prototypes) if draft else vals
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
    def _breakfix_complete_one(self, draft, headers, prototypes):
        """The values of one invoice's ``draft``, of the batch's ``headers``
        and ``prototypes``."""
        header = headers[draft.header_key]
        lines = list(draft.lines)
        tax_results = self._breakfix_tax_results(
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
                **to_update,
                **lines[index],
            }
        tax_lines = [
            {**tax_line, "display_type": "tax"}
            for tax_line in tax_results["tax_lines_to_add"]
        ]
        return {
            **draft.header_vals,
            "line_ids": [Command.create(line) for line in lines + tax_lines],
        }

    @api.model
    def _breakfix_tax_results(self, header, lines, prototype_base_lines):
        """What ``_prepare_tax_lines`` gives of the product ``lines`` of an
        invoice of ``header`` (with their prototypes' base lines), as
        ``_sync_tax_lines`` computes those of a new invoice: the product
        lines' amounts and tags, and the tax lines."""
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
        return AccountTax._prepare_tax_lines(base_lines, company)
