# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import unittest
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

# A drawn signature, as the portal's signature widget posts it: a 1 × 1 PNG
# in base64.
SIGNATURE_PNG = (
    b"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    b"60e6kgAAAABJRU5ErkJggg=="
)


def invoice_label(trace):
    """The label of the invoice line of a time entry priced as ``trace``:
    its work type (the trace's third part), then the trace on its own line."""
    return f"{trace.split(' · ')[2]}\n{trace}"


def brussels(day, hour, minute=0, month=11):
    """A moment of late 2026 in Brussels (CET, UTC+1), as the UTC-naive
    datetime Odoo stores in ``date_time``."""
    return datetime(2026, month, day, hour, minute) - timedelta(hours=1)


class BreakfixCommon(TransactionCase):
    # A class of tests of the crons' batches a call and of the drafting in
    # the background: the path breakfix_billing_queue replaces with queue
    # jobs, where its own tests take over.
    _breakfix_tests_batches_a_call = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls._breakfix_tests_batches_a_call and cls._breakfix_drafts_in_jobs():
            raise unittest.SkipTest(
                "breakfix_billing_queue drafts these in queue jobs (its tests)"
            )
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # Records are stamped (create_date) with the tests' clock, frozen or
        # not, as each request's own transaction would stamp them; not with
        # PostgreSQL's start of the one transaction a test class runs in.
        cls.startClassPatcher(patch.object(cls.env.cr, "now", fields.Datetime.now))
        cls.company = cls.env.company
        cls.currency = cls.company.currency_id
        # A helpdesk agent is a break/fix technician through the implied group;
        # internal users may edit contacts, as in a default database.
        cls.technician = new_test_user(
            cls.env,
            login="bf_technician",
            groups="helpdesk_mgmt.group_helpdesk_user_own,base.group_partner_manager",
            name="Tess Technician",
        )
        cls.billing_manager = new_test_user(
            cls.env,
            login="bf_billing_manager",
            groups="breakfix_billing.group_breakfix_manager,base.group_partner_manager",
            name="Bill Manager",
        )
        cls.employee = cls.env["hr.employee"].create({"name": "Jane Smith"})
        cls.other_employee = cls.env["hr.employee"].create({"name": "John Doe"})
        hour = cls.env.ref("uom.product_uom_hour")
        cls.product_remote, cls.product_onsite = cls.env["product.product"].create(
            [
                {
                    "name": name,
                    "type": "service",
                    "uom_id": hour.id,
                    "uom_po_id": hour.id,
                    "list_price": price,
                }
                for name, price in (
                    ("Test remote support", 80.0),
                    ("Test on-site support", 110.0),
                )
            ]
        )
        cls.work_type_remote = cls.env["breakfix.work.type"].create(
            {
                "name": "Test remote",
                "product_id": cls.product_remote.id,
                "hourly_rate": 80.0,
            }
        )
        cls.work_type_onsite = cls.env["breakfix.work.type"].create(
            {
                "name": "Test on-site",
                "product_id": cls.product_onsite.id,
                "hourly_rate": 110.0,
                "onsite": True,
            }
        )
        cls.rate_card = cls.env["breakfix.rate.card"].create(
            {
                "name": "Test rates",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create(
                        {"work_type_id": cls.work_type_remote.id, "hourly_rate": 95.0}
                    ),
                ],
            }
        )
        cls.default_rate_card = cls.env["breakfix.rate.card"].create(
            {"name": "Test default rates", "company_id": cls.company.id}
        )
        cls.company.breakfix_rate_card_id = cls.default_rate_card
        cls.customer = cls.env["res.partner"].create(
            {"name": "Test Customer Ltd", "is_company": True}
        )

    @classmethod
    def _breakfix_drafts_in_jobs(cls):
        return bool(
            cls.env["ir.module.module"].search_count(
                [("name", "=", "breakfix_billing_queue"), ("state", "=", "installed")]
            )
        )


