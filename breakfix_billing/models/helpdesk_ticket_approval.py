# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import binascii

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import consteq, format_amount

from .constants import MAX_AMOUNT, PRICE_GROUPS, STAFF

BREAKFIX_APPROVAL_STATES = [
    ("none", "Not requested"),
    ("requested", "Waiting for the customer"),
    ("approved", "Approved by the customer"),
    ("declined", "Declined by the customer"),
]
# What a customer types on the portal, at most.
MAX_SIGNATURE_BYTES = 1024 * 1024
MAX_NAME_LENGTH = 128
MAX_PO_LENGTH = 64
MAX_REASON_LENGTH = 2000


def _is_png(signature):
    """Whether ``signature`` (base64) is a PNG image of a sane size, as the
    signature widget draws it."""
    if not signature or len(signature) > MAX_SIGNATURE_BYTES * 4 // 3 + 4:
        return False
    try:
        data = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    return data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) <= MAX_SIGNATURE_BYTES


class HelpdeskTicketApproval(models.Model):
    """The customer's consent (SPEC §11): a technician or a billing manager
    asks the customer to approve the estimate, or a new amount with a
    reason; the customer accepts on the ticket's portal page (name, drawn
    signature, purchase order) or declines with a reason."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    breakfix_approval_state = fields.Selection(
        selection=BREAKFIX_APPROVAL_STATES,
        string="Customer Approval",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        groups=PRICE_GROUPS,
    )
    breakfix_approval_amount = fields.Monetary(
        string="Amount to Approve",
        currency_field="breakfix_currency_id",
        readonly=True,
        copy=False,
        help="The amount (untaxed) the customer was asked to approve, frozen "
        "when asked.",
        groups=PRICE_GROUPS,
    )
    breakfix_approval_reason = fields.Text(
        string="Why",
        readonly=True,
        copy=False,
        help="Why the work needs this amount, as the customer reads it.",
        groups=PRICE_GROUPS,
    )
    breakfix_approval_signed_by = fields.Char(
        string="Approved By", readonly=True, copy=False, groups=PRICE_GROUPS
    )
    # an attachment, read by internal users only
    breakfix_approval_signature = fields.Image(
        string="Signature",
        readonly=True,
        copy=False,
        attachment=True,
        max_width=1024,
        max_height=1024,
        groups="base.group_user",
    )
    breakfix_approval_date = fields.Datetime(
        string="Answered On", readonly=True, copy=False, groups=PRICE_GROUPS
    )
    breakfix_approval_ip = fields.Char(
        string="Answered From", readonly=True, copy=False, groups=PRICE_GROUPS
    )
    breakfix_approval_decline_reason = fields.Text(
        string="Declined Because", readonly=True, copy=False, groups=PRICE_GROUPS
    )
    breakfix_approval_warning = fields.Char(
        string="Approval Warning",
        compute="_compute_breakfix_approval_warning",
        groups=PRICE_GROUPS,
    )
    breakfix_customer_po = fields.Char(
        string="Customer PO",
        copy=False,
        tracking=True,
        help="The customer's purchase order number: it goes into the "
        "reference of the ticket's invoices.",
        groups=PRICE_GROUPS,
    )

    @api.depends(
        "breakfix_approval_state",
        "breakfix_approval_amount",
        "breakfix_estimate_used",
    )
    def _compute_breakfix_approval_warning(self):
        for ticket in self:
            ticket.breakfix_approval_warning = ticket._breakfix_approval_warning()

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("breakfix_customer_po")
    def _check_breakfix_customer_po(self):
        for ticket in self:
            if len(ticket.breakfix_customer_po or "") > MAX_PO_LENGTH:
                raise ValidationError(
                    self.env._(
                        "The purchase order number of ticket %(ticket)s is too "
                        "long: at most %(max)s characters.",
                        ticket=ticket.number,
                        max=MAX_PO_LENGTH,
                    )
                )

    @api.onchange("timesheet_ids")
    def _onchange_breakfix_approval_warning(self):
        """Tell the technician logging time that the customer declined, or
        that the work goes past what the customer approved."""
        message = self._breakfix_approval_warning()
        if message:
            return {
                "warning": {
                    "title": self.env._("Customer approval"),
                    "message": message,
                }
            }

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_breakfix_request_approval(self):
        """Open the wizard asking the customer to approve the estimate or a
        new amount."""
        self.ensure_one()
        self._breakfix_check_may_ask()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Ask the customer to approve"),
            "res_model": "breakfix.approval.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_approval_default_amount(self):
        """What the customer is asked to approve by default: the estimate,
        else the work so far."""
        self.ensure_one()
        ticket = self.sudo()
        return ticket.breakfix_estimate_amount or ticket.breakfix_estimate_used

    def _breakfix_needs_new_amount(self):
        """Whether the work has reached the estimate: the customer is asked
        for a new amount, with a reason."""
        self.ensure_one()
        ticket = self.sudo()
        return ticket._breakfix_has_estimate() and ticket.breakfix_estimate_state in (
            "exceeded",
            "approved",
        )

    def _breakfix_check_may_ask(self):
        """Technicians and billing managers ask, on tickets they may
        change."""
        self._breakfix_ensure_role(
            STAFF,
            self.env._(
                "Only break/fix technicians and billing managers can ask a "
                "customer for approval."
            ),
        )
        self._breakfix_check_caller_access("write")

    def _breakfix_request_approval(self, amount, reason=""):
        """Ask the customer to approve ``amount`` (untaxed), for ``reason``:
        frozen on the ticket, emailed with the link to its portal page."""
        self.ensure_one()
        self._breakfix_check_may_ask()
        currency = self.breakfix_currency_id
        if not 0 < amount <= MAX_AMOUNT:
            raise UserError(
                self.env._(
                    "The amount to approve must be more than 0 and at most %(max)s.",
                    max=format_amount(self.env, MAX_AMOUNT, currency),
                )
            )
        if self._breakfix_needs_new_amount() and not (reason or "").strip():
            raise UserError(
                self.env._(
                    "The work has reached the estimate of ticket %(ticket)s: say "
                    "why it needs the new amount.",
                    ticket=self.number,
                )
            )
        if not self.partner_id.email:
            raise UserError(
                self.env._(
                    "Ticket %(ticket)s's customer contact has no email address to "
                    "ask for approval.",
                    ticket=self.number,
                )
            )
        ticket = self.sudo()
        ticket.write(
            {
                "breakfix_approval_state": "requested",
                "breakfix_approval_amount": amount,
                "breakfix_approval_reason": (reason or "").strip() or False,
                "breakfix_approval_signed_by": False,
                "breakfix_approval_signature": False,
                "breakfix_approval_date": False,
                "breakfix_approval_ip": False,
                "breakfix_approval_decline_reason": False,
            }
        )
        template = self.env.ref("breakfix_billing.mail_template_approval_request")
        # as the one who asks; a note, so that only the customer's contact
        # gets the link with its access token, not the followers
        ticket.with_user(self.env.user).message_post_with_source(
            template, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        return True

    def _breakfix_may_answer(self, user, access_token=None):
        """Whether ``user`` may answer the ticket's approval request: a
        person of the ticket's customer (logged in, the token changes
        nothing: an internal user or another customer's never answers), or
        a visitor who is not logged in holding the ticket's access token."""
        self.ensure_one()
        ticket = self.sudo()
        if user._is_public():
            return bool(
                access_token
                and ticket.access_token
                and consteq(ticket.access_token, access_token)
            )
        return user.share and ticket._breakfix_portal_shows_charges(user)

    def _breakfix_check_answerable(self):
        self.ensure_one()
        if self.sudo().breakfix_approval_state != "requested":
            raise AccessError(
                self.env._("This request was answered already, or withdrawn.")
            )

    def _breakfix_approve(
        self, name, signature, po=None, ip=None, author=None, amount=None
    ):
        """The customer approves: the amount becomes the ticket's estimate
        (the customer's approval of an overrun), the purchase order goes on
        the invoices; ``author``, the partner who answered, says so in the
        chatter."""
        self.ensure_one()
        self._breakfix_check_answerable()
        ticket = self.sudo()
        # the customer approves the amount the page showed them
        if amount is not None and ticket.breakfix_currency_id.compare_amounts(
            amount, ticket.breakfix_approval_amount
        ):
            raise UserError(
                self.env._(
                    "The amount asked for changed since the page was opened: read "
                    "it again before you approve."
                )
            )
        name = (name or "").strip()
        if not name or len(name) > MAX_NAME_LENGTH:
            raise UserError(self.env._("Type your name to approve."))
        if not _is_png(signature):
            raise UserError(self.env._("Sign to approve."))
        po = (po or "").strip()
        if len(po) > MAX_PO_LENGTH:
            raise UserError(
                self.env._(
                    "The purchase order number is too long: at most %(max)s "
                    "characters.",
                    max=MAX_PO_LENGTH,
                )
            )
        amount = ticket.breakfix_approval_amount
        values = {
            "breakfix_approval_state": "approved",
            "breakfix_approval_signed_by": name,
            "breakfix_approval_signature": signature,
            "breakfix_approval_date": fields.Datetime.now(),
            "breakfix_approval_ip": ip,
            "breakfix_estimate_amount": amount,
        }
        if po:
            values["breakfix_customer_po"] = po
        ticket.write(values)
        ticket.message_post(
            body=self.env._(
                "%(name)s approved %(amount)s for this ticket on the customer's "
                "behalf%(po)s.",
                name=name,
                amount=format_amount(self.env, amount, ticket.breakfix_currency_id),
                po=self.env._(", purchase order %(po)s", po=po) if po else "",
            ),
            subtype_xmlid="mail.mt_note",
            author_id=author.id if author else None,
        )
        return True

    def _breakfix_decline(self, reason, ip=None, author=None):
        """The customer declines, saying why: the technicians are warned."""
        self.ensure_one()
        self._breakfix_check_answerable()
        reason = (reason or "").strip()
        if not reason or len(reason) > MAX_REASON_LENGTH:
            raise UserError(self.env._("Say why you decline."))
        ticket = self.sudo()
        ticket.write(
            {
                "breakfix_approval_state": "declined",
                "breakfix_approval_decline_reason": reason,
                "breakfix_approval_date": fields.Datetime.now(),
                "breakfix_approval_ip": ip,
            }
        )
        ticket.message_post(
            body=self.env._(
                "The customer declined %(amount)s: %(reason)s",
                amount=format_amount(
                    self.env,
                    ticket.breakfix_approval_amount,
                    ticket.breakfix_currency_id,
                ),
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
            author_id=author.id if author else None,
        )
        return True

    def _breakfix_approval_warning(self):
        """The warning for whoever logs time on the ticket: the customer
        declined, or the work is past the amount approved; else ""."""
        self.ensure_one()
        ticket = self.sudo()
        state = ticket.breakfix_approval_state
        if state == "declined":
            return self.env._(
                "The customer declined this ticket's amount: %(reason)s Check with "
                "a billing manager before logging more time.",
                reason=ticket.breakfix_approval_decline_reason or "",
            )
        if state == "approved":
            currency = ticket.breakfix_currency_id
            work = ticket.breakfix_estimate_used
            if currency.compare_amounts(work, ticket.breakfix_approval_amount) > 0:
                return self.env._(
                    "The work (%(work)s) is past what the customer approved "
                    "(%(approved)s): ask the customer to approve a new amount.",
                    work=format_amount(self.env, work, currency),
                    approved=format_amount(
                        self.env, ticket.breakfix_approval_amount, currency
                    ),
                )
        return ""

    def _breakfix_invoice_po_suffix(self):
        """What the ticket's purchase order adds to its invoices' reference."""
        self.ensure_one()
        po = self.sudo().breakfix_customer_po
        return f" · PO {po}" if po else ""

    # ------------------------------------------------------------------
    # The portal
    # ------------------------------------------------------------------

    def _breakfix_portal_approval(self, user, access_token=None):
        """What the ticket's portal page shows of its approval to ``user``
        (or a visitor with ``access_token``): the request and the rate
        terms, the form when they may answer, the answer given; and the
        meter of the work against the amount approved. False: nothing."""
        self.ensure_one()
        ticket = self.sudo()
        if not ticket._breakfix_may_answer(user, access_token):
            return False
        state = ticket.breakfix_approval_state
        currency = ticket.breakfix_currency_id
        approved = ticket.breakfix_approval_amount if state == "approved" else 0.0
        limit = approved or ticket.breakfix_estimate_amount
        meter = False
        if (
            ticket.team_id.breakfix_portal_show_draft
            and not ticket.stage_id.closed
            and currency.compare_amounts(limit, 0.0) > 0
        ):
            used = ticket.breakfix_estimate_used
            meter = {
                "used": used,
                "limit": limit,
                "percent": int(used * 100 / limit),
                "over": currency.compare_amounts(used, limit) > 0,
            }
        if state == "none" and not meter:
            return False
        return {
            "state": state,
            "state_label": dict(
                self._fields["breakfix_approval_state"]._description_selection(self.env)
            )[state],
            "amount": ticket.breakfix_approval_amount,
            "reason": ticket.breakfix_approval_reason,
            "signed_by": ticket.breakfix_approval_signed_by,
            "date": ticket.breakfix_approval_date,
            "decline_reason": ticket.breakfix_approval_decline_reason,
            "po": ticket.breakfix_customer_po,
            "currency": currency,
            "terms": ticket._breakfix_portal_rate_terms()
            if state == "requested"
            else [],
            "accept_url": f"/my/ticket/{ticket.id}/breakfix/accept",
            "decline_url": f"/my/ticket/{ticket.id}/breakfix/decline",
            "access_token": access_token or "",
            # the signature widget draws from a name: the contact's, at first
            "default_name": (
                ticket.partner_id if user._is_public() else user.partner_id
            ).name
            or "",
            "meter": meter,
        }

    def _breakfix_portal_rate_terms(self):
        """The rate card's main terms, as the customer reads them before
        approving: ``[(label, value)]``."""
        self.ensure_one()
        card = self.sudo().breakfix_rate_card_id
        if not card:
            return []
        currency = card.currency_id
        money = lambda amount: format_amount(self.env, amount, currency)  # noqa: E731
        terms = [
            (
                line.work_type_id.name,
                self.env._("%(rate)s an hour", rate=money(line.hourly_rate)),
            )
            for line in card.line_ids
            if not line.employee_id
        ]
        terms.append(
            (
                self.env._("Rounding"),
                self.env._("to %(minutes)s minutes", minutes=card.rounding_minutes),
            )
        )
        if card.minimum_minutes:
            terms.append(
                (
                    self.env._("Minimum"),
                    self.env._(
                        "%(minutes)s minutes a ticket", minutes=card.minimum_minutes
                    ),
                )
            )
        for label, factor in (
            (self.env._("After hours"), card.after_hours_factor),
            (self.env._("Weekends"), card.weekend_factor),
            (self.env._("Holidays"), card.holiday_factor),
            (self.env._("Emergencies"), card.emergency_factor),
        ):
            if factor and factor != 1.0:
                terms.append((label, f"×{factor:.2f}".rstrip("0").rstrip(".")))
        for label, fee in (
            (self.env._("Emergency call-out fee"), card.callout_fee),
            (self.env._("Trip fee, a day on site"), card.trip_fee),
        ):
            if fee:
                terms.append((label, money(fee)))
        return terms
