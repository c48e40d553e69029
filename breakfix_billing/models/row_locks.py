# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Row locks of a drafting run, shared by the models that take them."""

import psycopg2.errors

from odoo.tools import SQL


def lock_rows(cr, table, ids):
    """Lock the rows ``ids`` of ``table`` until the transaction ends,
    skipping those another transaction holds: the set of the ids locked, or
    None when one of them was changed by a transaction committed since this
    one began (a serialization failure, rolled back to a savepoint)."""
    try:
        with cr.savepoint(flush=False):
            # an expected failure: not an error for the server log
            cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s ORDER BY id "
                    "FOR UPDATE SKIP LOCKED",
                    SQL.identifier(table),
                    tuple(ids),
                ),
                log_exceptions=False,
            )
            return {row[0] for row in cr.fetchall()}
    except psycopg2.errors.SerializationFailure:
        return None