class BreakfixTicketCommon(BreakfixCommon):
    """A customer's tickets priced by a rate card with Brussels business hours.

    Business hours: Monday to Friday, 08:00-12:00 and 13:00-17:00 Brussels
    time; 11 November 2026 is a public holiday.  In November 2026 Brussels is
    on CET, UTC+1: 16:00 in Brussels is 15:00 in the UTC-naive ``date_time``
    (see ``brussels()``).  The rate card "Brussels rates" bills remote support at
    100.00/h (Mona Manager: 130.00/h); on-site work at the work type's own
    110.00/h; after hours ×1.5, weekend ×2.0, holiday ×2.0; a 75.00
    call-out fee and a 40.00 trip fee; time rounded up to 15 minutes.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tech = new_test_user(
            cls.env,
            login="bf_ticket_tech",
            name="Terry Tech",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "hr_timesheet.group_hr_timesheet_user",
        )
        # Billing managers review everybody's tickets and time entries.
        cls.manager = new_test_user(
            cls.env,
            login="bf_ticket_manager",
            name="Mona Manager",
            groups="breakfix_billing.group_breakfix_manager,"
            "helpdesk_mgmt.group_helpdesk_user,"
            "hr_timesheet.group_hr_timesheet_approver",
        )
        cls.tech_employee, cls.manager_employee = cls.env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "company_id": cls.company.id}
                for user in (cls.tech, cls.manager)
            ]
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Brussels business hours",
                "tz": "Europe/Brussels",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in (
                        (8.0, 12.0, "morning"),
                        (13.0, 17.0, "afternoon"),
                    )
                ],
            }
        )
        # Armistice Day, Wednesday 11 November 2026, midnight to midnight CET
        cls.holiday = cls.env["resource.calendar.leaves"].create(
            {
                "name": "Armistice Day",
                "calendar_id": cls.calendar.id,
                "date_from": brussels(11, 0),
                "date_to": brussels(12, 0),
            }
        )
        cls.card = cls.env["breakfix.rate.card"].create(
            {
                "name": "Brussels rates",
                "company_id": cls.company.id,
                "calendar_id": cls.calendar.id,
                "rounding_minutes": 15,
                "rounding_method": "up",
                "after_hours_factor": 1.5,
                "weekend_factor": 2.0,
                "holiday_factor": 2.0,
                "emergency_factor": 1.0,
                "callout_fee": 75.0,
                "trip_fee": 40.0,
                "line_ids": [
                    Command.create(
                        {
                            "work_type_id": cls.work_type_remote.id,
                            "hourly_rate": 100.0,
                        }
                    ),
                    Command.create(
                        {
                            "work_type_id": cls.work_type_remote.id,
                            "employee_id": cls.manager_employee.id,
                            "hourly_rate": 130.0,
                        }
                    ),
                ],
            }
        )
        cls.customer.breakfix_rate_card_id = cls.card
        cls.contact = cls.env["res.partner"].create(
            {"name": "Chris Contact", "parent_id": cls.customer.id}
        )
        cls.project = cls.env["project.project"].create(
            {"name": "Break/fix support", "allow_timesheets": True}
        )
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "Break/fix desk",
                "allow_timesheet": True,
                "default_project_id": cls.project.id,
                "user_ids": [Command.set((cls.tech | cls.manager).ids)],
            }
        )
        cls.product_ram, cls.product_ssd = cls.env["product.product"].create(
            [
                {
                    "name": "Test RAM 16 GB",
                    "type": "consu",
                    "list_price": 60.0,
                    "standard_price": 30.0,
                },
                {
                    "name": "Test SSD 1 TB",
                    "type": "consu",
                    "list_price": 150.0,
                    "standard_price": 80.0,
                },
            ]
        )
        # The customer buys RAM at a fixed 45.00; the SSD at its list price.
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Test customer prices",
                "currency_id": cls.currency.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.product_ram.id,
                            "compute_price": "fixed",
                            "fixed_price": 45.0,
                        }
                    )
                ],
            }
        )
        cls.customer.property_product_pricelist = cls.pricelist

    @classmethod
    def _create_ticket(cls, user=None, **values):
        """A ticket of the customer on the break/fix desk, by ``user``."""
        user = user or cls.tech
        vals = {
            "name": "Server down",
            "description": "<p>The file server does not answer.</p>",
            "partner_id": cls.customer.id,
            "team_id": cls.team.id,
            "project_id": cls.project.id,
            "user_id": cls.tech.id,
            **values,
        }
        return cls.env["helpdesk.ticket"].with_user(user).create(vals)

    @classmethod
    def _log_time(cls, ticket, start, hours, user=None, work_type=None, **values):
        """Log ``hours`` from ``start`` (UTC naive) on ``ticket`` as ``user``."""
        user = user or cls.tech
        employee = cls.manager_employee if user == cls.manager else cls.tech_employee
        vals = {
            "ticket_id": ticket.id,
            "project_id": ticket.project_id.id,
            "employee_id": employee.id,
            "name": "Work",
            "date_time": start,
            "unit_amount": hours,
            "breakfix_work_type_id": (work_type or cls.work_type_remote).id,
            **values,
        }
        return cls.env["account.analytic.line"].with_user(user).create(vals)

    @classmethod
    def _add_part(cls, ticket, product, quantity=1.0, user=None, **values):
        user = user or cls.tech
        vals = {
            "ticket_id": ticket.id,
            "product_id": product.id,
            "quantity": quantity,
            **values,
        }
        return cls.env["helpdesk.ticket.material"].with_user(user).create(vals)

    def _run_cron_call(self, cron_xmlid, model, method, **kwargs):
        """One call of the cron runner: a new progress record, the cron's
        ``method`` of ``model`` with it in the context; return ``(done,
        remaining)``."""
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.env.ref(cron_xmlid).id, "done": 0, "remaining": 0}
        )
        getattr(self.env[model].with_context(ir_cron_progress_id=progress.id), method)(
            **kwargs
        )
        return progress.done, progress.remaining

    @classmethod
    def _portal_user(cls, login, name, company):
        """A portal user ``name`` (password: the login), a contact of
        ``company``."""
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            name=name,
            partner_id=cls.env["res.partner"]
            .create({"name": name, "parent_id": company.id})
            .id,
        )

    @classmethod
    def _other_company_manager(cls, login):
        """A billing manager of another company only."""
        other_company = cls.env["res.company"].create({"name": "Other Shop"})
        return new_test_user(
            cls.env,
            login=login,
            groups="breakfix_billing.group_breakfix_manager",
            company_id=other_company.id,
            company_ids=[other_company.id],
        )

    @classmethod
    def _set_company_zone(cls, tz):
        """Count the company's days in ``tz`` (``res.company._breakfix_tz``):
        its address's zone, its default rate card without business hours."""
        cls.company.breakfix_rate_card_id.calendar_id = False
        cls.company.partner_id.tz = tz

    def assertAmounts(self, record, expected):
        """Compare monetary and hour fields to two decimals, all at once."""
        actual = {fname: round(record[fname], 2) for fname in expected}
        self.assertEqual(actual, {k: round(v, 2) for k, v in expected.items()})

    def _euro_at(self, rate):
        """EUR active, at ``rate`` EUR for 1.00 of the company's USD, dated
        yesterday to be the latest rate whatever the time zone of "today"."""
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": eur.id,
                "company_id": self.company.id,
                "name": fields.Date.today() - timedelta(days=1),
                "rate": rate,
            }
        )
        return eur

    def _euro_customer(self, **card_values):
        """A customer on a EUR rate card (remote 90.00/h, trip 30.00), with
        1.00 USD = 0.80 EUR; returns ``(eur, customer)``."""
        eur = self._euro_at(0.8)
        euro_card = self.env["breakfix.rate.card"].create(
            {
                "name": "Euro rates",
                "currency_id": eur.id,
                "calendar_id": self.calendar.id,
                "trip_fee": 30.0,
                "line_ids": [
                    Command.create(
                        {"work_type_id": self.work_type_remote.id, "hourly_rate": 90.0}
                    )
                ],
                **card_values,
            }
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Euro Customer BV",
                "is_company": True,
                "breakfix_rate_card_id": euro_card.id,
            }
        )
        return eur, customer


