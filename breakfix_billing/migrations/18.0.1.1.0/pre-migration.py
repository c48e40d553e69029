# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: a part's day is the day it was recorded.

``helpdesk.ticket.material.date`` is new: created by the upgrade, Odoo would
fill every existing part with its default, the upgrade's day, and move all
of them into that month of the billing analysis. The column is made here,
before the models load, with the day each part was created: the UTC day of
``create_date`` (a part recorded late in the evening may land on the next
day in a time zone ahead of UTC; the day can be corrected by hand).
"""

from odoo.tools import SQL, sql


def migrate(cr, version):
    if not version:
        return
    date_existing_parts(cr)


def date_existing_parts(cr):
    """Add the parts' ``date`` column if missing, and fill the empty ones
    with the UTC day of their creation; return how many were filled."""
    if not sql.table_exists(cr, "helpdesk_ticket_material"):
        return 0  # no parts yet: the table is made with its column
    if not sql.column_exists(cr, "helpdesk_ticket_material", "date"):
        sql.create_column(cr, "helpdesk_ticket_material", "date", "date")
    cr.execute(
        SQL(
            "UPDATE helpdesk_ticket_material SET date = create_date::date"
            " WHERE date IS NULL AND create_date IS NOT NULL"
        )
    )
    return cr.rowcount
