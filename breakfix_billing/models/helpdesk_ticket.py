# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .constants import MANAGER, MANAGERS, MAX_AMOUNT, NOBODY, PRICE_GROUPS, STAFF
from .field_changes import changed_fields

# Ticket fields that price its work: locked once some of it is invoiced.
BREAKFIX_LOCKED_FIELDS = (
    "breakfix_policy",
    "breakfix_rate_card_id",
    "breakfix_emergency",
    "breakfix_onsite",
)


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "breakfix.field.access"]

    # What decides the price is the billing managers'; what follows from the
    # rules, the invoices and the decisions is kept by the addon.
    _breakfix_field_writers = {
        "breakfix_policy": MANAGERS,
        "breakfix_policy_manual": NOBODY,
        "breakfix_policy_decided_by_id": NOBODY,
        "breakfix_coverage_id": NOBODY,
        "breakfix_repeat_of_id": NOBODY,
        "breakfix_estimate_amount": MANAGERS,
        "breakfix_overrun_approved_by_id": NOBODY,
        "breakfix_overrun_approved_date": NOBODY,
        # the customer's answer is the portal's (the approval's own code)
        "breakfix_approval_state": NOBODY,
        "breakfix_approval_amount": NOBODY,
        "breakfix_approval_reason": NOBODY,
        "breakfix_approval_signed_by": NOBODY,
        "breakfix_approval_signature": NOBODY,
        "breakfix_approval_date": NOBODY,
        "breakfix_approval_ip": NOBODY,
        "breakfix_approval_decline_reason": NOBODY,
        "breakfix_customer_po": MANAGERS,
        "breakfix_emergency": STAFF,
        "breakfix_onsite": STAFF,
        "breakfix_rate_card_id": MANAGERS,
        "breakfix_currency_id": NOBODY,
        "breakfix_material_ids": STAFF,
        "breakfix_invoice_line_ids": NOBODY,
        "breakfix_invoice_status": NOBODY,
        "breakfix_last_draft_attempt": NOBODY,
    }
    _breakfix_field_bounds = {
        "breakfix_estimate_amount": (None, MAX_AMOUNT),
    }

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    breakfix_rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        string="Rate Card",
        compute="_compute_breakfix_rate_card_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The customer's rate card, else the company's default one.",
        groups=PRICE_GROUPS,
    )
    breakfix_currency_id = fields.Many2one(
        comodel_name="res.currency",
        string="Billing Currency",
        compute="_compute_breakfix_currency_id",
        store=True,
        precompute=True,
    )
    breakfix_is_manager = fields.Boolean(compute="_compute_breakfix_is_manager")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_breakfix_rate_card_id(self):
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # the invoiced work was priced with this rate card
            company = ticket.company_id or self.env.company
            if ticket.partner_id:
                rate_card = ticket.partner_id._breakfix_get_rate_card(company)
            else:
                rate_card = company.breakfix_rate_card_id
            ticket.breakfix_rate_card_id = rate_card

    @api.depends("breakfix_rate_card_id.currency_id", "company_id")
    def _compute_breakfix_currency_id(self):
        for ticket in self:
            ticket.breakfix_currency_id = (
                ticket.breakfix_rate_card_id.currency_id
                or (ticket.company_id or self.env.company).currency_id
            )

    @api.depends_context("uid")
    def _compute_breakfix_is_manager(self):
        self.breakfix_is_manager = self._breakfix_user_is_manager()

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains(
        "company_id",
        "breakfix_rate_card_id",
        "breakfix_coverage_id",
        "breakfix_repeat_of_id",
    )
    def _check_breakfix_company(self):
        # helpdesk.ticket does not check companies on its own writes
        self._check_company(
            ["breakfix_rate_card_id", "breakfix_coverage_id", "breakfix_repeat_of_id"]
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        if self.env.su or self._breakfix_user_is_manager():
            tickets.browse(
                ticket.id
                for ticket, vals in zip(tickets, vals_list, strict=True)
                if "breakfix_policy" in vals
            )._breakfix_flag_manual_policy()
        return tickets

    def write(self, vals):
        self._breakfix_check_locked_fields(vals)
        closing = "stage_id" in vals and self.filtered(
            lambda ticket: not ticket.stage_id.closed
        )
        # the web client writes the policy back with every save: only a
        # billing manager's change of it is a decision
        decided = self.browse()
        if "breakfix_policy" in vals and (
            self.env.su or self._breakfix_user_is_manager()
        ):
            decided = self.filtered(
                lambda ticket: ticket.breakfix_policy != vals["breakfix_policy"]
            )
        # a new estimate is a new promise: an overrun approved for the old one
        # does not carry over
        reestimated = self.env["helpdesk.ticket"]
        if "breakfix_estimate_amount" in vals:
            reestimated = self.filtered(
                lambda ticket: (
                    ticket.breakfix_overrun_approved_by_id
                    and ticket.breakfix_currency_id.compare_amounts(
                        ticket.breakfix_estimate_amount,
                        vals["breakfix_estimate_amount"] or 0.0,
                    )
                )
            )
        result = super().write(vals)
        if reestimated:
            reestimated.sudo().write(
                {
                    "breakfix_overrun_approved_by_id": False,
                    "breakfix_overrun_approved_date": False,
                }
            )
        if decided:
            decided._breakfix_flag_manual_policy()
        if closing:
            closing._breakfix_draft_on_close()
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_check_locked_fields(self, vals):
        changed = changed_fields(self, vals, BREAKFIX_LOCKED_FIELDS)
        if not changed:
            return
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has invoiced work: its %(field)s cannot "
                        "change any more. Cancel its invoices first.",
                        ticket=ticket.number,
                        field=self._fields[changed[0]]._description_string(self.env),
                    )
                )

    def _breakfix_has_invoiced_work(self):
        """Whether an invoice (not cancelled, not released) charges this
        ticket's work."""
        self.ensure_one()
        return any(
            line._breakfix_is_charging()
            for line in self.sudo().breakfix_invoice_line_ids
        )

    def _breakfix_has_draft_invoice(self):
        """Whether a draft invoice (drafted, not posted yet) charges this
        ticket's work."""
        return any(
            line.parent_state == "draft" for line in self._breakfix_charging_lines()
        )

    def _breakfix_user_is_manager(self):
        return MANAGER in self._breakfix_user_roles()
