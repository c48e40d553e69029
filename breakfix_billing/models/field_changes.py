# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a write really changes, and what invoiced records refuse.

The web client writes back unchanged values along with the ones a user
edited (onchange results, synced fields): rights and locks must look at
what changes, not at what is written.
"""

from odoo.exceptions import UserError


def changed_fields(records, vals, fnames):
    """The names among ``fnames`` whose value in ``vals`` differs from the
    current value of at least one of ``records``."""
    changed = []
    for fname in fnames:
        if fname not in vals:
            continue
        field = records._fields[fname]
        new = field.convert_to_cache(vals[fname], records, validate=False)
        if any(
            field.convert_to_cache(record[fname], record, validate=False) != new
            for record in records
        ):
            changed.append(fname)
    return changed


def refuse_invoiced(records, invoice_of, describe, fnames=None):
    """Refuse to delete invoiced ``records`` (``fnames`` None) or to change
    their ``fnames``: what an invoice bills is frozen with it.

    ``invoice_of(record)`` is the invoice billing a record (empty if none),
    ``describe(record)`` the record as the user calls it.
    """
    if fnames is not None and not fnames:
        return
    env = records.env
    for record in records.sudo():
        invoice = invoice_of(record)
        if not invoice:
            continue
        # never the name of an invoice the user may not read
        if invoice.with_env(env).has_access("read"):
            where = env._("on %(invoice)s", invoice=invoice.display_name)
        else:
            where = env._("on an invoice")
        if fnames is None:
            message = env._(
                "%(record)s is invoiced %(where)s: it cannot be deleted. "
                "Cancel the invoice first.",
                record=describe(record),
                where=where,
            )
        else:
            message = env._(
                "%(record)s is invoiced %(where)s: its %(field)s cannot "
                "change. You may still edit its description, or cancel the "
                "invoice first.",
                record=describe(record),
                where=where,
                field=records._fields[fnames[0]]._description_string(env),
            )
        raise UserError(message)
