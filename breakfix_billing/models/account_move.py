# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .constants import MANAGERS


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "breakfix.field.access"]

    # the tickets are the invoice lines': nothing of the addon is set here
    _breakfix_field_writers = {}

    breakfix_ticket_ids = fields.Many2many(
        comodel_name="helpdesk.ticket",
        string="Break/fix Tickets",
        compute="_compute_breakfix_ticket_ids",
        search="_search_breakfix_ticket_ids",
    )
    breakfix_ticket_count = fields.Integer(compute="_compute_breakfix_ticket_ids")
    breakfix_can_release = fields.Boolean(
        string="Break/fix Work to Release",
        compute="_compute_breakfix_can_release",
        help="A customer invoice fully reversed by a credit note whose tickets' "
        "work is not released for re-invoicing yet.",
    )

    @api.depends("invoice_line_ids.breakfix_ticket_id")
    def _compute_breakfix_ticket_ids(self):
        for move in self:
            move.breakfix_ticket_ids = move.invoice_line_ids.breakfix_ticket_id
            move.breakfix_ticket_count = len(move.breakfix_ticket_ids)

    @api.depends(
        "move_type",
        "payment_state",
        "invoice_line_ids.breakfix_ticket_id",
        "invoice_line_ids.breakfix_prepaid_usage_ids",
        "invoice_line_ids.breakfix_released",
    )
    def _compute_breakfix_can_release(self):
        for move in self:
            move.breakfix_can_release = bool(
                move.move_type == "out_invoice"
                and move.payment_state == "reversed"
                and move._breakfix_lines_to_release()
            )

    def _search_breakfix_ticket_ids(self, operator, value):
        return [("invoice_line_ids.breakfix_ticket_id", operator, value)]

    def _post(self, soft=True):
        # Odoo dates an invoice posted without a date on the poster's day: a
        # break/fix one on its company's day, as its draft was dated.  (Its
        # lines' tickets, not breakfix_ticket_ids: finance may not read them.)
        for move in self:
            if (
                move.move_type in ("out_invoice", "out_refund")
                and not move.invoice_date
                and move.invoice_line_ids.breakfix_ticket_id
            ):
                move.invoice_date = move.company_id._breakfix_today()
        return super()._post(soft=soft)

    def button_cancel(self):
        # A cancelled invoice charges nothing: its work can be invoiced again.
        self.line_ids._breakfix_release_sources()
        return super().button_cancel()

    def button_draft(self):
        for move in self:
            if move.state == "cancel" and move.breakfix_ticket_ids:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s of ticket %(tickets)s was cancelled and "
                        "its work released: draft a new invoice from the ticket "
                        "instead.",
                        invoice=move.display_name,
                        tickets=", ".join(move.breakfix_ticket_ids.mapped("number")),
                    )
                )
        return super().button_draft()

    def action_breakfix_release(self):
        """Let the tickets of a credited invoice invoice its work again.

        A credit note settles a charge and does not release it on its own; a
        billing manager decides that the work should be invoiced anew.
        """
        self._breakfix_ensure_role(
            MANAGERS,
            self.env._("Only break/fix billing managers can release invoiced work."),
        )
        self._breakfix_check_caller_access("write")
        for move in self:
            if move.move_type != "out_invoice" or move.payment_state != "reversed":
                raise UserError(
                    self.env._(
                        "Only a customer invoice fully reversed by a credit note can "
                        "be released; %(invoice)s is not.",
                        invoice=move.display_name,
                    )
                )
            if not move._breakfix_lines_to_release():
                raise UserError(
                    self.env._(
                        "%(invoice)s has no tickets' work left to release: it was "
                        "released already.",
                        invoice=move.display_name,
                    )
                )
        lines = self._breakfix_lines_to_release()
        lines._breakfix_release_sources()
        lines.sudo().breakfix_released = True
        for ticket in lines.breakfix_ticket_id:
            ticket.message_post(
                body=self.env._(
                    "Work invoiced on %(invoices)s was released for re-invoicing by "
                    "%(user)s.",
                    invoices=", ".join(self.mapped("display_name")),
                    user=self.env.user.name,
                )
            )
        return True

    def _breakfix_lines_to_release(self):
        """The invoices' lines of tickets' work not released yet (a monthly
        invoice's prepaid draws are of no one ticket)."""
        return self.invoice_line_ids.filtered(
            lambda line: (
                (line.breakfix_ticket_id or line.breakfix_prepaid_usage_ids)
                and not line.breakfix_released
            )
        )

    def action_breakfix_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("id", "in", self.breakfix_ticket_ids.ids)]
        if len(self.breakfix_ticket_ids) == 1:
            action.update(views=[(False, "form")], res_id=self.breakfix_ticket_ids.id)
        return action
