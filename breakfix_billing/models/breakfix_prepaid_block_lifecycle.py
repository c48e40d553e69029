# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command, api, models
from odoo.exceptions import UserError

from .constants import MANAGERS


class BreakfixPrepaidBlockLifecycle(models.Model):
    """A block's life: confirmed, its own invoice drafted (and the block a
    draft again when that invoice is cancelled), used up and active again as
    draws come and go, its alerts, and its expiry by the daily job."""

    _inherit = "breakfix.prepaid.block"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_breakfix_confirm(self):
        """Draft each block's invoice (one "Prepaid support" line at the
        block's price) and make the block active: it is drawn from once
        that invoice is posted."""
        self._breakfix_ensure_role(
            MANAGERS,
            self.env._("Only break/fix billing managers can confirm prepaid blocks."),
        )
        self._breakfix_check_caller_access("write")
        for block in self:
            if block.state != "draft":
                raise UserError(
                    self.env._(
                        "Block “%(block)s” is confirmed already.",
                        block=block.display_name,
                    )
                )
        blocks = self.sudo()
        invoices = (
            self.env["account.move"].sudo().create(blocks._prepare_invoice_vals())
        )
        for block, invoice in zip(blocks, invoices, strict=True):
            block.write({"invoice_id": invoice.id, "state": "active"})
            block.message_post(
                body=self.env._(
                    "Confirmed: invoice %(invoice)s drafted; the block is drawn from "
                    "once it is posted.",
                    invoice=invoice._get_html_link(),
                )
            )
        # a billing manager without invoicing rights stays on the block:
        # finance posts its invoice
        if len(self) == 1 and self.env["account.move"].has_access("read"):
            return self.action_breakfix_view_invoice()
        return True

    def action_breakfix_view_invoice(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(views=[(False, "form")], res_id=self.invoice_id.id)
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _prepare_invoice_vals(self):
        """The values of the blocks' invoices, one each; values only."""
        product = self.env.ref("breakfix_billing.product_breakfix_prepaid")
        vals_list = []
        for block in self:
            company = block.company_id
            journal = self.env["account.journal"].search(
                [
                    *self.env["account.journal"]._check_company_domain(company),
                    ("type", "=", "sale"),
                ],
                limit=1,
            )
            if not journal:
                raise UserError(
                    self.env._(
                        "Company %(company)s has no sales journal to invoice block "
                        "“%(block)s” in.",
                        company=company.name,
                        block=block.display_name,
                    )
                )
            customer = block.partner_id
            partner = customer.browse(customer.address_get(["invoice"])["invoice"])
            vals_list.append(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "journal_id": journal.id,
                    "partner_id": partner.id,
                    "currency_id": block.currency_id.id,
                    "invoice_origin": block.name,
                    "ref": block.name,
                    "invoice_line_ids": [
                        Command.create(block._prepare_invoice_line_vals(product))
                    ],
                }
            )
        return vals_list

    def _prepare_invoice_line_vals(self, product):
        self.ensure_one()
        return {
            "product_id": product.id,
            "name": self.env._(
                "%(product)s: %(block)s (%(size)s)",
                product=product.with_context(lang=self.partner_id.lang).name,
                block=self.name,
                size=self.quantity_text,
            ),
            "quantity": 1.0,
            "price_unit": self.price,
        }

    # ------------------------------------------------------------------
    # Draws, alerts and expiry
    # ------------------------------------------------------------------

    def _breakfix_after_usage(self):
        """After draws were added or given back: the state and the alerts."""
        blocks = self.sudo().exists()
        blocks._breakfix_sync_state()
        blocks._breakfix_check_alerts()

    def _breakfix_sync_state(self):
        """Used up at a zero balance; active again when a draw is given back."""
        for block in self:
            if block.state == "active" and block._breakfix_is_empty():
                block.state = "used"
            elif block.state == "used" and not block._breakfix_is_empty():
                block.state = "active"

    def _breakfix_check_alerts(self):
        """Tell the responsible (a message, an activity) and the customer (an
        email) once when the balance falls to ``alert_percent`` left, and
        once when it reaches 0; a block emptied in one draw only says it is
        used up. A draw given back above a threshold arms its alert again."""
        low_template = self.env.ref("breakfix_billing.mail_template_prepaid_low")
        empty_template = self.env.ref("breakfix_billing.mail_template_prepaid_used")
        for block in self.sudo():
            if block.state == "draft":
                continue
            empty, low = block._breakfix_is_empty(), block._breakfix_is_low()
            if empty and not block.alert_empty_sent:
                block.write({"alert_empty_sent": True, "alert_low_sent": True})
                block._breakfix_alert(
                    empty_template,
                    self.env._("Prepaid block %(block)s is used up", block=block.name),
                )
            elif low and not empty and not block.alert_low_sent:
                block.alert_low_sent = True
                block._breakfix_alert(
                    low_template,
                    self.env._(
                        "Prepaid block %(block)s is running low: %(balance)s left",
                        block=block.name,
                        balance=block.balance_text,
                    ),
                )
            if not empty and block.alert_empty_sent:
                block.alert_empty_sent = False
            if not low and block.alert_low_sent:
                block.alert_low_sent = False

    def _breakfix_alert(self, template, summary):
        """Email the customer with ``template`` (posted on the block) and give
        the responsible an activity."""
        self.ensure_one()
        if self.partner_id.email:
            self.message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        else:
            self.message_post(
                body=self.env._(
                    "%(summary)s. The customer has no email address: not emailed.",
                    summary=summary,
                )
            )
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=self.env._(
                "%(left)s left of %(bought)s. Offer the customer a new block.",
                left=self.balance_text,
                bought=self.quantity_text,
            ),
            user_id=(self.user_id or self.create_uid).id,
        )

    def _breakfix_reopen_extended(self):
        """An expired block whose expiry a manager moved on is active again."""
        for block in self.filtered(lambda block: block.state == "expired"):
            today = block.company_id._breakfix_today()
            if not block.date_to or block.date_to >= today:
                block.sudo().state = "used" if block._breakfix_is_empty() else "active"

    def _breakfix_invoice_cancelled(self):
        """The block's invoice was cancelled or deleted: nothing was sold,
        the block is a draft again (confirm it to invoice it anew)."""
        for block in self.sudo():
            block.write({"state": "draft", "invoice_id": False})
            block.message_post(
                body=self.env._(
                    "Its invoice was cancelled: the block is a draft again."
                )
            )

    @api.model
    def _cron_breakfix_expire(self):
        """Expire the active blocks whose last day was before their company's
        today; what they held is reported as expired unused."""
        self = self.sudo()  # noqa: PLW0642
        active = [("state", "=", "active"), ("date_to", "!=", False)]
        for (company,) in self._read_group(active, ["company_id"]):
            today = company._breakfix_today()
            blocks = self.search(
                [*active, ("company_id", "=", company.id), ("date_to", "<", today)]
            )
            for block in blocks:
                block.state = "expired"
                block.message_post(
                    body=self.env._(
                        "Expired on %(day)s with %(balance)s unused.",
                        day=block.date_to,
                        balance=block.balance_text,
                    )
                )