class BreakfixInvoicingCommon(BreakfixTicketCommon):
    """Tickets of "Brussels rates" (see ``BreakfixTicketCommon``) invoiced.

    Every product of the tickets (work types, parts, call-out and trip fees)
    books its sales on the income account 700900 with a 21 % sales tax. The
    customer invoices to its "Accounts payable" address; tickets are opened
    by its contact Chris. Finance posts the drafts with Odoo's invoicing
    rights, and nothing else.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hours = cls.env.ref("uom.product_uom_hour")
        cls.units = cls.env.ref("uom.product_uom_unit")
        cls.income_account = cls.env["account.account"].create(
            {"name": "Break/fix services", "code": "700900", "account_type": "income"}
        )
        cls.sale_tax = cls.env["account.tax"].create(
            {
                "name": "Test VAT 21%",
                "amount": 21.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        cls.callout_product = cls.env.ref("breakfix_billing.product_breakfix_callout")
        cls.trip_product = cls.env.ref("breakfix_billing.product_breakfix_trip")
        (
            cls.product_remote
            | cls.product_onsite
            | cls.product_ram
            | cls.product_ssd
            | cls.callout_product
            | cls.trip_product
        ).write(
            {
                "property_account_income_id": cls.income_account.id,
                "taxes_id": [Command.set(cls.sale_tax.ids)],
            }
        )
        cls.invoice_address = cls.env["res.partner"].create(
            {
                "name": "Accounts payable",
                "type": "invoice",
                "parent_id": cls.customer.id,
            }
        )
        cls.finance = new_test_user(
            cls.env,
            login="bf_finance",
            name="Fiona Finance",
            groups="account.group_account_invoice",
        )

    @classmethod
    def _create_ticket(cls, user=None, **values):
        """A ticket opened by the customer's contact Chris, unless told."""
        return super()._create_ticket(
            user=user, **{"partner_id": cls.contact.id, **values}
        )

    def _draft(self, tickets, user=None):
        """Draft the invoices of ``tickets`` as ``user`` (by default the billing
        manager), from the tickets' button; return the drafted invoices, as the
        returned action shows them."""
        tickets = tickets.with_user(user or self.manager)
        return self._action_invoices(tickets.action_breakfix_create_invoice())

    def _draft_in_one_batch(self, tickets):
        """Draft the invoices of ``tickets`` as the billing manager, in one
        batch and without the action's summary (what the query counts
        measure); nothing is skipped."""
        invoices, skipped = tickets.with_user(self.manager)._breakfix_create_invoices()
        self.assertFalse(skipped)
        return invoices

    @classmethod
    def _action_invoices(cls, action):
        """The invoices a drafting action shows after its summary."""
        if action.get("tag") == "display_notification":
            action = action["params"]["next"]
        ids = action["domain"][0][2] if action.get("domain") else []
        return cls.env["account.move"].browse(ids)

    def _reduced_rate_position(self):
        """Give the customer a fiscal position that maps the 21 % VAT to a
        new 6 % one; return the 6 % tax."""
        reduced = self.env["account.tax"].create(
            {
                "name": "Test VAT 6%",
                "amount": 6.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
            }
        )
        self.customer.property_account_position_id = self.env[
            "account.fiscal.position"
        ].create(
            {
                "name": "Test reduced rate",
                "tax_ids": [
                    Command.create(
                        {"tax_src_id": self.sale_tax.id, "tax_dest_id": reduced.id}
                    )
                ],
            }
        )
        return reduced

    @staticmethod
    def _notification_text(action):
        """The message of a notification action as the web client shows it:
        each ``%s`` is the label of a link."""
        params = action["params"]
        text = params["message"]
        for link in params.get("links", []):
            text = text.replace("%s", link["label"], 1)
        return text

    def _invoice_lines(self, invoice):
        """The invoice's product lines as they print: by sequence."""
        return invoice.invoice_line_ids.sorted(lambda line: (line.sequence, line.id))

    def _line_table(self, invoice):
        """``(label, quantity, unit price, subtotal)`` of each invoice line."""
        return [
            (line.name, line.quantity, line.price_unit, line.price_subtotal)
            for line in self._invoice_lines(invoice)
        ]


class AtBrusselsMidnight:
    """Mixed into a test class of ``BreakfixTicketCommon``: the clock stands
    at 23:45 UTC on 1 December 2026, already 2 December in Brussels, the
    company's zone, and "today" is the company's day; two ticket categories."""

    freeze_time = "2026-12-01 23:45:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._set_company_zone("Europe/Brussels")
        cls.today = cls.company._breakfix_today()
        assert cls.today == date(2026, 12, 2)
        cls.network, cls.printers = cls.env["helpdesk.ticket.category"].create(
            [{"name": "Test network"}, {"name": "Test printers"}]
        )
