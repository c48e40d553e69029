# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from markupsafe import escape

from odoo import models
from odoo.tools.misc import formatLang

# a summary names at most this many tickets of each kind, then a count
SUMMARY_MAX_TICKETS = 20


class HelpdeskTicketDraftingFeedback(models.Model):
    """What a drafting run tells people: a note on each ticket, a summary to
    whoever drafted (notification, with links), a message to whoever closed."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _breakfix_log_drafted(self, invoices):
        """Note on each ticket of ``self`` the invoice drafted for it."""
        bodies = {}
        for invoice in invoices:
            for ticket, lines in invoice.invoice_line_ids.grouped(
                "breakfix_ticket_id"
            ).items():
                if ticket not in self:
                    continue
                amount = formatLang(
                    self.env,
                    sum(lines.mapped("price_subtotal")),
                    currency_obj=invoice.currency_id,
                )
                bodies[ticket.id] = escape(
                    self.env._(
                        "Invoice drafted: %(invoice)s, %(amount)s untaxed, for "
                        "finance to confirm."
                    )
                ) % {"invoice": invoice._get_html_link(), "amount": amount}
        if bodies:
            self.browse(bodies)._message_log_batch(bodies=bodies)

    def _breakfix_post_not_drafted(self, reason):
        self.message_post(
            body=self.env._("No invoice drafted: %(reason)s", reason=reason)
        )

    def _breakfix_drafting_summary(self, invoices, skipped, with_links=True):
        """``(message, links)`` saying what a drafting run over ``self`` did:
        the tickets drafted, those skipped and why, those with nothing to
        invoice. ``with_links``, each skipped ticket is a ``%s`` of
        ``message`` and a link (as notification actions show them); else its
        number."""
        # a billing manager may draft without reading invoices
        drafted_ids = set(invoices.sudo().invoice_line_ids.breakfix_ticket_id.ids)
        drafted = self.filtered(lambda ticket: ticket.id in drafted_ids)
        nothing = self - drafted - self.browse([ticket.id for ticket in skipped])
        parts, links = [], []
        if drafted:
            parts.append(
                self.env._(
                    "%(count)s invoice(s) drafted, for finance to confirm: "
                    "%(tickets)s.",
                    count=len(invoices),
                    tickets=self._breakfix_numbers(drafted),
                )
            )
        if skipped:
            shown = list(skipped.items())[:SUMMARY_MAX_TICKETS]
            reasons = "; ".join(
                f"{'%s' if with_links else ticket.number}: {reason}"
                for ticket, reason in shown
            )
            parts.append(self.env._("Not drafted: %(reasons)s", reasons=reasons))
            links = [
                {"label": ticket.number, "url": f"/odoo/helpdesk.ticket/{ticket.id}"}
                for ticket, _reason in shown
                if with_links
            ]
            if len(skipped) > len(shown):
                parts.append(
                    self.env._("… and %(count)s more.", count=len(skipped) - len(shown))
                )
        if nothing:
            parts.append(
                self.env._(
                    "Nothing to invoice on %(tickets)s: its work is drafted "
                    "already, or not billable.",
                    tickets=self._breakfix_numbers(nothing),
                )
            )
        return " ".join(parts), links

    def _breakfix_numbers(self, tickets):
        numbers = tickets[:SUMMARY_MAX_TICKETS].mapped("number")
        if len(tickets) > SUMMARY_MAX_TICKETS:
            numbers.append(
                self.env._("%(count)s more", count=len(tickets) - SUMMARY_MAX_TICKETS)
            )
        return ", ".join(numbers)

    def _breakfix_invoicing_summary_action(self, invoices, skipped):
        """The answer to a click on Draft: a summary notification, then the
        drafted invoices (or back to where the click came from)."""
        message, links = self._breakfix_drafting_summary(invoices, skipped)
        if invoices:
            following = self.env["ir.actions.act_window"]._for_xml_id(
                "account.action_move_out_invoice_type"
            )
            following["domain"] = [("id", "in", invoices.ids)]
            following["context"] = {"default_move_type": "out_invoice"}
            if len(invoices) == 1:
                following.update(views=[(False, "form")], res_id=invoices.id)
        else:
            # stay where the click came from, reloaded: no empty invoice list
            following = {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Break/fix invoicing"),
                "message": message,
                "links": links,
                "type": "warning" if skipped or not invoices else "success",
                "sticky": bool(skipped),
                "next": following,
            },
        }

    def _breakfix_notify_drafted_on_close(self, invoices, skipped):
        """Tell the person who closed the tickets what drafting did."""
        if not (invoices or skipped):
            return
        message, _links = self._breakfix_drafting_summary(
            invoices, skipped, with_links=False
        )
        self.env.user._bus_send(
            "simple_notification",
            {
                "title": self.env._("Break/fix invoicing"),
                "message": message,
                "type": "warning" if skipped else "success",
                "sticky": bool(skipped),
            },
        )
