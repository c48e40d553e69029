# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .constants import MANAGERS

# What decides which tickets a coverage covers.
COVERAGE_SCOPE_FIELDS = (
    "active",
    "company_id",
    "partner_id",
    "date_from",
    "date_to",
    "category_ids",
    "team_ids",
    "tag_ids",
)
# What a coverage may restrict, and the ticket field each one reads.
COVERAGE_DIMENSIONS = (
    ("category_ids", "category_id"),
    ("team_ids", "team_id"),
    ("tag_ids", "tag_ids"),
)


class BreakfixCoverage(models.Model):
    """A customer's managed-services agreement: the tickets it covers are
    not billed.

    A ticket matches when it belongs to the customer and the company, was
    created within the agreement's dates, and matches every dimension the
    agreement fills (its category is one of the categories, its team one of
    the teams, one of its tags one of the tags); an empty dimension matches
    any ticket.
    """

    _name = "breakfix.coverage"
    _description = "Break/fix Managed-services Coverage"
    _inherit = [
        "mail.thread",
        "breakfix.field.access",
        "breakfix.customer.period",
    ]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _breakfix_field_writers = dict.fromkeys(
        (*COVERAGE_SCOPE_FIELDS, "name", "note"), MANAGERS
    )

    name = fields.Char(string="Agreement", required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    partner_id = fields.Many2one(
        help="The customer (commercial partner): the tickets of all its contacts "
        "are covered.",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To", help="Last day covered; empty: open-ended.")
    category_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.category",
        string="Categories",
        check_company=True,
        help="Covered ticket categories; empty: any category.",
    )
    team_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.team",
        string="Teams",
        check_company=True,
        help="Covered helpdesk teams; empty: any team.",
    )
    tag_ids = fields.Many2many(
        comodel_name="helpdesk.ticket.tag",
        string="Tags",
        check_company=True,
        help="A ticket with any of these tags is covered; empty: any tags.",
    )
    note = fields.Html()

    @api.model_create_multi
    def create(self, vals_list):
        coverages = super().create(vals_list)
        coverages._breakfix_rejudge_tickets(coverages.partner_id, coverages.company_id)
        return coverages

    def write(self, vals):
        if not any(fname in vals for fname in COVERAGE_SCOPE_FIELDS):
            return super().write(vals)
        customers, companies = self.partner_id, self.company_id
        result = super().write(vals)
        self._breakfix_rejudge_tickets(
            customers | self.partner_id, companies | self.company_id
        )
        return result

    def _breakfix_rejudge_tickets(self, customers, companies):
        """Judge again the tickets of ``customers`` in ``companies`` that an
        agreement change may cover or uncover: one search, one recompute.
        Tickets with invoiced work or a billing manager's policy keep theirs."""
        if not customers:
            return
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("company_id", "in", companies.ids),
                    ("breakfix_policy_manual", "=", False),
                    ("breakfix_invoice_status", "not in", ("drafted", "invoiced")),
                ]
            )
        )
        tickets._breakfix_rejudge_coverage()

    def _breakfix_matches(self, ticket, day):
        """Whether this coverage covers ``ticket``, judged on ``day``."""
        self.ensure_one()
        if (
            self.company_id != ticket.company_id
            or self.partner_id != ticket.partner_id.commercial_partner_id
            or day < self.date_from
            or (self.date_to and day > self.date_to)
        ):
            return False
        return all(
            not self[coverage_field] or self[coverage_field] & ticket[ticket_field]
            for coverage_field, ticket_field in COVERAGE_DIMENSIONS
        )

    def _breakfix_describe(self):
        """The coverage as the ticket explains its policy."""
        self.ensure_one()
        if self.date_to:
            return self.env._(
                "Covered by “%(agreement)s” (%(date_from)s to %(date_to)s).",
                agreement=self.name,
                date_from=self.date_from,
                date_to=self.date_to,
            )
        return self.env._(
            "Covered by “%(agreement)s” (since %(date_from)s).",
            agreement=self.name,
            date_from=self.date_from,
        )
