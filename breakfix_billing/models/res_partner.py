# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import (
    INVOICING_MODES,
    INVOICING_MONTHLY,
    MANAGERS,
    MAX_DISTANCE_KM,
    NOBODY,
)

# Set on the commercial partner, followed by its contacts.
COMMERCIAL_FIELDS = (
    "breakfix_rate_card_id",
    "breakfix_invoicing_mode",
    "breakfix_monthly_cap",
)


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "breakfix.field.access"]

    _breakfix_field_writers = {
        "breakfix_rate_card_id": MANAGERS,
        "breakfix_invoicing_mode": MANAGERS,
        # the customer raises its cap from the portal through its own form
        "breakfix_monthly_cap": MANAGERS,
        "breakfix_cap_alert_level": NOBODY,
        "breakfix_cap_alert_month": NOBODY,
        "breakfix_distance_km": MANAGERS,
    }
    _breakfix_field_bounds = {"breakfix_distance_km": (0, MAX_DISTANCE_KM)}

    # Company-dependent: a customer shared between companies has its own price
    # agreement with each of them, like its pricelist or payment terms.
    breakfix_rate_card_id = fields.Many2one(
        comodel_name="breakfix.rate.card",
        string="Break/fix Rate Card",
        company_dependent=True,
        check_company=True,
        groups="base.group_user",
        help="Prices the break/fix work done for this customer and its contacts. "
        "Empty: the company's default rate card applies.",
    )

    # Company-dependent too: its default is the company's invoicing mode.
    breakfix_invoicing_mode = fields.Selection(
        selection=INVOICING_MODES,
        string="Break/fix Invoicing",
        company_dependent=True,
        groups="base.group_user",
        help="One invoice per ticket, drafted when it closes; or one invoice "
        "for all the tickets of a month, a section per ticket, drafted on "
        "the first of the next month.",
    )

    breakfix_distance_km = fields.Float(
        string="Break/fix Distance (km)",
        digits=(16, 1),
        groups="base.group_user",
        help="The round trip to this site, in kilometres: on-site days charge "
        "it at the rate card's mileage rate. A contact without one takes its "
        "company's.",
    )

    breakfix_coverage_count = fields.Integer(
        string="Coverage Count",
        compute="_compute_breakfix_coverage_count",
        groups="breakfix_billing.group_breakfix_technician",
    )

    breakfix_prepaid_block_count = fields.Integer(
        string="Prepaid Block Count",
        compute="_compute_breakfix_prepaid_block_count",
        groups="breakfix_billing.group_breakfix_technician",
    )

    def _compute_breakfix_prepaid_block_count(self):
        counts = dict(
            self.env["breakfix.prepaid.block"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.breakfix_prepaid_block_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def _compute_breakfix_coverage_count(self):
        counts = dict(
            self.env["breakfix.coverage"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                groupby=["partner_id"],
                aggregates=["__count"],
            )
        )
        for partner in self:
            partner.breakfix_coverage_count = counts.get(
                partner.commercial_partner_id, 0
            )

    @api.constrains("breakfix_rate_card_id")
    def _check_breakfix_rate_card_company(self):
        # res.partner does not check companies on its own writes
        self._check_company(["breakfix_rate_card_id"])

    def write(self, vals):
        # A contact follows its commercial partner's rate card and invoicing
        # mode: Odoo's commercial sync writes them as whoever edits the
        # contact, which is no decision of theirs (the commercial partner's
        # are the ones used).
        for fname in COMMERCIAL_FIELDS:
            if fname not in vals or self._breakfix_may_write(fname):
                continue
            value = vals[fname] or False
            field = self._fields[fname]
            followers = self.filtered(
                lambda partner, field=field, value=value: (
                    partner.commercial_partner_id != partner
                    and field.convert_to_write(
                        partner.commercial_partner_id[field.name], partner
                    )
                    == value
                )
            )
            if followers == self:
                followers.sudo().write({fname: value})
                vals = {key: val for key, val in vals.items() if key != fname}
        return super().write(vals)

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + list(COMMERCIAL_FIELDS)

    def _breakfix_invoiced_monthly(self, company):
        """Whether the customer's tickets with ``company`` are invoiced once
        a month (SPEC §10): the commercial partner's mode for that company,
        else the company's."""
        self.ensure_one()
        customer = self.with_company(company).commercial_partner_id
        return customer.breakfix_invoicing_mode == INVOICING_MONTHLY

    def action_breakfix_view_coverage(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "breakfix_billing.breakfix_coverage_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    def action_breakfix_view_prepaid_blocks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "breakfix_billing.breakfix_prepaid_block_action"
        )
        customer = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action

    def _breakfix_get_rate_card(self, company=None):
        """Return the rate card pricing the work done for this partner.

        The rate card is set on the commercial partner, per company; without
        one, the default rate card of the company applies.

        :param company: company doing the work, the current one by default
        :return: a ``breakfix.rate.card`` record, empty when none applies
        """
        self.ensure_one()
        company = company or self.env.company
        commercial_partner = self.with_company(company).commercial_partner_id
        return commercial_partner.breakfix_rate_card_id or company.breakfix_rate_card_id

    def action_breakfix_managed_comparison(self):
        """Compare the customer's trailing 12 months of break/fix charges
        with its rate card's managed plan."""
        self.ensure_one()
        comparison = self.env["breakfix.managed.comparison"]._breakfix_compare(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "breakfix_billing.breakfix_managed_comparison_action"
        )
        action.update(views=[(False, "form")], res_id=comparison.id)
        return action
