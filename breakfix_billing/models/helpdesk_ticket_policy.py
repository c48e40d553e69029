# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .constants import BREAKFIX_POLICIES, MANAGERS, PRICE_GROUPS


class HelpdeskTicketPolicy(models.Model):
    """The billing policy of a ticket: the rules (managed coverage, workmanship
    warranty of a repeat visit, the team's default) and a billing manager's
    decisions."""

    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    breakfix_policy = fields.Selection(
        selection=BREAKFIX_POLICIES,
        string="Billing Policy",
        compute="_compute_breakfix_policy",
        store=True,
        readonly=False,
        tracking=True,
        help="Only billable tickets are invoiced; the others show what the work "
        "would have cost as no-charge value. Follows the customer's coverage, "
        "the workmanship warranty and the team, unless a billing manager sets "
        "it by hand.",
        groups=PRICE_GROUPS,
    )
    breakfix_policy_manual = fields.Boolean(
        string="Policy Set by Hand",
        readonly=True,
        copy=False,
        tracking=True,
        help="A billing manager chose another policy than the automatic one: "
        "it stays as set when the ticket's customer, category, team or tags "
        "change.",
        groups=PRICE_GROUPS,
    )
    breakfix_policy_decided_by_id = fields.Many2one(
        comodel_name="res.users",
        string="Policy Decided By",
        readonly=True,
        copy=False,
        tracking=True,
        help="The billing manager who set the policy by hand.",
        groups=PRICE_GROUPS,
    )
    breakfix_policy_reason = fields.Char(
        string="Policy Reason",
        compute="_compute_breakfix_policy_reason",
        groups=PRICE_GROUPS,
    )
    breakfix_coverage_id = fields.Many2one(
        comodel_name="breakfix.coverage",
        string="Managed Coverage",
        compute="_compute_breakfix_coverage_id",
        store=True,
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        help="The customer's managed-services agreement that covers this ticket, "
        "judged on the day the ticket was created.",
        groups=PRICE_GROUPS,
    )
    breakfix_repeat_of_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        string="Possible Repeat Of",
        compute="_compute_breakfix_repeat_of_id",
        store=True,
        index="btree_not_null",
        check_company=True,
        ondelete="set null",
        help="An invoiced ticket of the same customer in the same category, "
        "invoiced within the rate card's workmanship warranty before this one "
        "was created.",
        groups=PRICE_GROUPS,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

    @api.depends("team_id", "breakfix_coverage_id", "breakfix_repeat_of_id")
    def _compute_breakfix_policy(self):
        for ticket in self:
            if ticket.breakfix_policy_manual:
                continue  # a billing manager decided
            if ticket._breakfix_has_invoiced_work():
                continue  # the invoiced work was priced under this policy
            ticket.breakfix_policy = ticket._breakfix_automatic_policy()

    @api.depends(
        "breakfix_policy",
        "breakfix_policy_manual",
        "breakfix_policy_decided_by_id",
        "breakfix_coverage_id",
        "breakfix_repeat_of_id",
        "team_id",
    )
    @api.depends_context("lang")
    def _compute_breakfix_policy_reason(self):
        for ticket in self:
            ticket.breakfix_policy_reason = ticket._breakfix_explain_policy()

    @api.depends(
        "partner_id",
        "company_id",
        "category_id",
        "team_id",
        "tag_ids",
        "breakfix_rate_card_id",
    )
    def _compute_breakfix_coverage_id(self):
        # the agreements are the shop's, not the user's: read them all
        coverages = self.env["breakfix.coverage"].sudo()
        customers = self.partner_id.commercial_partner_id
        if customers:
            coverages = coverages.search(
                [
                    ("partner_id", "in", customers.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # the invoiced work was priced under this coverage
            day = ticket._breakfix_opening_day()
            ticket.breakfix_coverage_id = next(
                (
                    coverage
                    for coverage in coverages
                    if coverage._breakfix_matches(ticket, day)
                ),
                False,
            )

    @api.depends("partner_id", "company_id", "category_id", "breakfix_rate_card_id")
    def _compute_breakfix_repeat_of_id(self):
        invoiced = self._breakfix_recently_invoiced()
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # billed on its own: not a repeat any more
            ticket.breakfix_repeat_of_id = ticket._breakfix_find_repeat_of(invoiced)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_breakfix_bill_repeat_visit(self):
        """Bill a possible repeat visit as usual: a billing manager decided it
        is new work, not the earlier work's warranty."""
        self._breakfix_decide_repeat_visit("billable")
        return True

    def action_breakfix_confirm_warranty(self):
        """Confirm that a possible repeat visit is under warranty."""
        self._breakfix_decide_repeat_visit("warranty")
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _breakfix_is_billable(self):
        """Whether the ticket's work is charged: its policy says so (covered,
        warranty and non-billable tickets are priced at no charge). A time
        entry or a part may be given free on a billable ticket on its own
        (``account.analytic.line._breakfix_is_billable``, a part's
        ``billable``); the billing report's query says the same in SQL
        (``breakfix.billing.report``)."""
        self.ensure_one()
        return self.breakfix_policy == "billable"

    @api.model
    def _breakfix_is_billable_sql(self, ticket):
        """``_breakfix_is_billable`` of the ``helpdesk_ticket`` row named
        ``ticket`` in a query."""
        return SQL("%s.breakfix_policy = 'billable'", SQL.identifier(ticket))

    def _breakfix_flag_manual_policy(self):
        """A billing manager's policy other than the rules give is an
        override: it sticks, and who decided is recorded. Set back to the
        automatic one, the ticket follows the rules again."""
        for ticket in self:
            if ticket._breakfix_has_invoiced_work():
                continue  # locked: nothing to decide
            manual = ticket.breakfix_policy != ticket._breakfix_automatic_policy()
            if manual != ticket.breakfix_policy_manual:
                ticket.sudo().write(
                    {
                        "breakfix_policy_manual": manual,
                        "breakfix_policy_decided_by_id": manual and self.env.uid,
                    }
                )

    def _breakfix_decide_repeat_visit(self, policy):
        self._breakfix_ensure_role(
            MANAGERS,
            self.env._(
                "Only break/fix billing managers decide whether a repeat visit is "
                "billed."
            ),
        )
        for ticket in self:
            if not ticket.breakfix_repeat_of_id:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s is not a possible repeat visit.",
                        ticket=ticket.number,
                    )
                )
        self.write({"breakfix_policy": policy})
        # a decision even when it agrees with the rules: it sticks
        self.sudo().write(
            {
                "breakfix_policy_manual": True,
                "breakfix_policy_decided_by_id": self.env.uid,
            }
        )

    def _breakfix_rejudge_coverage(self):
        """Judge the coverage (and so the policy) of these tickets again, in
        one batch: an agreement of their customer changed. Tickets with
        invoiced work or a billing manager's policy keep theirs."""
        self.modified(["breakfix_coverage_id"])
        self.env.add_to_compute(self._fields["breakfix_coverage_id"], self)

    def _breakfix_opening_day(self):
        """The day the ticket was created (today for a ticket being created):
        coverage and warranty are judged on it.

        The company's day (``res.company._breakfix_today``), as the invoice
        dates it is compared with, whoever makes the ticket judged again.
        """
        self.ensure_one()
        company = self.company_id or self.env.company
        return company._breakfix_today(self.create_date)

    def _breakfix_automatic_policy(self):
        """The policy the rules give: covered by a managed-services agreement,
        else a possible repeat visit under warranty, else the team's."""
        self.ensure_one()
        if self.breakfix_coverage_id:
            return "covered"
        if self.team_id and not self.team_id.breakfix_enabled:
            return "non_billable"
        if self.breakfix_repeat_of_id:
            return "warranty"
        return self.team_id.breakfix_default_policy or "billable"

    def _breakfix_explain_policy(self):
        """Why the ticket has its policy, for the Billing tab ("" if billable by
        default)."""
        self.ensure_one()
        automatic = self._breakfix_automatic_policy()
        if self.breakfix_policy_manual:
            return self._breakfix_explain_decision(automatic)
        if self.breakfix_policy != automatic:
            return ""  # kept as invoiced
        if automatic == "covered":
            return self.breakfix_coverage_id.sudo()._breakfix_describe()
        if automatic == "warranty":
            earlier = self.breakfix_repeat_of_id.sudo()
            opening_day = self._breakfix_opening_day()
            last_day, last_posted = max(
                (
                    (line.date, line.parent_state == "posted")
                    for line in earlier.breakfix_invoice_line_ids
                    if line._breakfix_is_charging() and line.date <= opening_day
                ),
                default=(False, False),
            )
            values = {
                "ticket": earlier.display_name,
                "date": format_date(self.env, last_day),
                "days": self.breakfix_rate_card_id.warranty_days,
            }
            if last_posted:
                return self.env._(
                    "Possible repeat visit of %(ticket)s, invoiced on %(date)s, "
                    "within the %(days)s-day workmanship warranty: a billing "
                    "manager decides whether it is billed.",
                    **values,
                )
            return self.env._(
                "Possible repeat visit of %(ticket)s, drafted for invoicing on "
                "%(date)s (not posted yet), within the %(days)s-day workmanship "
                "warranty: a billing manager decides whether it is billed.",
                **values,
            )
        if automatic == "non_billable" and not self.team_id.breakfix_enabled:
            return self.env._(
                "Team %(team)s does not bill break/fix (see its settings).",
                team=self.team_id.display_name,
            )
        if self.team_id.breakfix_default_policy not in (False, "billable"):
            return self.env._(
                "Default policy of team %(team)s.", team=self.team_id.display_name
            )
        return ""

    def _breakfix_explain_decision(self, automatic):
        """Who set the policy by hand, and what the rules would give."""
        decided_by = self.breakfix_policy_decided_by_id.sudo().name
        # a decision on a possible repeat visit (see _breakfix_decide_repeat_visit)
        earlier = (
            automatic == "warranty" and self.breakfix_repeat_of_id.sudo().display_name
        )
        if decided_by and earlier and self._breakfix_is_billable():
            return self.env._(
                "Billed as usual, as %(user)s decided: a possible repeat visit of "
                "%(ticket)s.",
                user=decided_by,
                ticket=earlier,
            )
        if decided_by and earlier and self.breakfix_policy == "warranty":
            return self.env._(
                "Warranty confirmed by %(user)s: a repeat visit of %(ticket)s.",
                user=decided_by,
                ticket=earlier,
            )
        labels = dict(self._fields["breakfix_policy"]._description_selection(self.env))
        if decided_by:
            return self.env._(
                "Set by %(user)s, billing manager (the rules give “%(policy)s”).",
                user=decided_by,
                policy=labels[automatic],
            )
        return self.env._(
            "Set by a billing manager (the rules give “%(policy)s”).",
            policy=labels[automatic],
        )

    def _breakfix_recently_invoiced(self):
        """The invoiced tickets that may be repeated by those of ``self``.

        One query for the batch: ``{earlier ticket: its invoice days,
        newest first}`` for the tickets of the same customers and categories
        invoiced within the longest warranty before the newest ticket; each
        new ticket then picks the days before its own opening day.
        """
        candidates = self.filtered(
            lambda ticket: (
                ticket.partner_id
                and ticket.category_id
                and ticket.breakfix_rate_card_id.warranty_days > 0
            )
        )
        if not candidates:
            return {}
        days = max(candidates.breakfix_rate_card_id.mapped("warranty_days"))
        opening_days = [ticket._breakfix_opening_day() for ticket in candidates]
        Line = self.env["account.move.line"].sudo()
        groups = Line._read_group(
            [
                *Line._breakfix_charging_domain(),
                (
                    "breakfix_ticket_id.commercial_partner_id",
                    "in",
                    candidates.partner_id.commercial_partner_id.ids,
                ),
                ("breakfix_ticket_id.category_id", "in", candidates.category_id.ids),
                ("breakfix_ticket_id.company_id", "in", candidates.company_id.ids),
                ("date", ">=", min(opening_days) - timedelta(days=days)),
                ("date", "<=", max(opening_days)),
            ],
            groupby=["breakfix_ticket_id", "date:day"],
        )
        invoiced = {}
        for earlier, day in groups:
            invoiced.setdefault(earlier, []).append(fields.Date.to_date(day))
        return {
            earlier: sorted(days, reverse=True) for earlier, days in invoiced.items()
        }

    def _breakfix_find_repeat_of(self, invoiced):
        """The ticket this one possibly repeats, among ``invoiced`` (see
        ``_breakfix_recently_invoiced``): the latest invoiced one of the same
        customer, company and category within the warranty before this
        ticket's opening day; else nothing."""
        self.ensure_one()
        days = self.breakfix_rate_card_id.warranty_days
        if not (self.partner_id and self.category_id and days > 0):
            return self.browse()
        opening_day = self._breakfix_opening_day()
        customer = self.partner_id.commercial_partner_id
        matches = []
        for earlier, invoice_days in invoiced.items():
            if (
                earlier == self._origin
                or earlier.commercial_partner_id != customer
                or earlier.company_id != self.company_id
                or earlier.category_id != self.category_id
            ):
                continue
            last_invoiced = next(
                (day for day in invoice_days if day <= opening_day), None
            )
            if last_invoiced and last_invoiced >= opening_day - timedelta(days=days):
                matches.append((last_invoiced, earlier.id))
        return self.browse(max(matches)[1] if matches else ())
