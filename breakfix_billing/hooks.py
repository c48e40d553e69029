# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).


def post_init_hook(env):
    """Price the tickets and time entries that exist before the addon.

    Their rate card and work type were computed when the columns were
    created, before the default rate card and work types were loaded.
    """
    env["res.company"].search([])._breakfix_fill_missing_rate_cards()
    env["helpdesk.ticket.stage"]._breakfix_untick_unbilled_stages()
    timesheets = env["account.analytic.line"].search(
        [("ticket_id", "!=", False), ("breakfix_work_type_id", "=", False)]
    )
    timesheets.modified(["ticket_id"])
