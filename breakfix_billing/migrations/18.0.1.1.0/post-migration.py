# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0: only a billing manager's decision marks a policy as set by hand.

Before, a ticket's policy was manual whenever it differed from the rules,
without being marked so for good: such tickets are flagged now, so that a
pre-existing override survives the rules judging the ticket again.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    flag_manual_policies(api.Environment(cr, SUPERUSER_ID, {}))


def flag_manual_policies(env):
    """Flag the not-invoiced tickets whose policy is not the automatic one;
    return them."""
    tickets = (
        env["helpdesk.ticket"]
        .with_context(active_test=False)
        .search(
            [
                ("breakfix_policy_manual", "=", False),
                ("breakfix_invoice_status", "!=", "invoiced"),
            ]
        )
    )
    overridden = tickets.filtered(
        lambda ticket: (
            not ticket._breakfix_has_invoiced_work()
            and ticket.breakfix_policy != ticket._breakfix_automatic_policy()
        )
    )
    overridden.write({"breakfix_policy_manual": True})
    return overridden
