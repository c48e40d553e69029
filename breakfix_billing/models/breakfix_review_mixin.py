# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import MANAGERS

BREAKFIX_REVIEW_STATES = [("to_review", "To review"), ("approved", "Approved")]


class BreakfixReviewMixin(models.AbstractModel):
    """Reviewed before invoicing (SPEC §12): the time entries and parts of a
    team that requires review wait for a billing manager's approval; only
    approved ones are invoiced. The models have a ``ticket_id``."""

    _name = "breakfix.review.mixin"
    _description = "Break/fix: Reviewed before Invoicing"

    breakfix_review_state = fields.Selection(
        selection=BREAKFIX_REVIEW_STATES,
        string="Review",
        compute="_compute_breakfix_review_state",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        index=True,
        help="On a team that requires review, only approved work is invoiced.",
    )
    breakfix_reviewed_by_id = fields.Many2one(
        comodel_name="res.users", string="Approved By", readonly=True, copy=False
    )
    breakfix_reviewed_date = fields.Datetime(
        string="Approved On", readonly=True, copy=False
    )

    @api.depends("ticket_id")
    def _compute_breakfix_review_state(self):
        """Work logged on (or moved to) a ticket of a team that requires
        review waits for it."""
        for record in self:
            requires = record.ticket_id.team_id.breakfix_require_review
            record.breakfix_review_state = "to_review" if requires else "approved"

    def action_breakfix_review_approve(self):
        """A billing manager approves the work: it may be invoiced."""
        self._breakfix_ensure_role(
            MANAGERS,
            self.env._(
                "Only break/fix billing managers can approve work for invoicing."
            ),
        )
        self._breakfix_check_caller_access("write")
        self.filtered(
            lambda record: record.breakfix_review_state != "approved"
        ).sudo().write(
            {
                "breakfix_review_state": "approved",
                "breakfix_reviewed_by_id": self.env.uid,
                "breakfix_reviewed_date": fields.Datetime.now(),
            }
        )
        return True

    def _breakfix_review_again(self, vals, fnames):
        """After a write of ``vals``: approved work whose billed values
        (``fnames``) someone other than a billing manager changed waits for
        review again."""
        if (
            self.env.su
            or not any(fname in vals for fname in fnames)
            or self._breakfix_user_roles().intersection(MANAGERS)
        ):
            return
        changed = self.filtered(
            lambda record: (
                record.breakfix_review_state == "approved"
                and record.ticket_id.team_id.breakfix_require_review
            )
        )
        changed.sudo().write(
            {
                "breakfix_review_state": "to_review",
                "breakfix_reviewed_by_id": False,
                "breakfix_reviewed_date": False,
            }
        )

    def _breakfix_is_reviewed(self):
        """Whether the record may be invoiced as far as review goes."""
        self.ensure_one()
        return (
            self.breakfix_review_state == "approved"
            or not self.ticket_id.team_id.breakfix_require_review
        )
