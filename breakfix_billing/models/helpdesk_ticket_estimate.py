# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

from .. import pricing
from .constants import BREAKFIX_ESTIMATE_STATES, MANAGERS, PRICE_GROUPS

# The share of the estimate from which the technicians are warned.
ESTIMATE_WARNING_PERCENT = 80


class HelpdeskTicketEstimate(models.Model):
    """The estimate (not to exceed) of a ticket: the warnings as its work uses it
    up, the approval of an overrun, and the adjustment that keeps the invoices
    within it."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    breakfix_estimate_amount = fields.Monetary(
        string="Estimate (not to exceed)",
        currency_field="breakfix_currency_id",
        tracking=True,
        copy=False,
        help="What the customer was told the ticket would cost at most (untaxed). "
        "The invoices never charge more, unless a billing manager approves the "
        "overrun. 0: no estimate.",
        groups=PRICE_GROUPS,
    )
    breakfix_overrun_approved_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Overrun Approved By",
        readonly=True,
        copy=False,
        tracking=True,
        groups=PRICE_GROUPS,
    )
    breakfix_overrun_approved_date = fields.Datetime(
        string="Overrun Approved On",
        readonly=True,
        copy=False,
        tracking=True,
        groups=PRICE_GROUPS,
    )

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("breakfix_estimate_amount")
    def _check_breakfix_estimate_amount(self):
        for ticket in self:
            currency = ticket.breakfix_currency_id
            if currency.compare_amounts(ticket.breakfix_estimate_amount, 0.0) < 0:
                raise ValidationError(
                    self.env._(
                        "The estimate of ticket %(ticket)s cannot be negative "
                        "(%(amount)s). Leave it at 0 for no estimate.",
                        ticket=ticket.number,
                        amount=format_amount(
                            self.env, ticket.breakfix_estimate_amount, currency
                        ),
                    )
                )

    @api.onchange("timesheet_ids")
    def _onchange_breakfix_estimate_warning(self):
        """Tell the technician logging time that the estimate is running out."""
        message = self._breakfix_estimate_crossing(self._origin.breakfix_estimate_state)
        if message:
            return {
                "warning": {
                    "title": self.env._("Estimate"),
                    "message": message,
                }
            }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_breakfix_approve_overrun(self):
        """Let the tickets invoice their work in full, beyond their estimate."""
        self._breakfix_ensure_role(
            MANAGERS,
            self.env._(
                "Only break/fix billing managers can approve an overrun of the "
                "estimate."
            ),
        )
        for ticket in self:
            if not ticket._breakfix_has_estimate():
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s has no estimate to overrun.",
                        ticket=ticket.number,
                    )
                )
        self._breakfix_check_caller_access("write")
        self.sudo().write(
            {
                "breakfix_overrun_approved_by_id": self.env.uid,
                "breakfix_overrun_approved_date": fields.Datetime.now(),
            }
        )
        for ticket in self:
            ticket.message_post(
                body=self.env._(
                    "%(user)s approved going beyond the estimate of %(estimate)s: "
                    "the work is invoiced in full.",
                    user=self.env.user.name,
                    estimate=format_amount(
                        self.env,
                        ticket.breakfix_estimate_amount,
                        ticket.breakfix_currency_id,
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_store_estimate_usage(self, work):
        self.breakfix_estimate_used = float(work)
        if not self._breakfix_has_estimate():
            self.breakfix_estimate_percent = 0.0
            self.breakfix_estimate_state = "none"
            return
        estimate = self.breakfix_estimate_amount
        compare = self.breakfix_currency_id.compare_amounts
        self.breakfix_estimate_percent = float(work) * 100 / estimate
        if self.breakfix_overrun_approved_by_id:
            # the estimate no longer caps the invoices: nothing to warn about
            self.breakfix_estimate_state = "approved"
        elif compare(float(work), estimate) >= 0:
            self.breakfix_estimate_state = "exceeded"
        elif compare(float(work), estimate * ESTIMATE_WARNING_PERCENT / 100) >= 0:
            self.breakfix_estimate_state = "warning"
        else:
            self.breakfix_estimate_state = "ok"

    def _breakfix_has_estimate(self):
        self.ensure_one()
        return (
            self.breakfix_currency_id.compare_amounts(
                self.breakfix_estimate_amount, 0.0
            )
            > 0
        )

    def _breakfix_estimate_crossing(self, previous_state):
        """The warning for a technician whose work took the ticket from
        ``previous_state`` over 80 % or 100 % of its estimate; else ""."""
        self.ensure_one()
        levels = [state for state, _label in BREAKFIX_ESTIMATE_STATES]
        state = self.breakfix_estimate_state
        if (
            state not in ("warning", "exceeded")
            or self.breakfix_overrun_approved_by_id
            or levels.index(state) <= levels.index(previous_state or "none")
        ):
            return ""
        currency = self.breakfix_currency_id
        used = format_amount(self.env, self.breakfix_estimate_used, currency)
        estimate = format_amount(self.env, self.breakfix_estimate_amount, currency)
        if state == "warning":
            return self.env._(
                "%(percent)s %% of the estimate is used: %(used)s of %(estimate)s. "
                "If the work needs more, ask a billing manager to raise the "
                "estimate before it is used up.",
                percent=int(self.breakfix_estimate_percent),
                used=used,
                estimate=estimate,
            )
        return self.env._(
            "The estimate is used up: %(used)s of work for an estimate of "
            "%(estimate)s. The customer is not invoiced beyond the estimate unless "
            "a billing manager approves the overrun. Ask a billing manager to "
            "approve the overrun or raise the estimate before logging more time.",
            used=used,
            estimate=estimate,
        )

    def _breakfix_estimate_states(self):
        """``{ticket: estimate state}`` of the tickets with an estimate to
        watch, before their work changes (see ``_breakfix_post_estimate_crossings``)."""
        return {
            ticket: ticket.breakfix_estimate_state
            for ticket in self.sudo()
            if ticket._breakfix_has_estimate()
            and not ticket.breakfix_overrun_approved_by_id
        }

    @api.model
    def _breakfix_post_estimate_crossings(self, previous_states):
        """Post a note on each ticket whose work just crossed 80 % or 100 % of
        its estimate: the technicians following it see it in the chatter."""
        for ticket, previous_state in previous_states.items():
            message = ticket._breakfix_estimate_crossing(previous_state)
            if message:
                ticket.message_post(body=message, subtype_xmlid="mail.mt_note")

    def _breakfix_not_to_exceed_line(self, result, due, invoiced):
        """The not-to-exceed adjustment of the next draft (see
        ``pricing.not_to_exceed_amount``), or None."""
        self.ensure_one()
        if result.rules is None or not self._breakfix_is_billable():
            return None
        due_amount = sum((line.amount for line in due), pricing.ZERO)
        return pricing.not_to_exceed_line(
            result.rules,
            estimate=self.breakfix_estimate_amount,
            work=invoiced.work + due_amount,
            adjusted=invoiced.adjusted,
            due=due_amount,
            approved=bool(self.breakfix_overrun_approved_by_id),
            translate=self.env._,
        )

    def _breakfix_has_reversal_due(self):
        """Whether the next draft gives back adjustments its invoices took
        off (the estimate raised or removed, the overrun approved), with no
        work to invoice."""
        self.ensure_one()
        if not self._breakfix_is_billable():
            return False
        invoiced = self._breakfix_invoiced_amounts()
        if not invoiced.adjusted:
            return False
        reversal = pricing.not_to_exceed_amount(
            self.breakfix_estimate_amount,
            work=invoiced.work,
            adjusted=invoiced.adjusted,
            due=pricing.ZERO,
            approved=bool(self.breakfix_overrun_approved_by_id),
        )
        return self.breakfix_currency_id.compare_amounts(float(reversal), 0.0) > 0
