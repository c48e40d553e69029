# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two invoicing runs at once, on real, committed data: racing on the same
tickets, each ticket is drafted once.

A ``TransactionCase`` runs every cursor inside one uncommitted transaction,
so two of its "transactions" can never race.  These tests are ``BaseCase``
tests: the registry is not in test mode, ``registry.cursor()`` opens real
connections, each thread drafts in its own transaction, and what the tests
create is committed — and deleted again by their cleanups, so that the
database is left as found (the checks of ``_table_counts`` prove it).
``BreakfixConcurrencyCommon`` (the fixture and the helpers) is shared with
test_invoicing_busy_tickets.py.
"""

import contextlib
import threading
from datetime import datetime
from unittest.mock import patch

from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import SQL, float_compare

from odoo.addons.breakfix_billing.models.helpdesk_ticket_invoicing import (
    HelpdeskTicketInvoicing,
)

SUPERUSER_ID = api.SUPERUSER_ID
# The cron runs as superuser; the "click" as the administrator, a billing
# manager (security/breakfix_billing_security.xml).
CRON, CLICK = "cron", "click"
TIMEOUT = 20  # seconds a thread may wait for the other one
BUSY = "another invoicing run is drafting this ticket."
FIXTURE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
# Rows a run of these tests adds; all must be gone after the cleanups.
COUNTED_TABLES = (
    "account_analytic_account",
    "account_analytic_line",
    "account_move",
    "account_move_line",
    "breakfix_prepaid_block",
    "breakfix_prepaid_usage",
    "breakfix_rate_card",
    "breakfix_rate_card_line",
    "breakfix_timesheet_invoice_line_rel",
    "breakfix_work_type",
    "helpdesk_ticket",
    "helpdesk_ticket_material",
    "helpdesk_ticket_team",
    "hr_employee",
    "mail_followers",
    "mail_message",
    "product_product",
    "product_template",
    "project_project",
    "res_partner",
)


def _table_counts(cr):
    counts = {}
    for table in COUNTED_TABLES:
        cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
        counts[table] = cr.fetchone()[0]
    return counts


def _expected_charges(index):
    """What ticket number ``index`` of a batch costs, by kind of charge.

    Every ticket has an hour of work at 100.00/h, and every third one
    another half hour or hour; every fourth is an emergency (75.00 call-out
    fee), every fifth on-site (its time logged as the team's on-site work
    type, one day: a 40.00 trip fee), every second used two parts at 50.00
    cost plus 20 % (120.00).
    """
    charges = {"labour": [100.0] + ([50.0 * (index % 3)] if index % 3 else [])}
    if index % 4 == 0:
        charges["callout"] = [75.0]
    if index % 5 == 0:
        charges["trip"] = [40.0]
    if index % 2 == 0:
        charges["material"] = [120.0]
    return charges


class BreakfixConcurrencyCommon(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        # In test mode every cursor would share the test transaction.
        assert not cls.registry.in_test_mode(), "needs real, independent cursors"
        with cls.registry.cursor() as cr:
            cls.initial_counts = _table_counts(cr)
        cls.addClassCleanup(cls._check_counts, cls.initial_counts)
        cls.fixture = []  # (model, ids) in the order of their creation
        cls.addClassCleanup(cls._delete_fixture)
        with cls.registry.cursor() as cr:
            cls._create_fixture(api.Environment(cr, SUPERUSER_ID, FIXTURE_CONTEXT))

    @classmethod
    def _create_fixture(cls, env):
        company = env.ref("base.main_company")
        hour = env.ref("uom.product_uom_hour")
        service, part = env["product.product"].create(
            [
                {
                    "name": "Concurrency remote support",
                    "type": "service",
                    "uom_id": hour.id,
                    "uom_po_id": hour.id,
                },
                {
                    "name": "Concurrency SSD",
                    "type": "consu",
                    "standard_price": 50.0,
                },
            ]
        )
        cls._keep(service | part)
        cls.part_id = part.id
        work_type, onsite = env["breakfix.work.type"].create(
            [
                {
                    "name": "Concurrency remote",
                    "product_id": service.id,
                    "hourly_rate": 80.0,
                },
                {
                    "name": "Concurrency on-site",
                    "product_id": service.id,
                    "hourly_rate": 80.0,
                    "onsite": True,
                },
            ]
        )
        cls._keep(work_type | onsite)
        rate_card = env["breakfix.rate.card"].create(
            {
                "name": "Concurrency rates",
                "company_id": company.id,
                "calendar_id": False,  # every hour at 1.0
                "rounding_minutes": 15,
                "rounding_method": "up",
                "emergency_factor": 1.0,
                "callout_fee": 75.0,
                "trip_fee": 40.0,
                "material_pricing": "cost_plus",
                "material_markup": 20.0,
                "line_ids": [
                    Command.create({"work_type_id": kind.id, "hourly_rate": 100.0})
                    for kind in (work_type, onsite)
                ],
            }
        )
        cls._keep(rate_card)
        customers = env["res.partner"].create(
            [
                {
                    "name": name,
                    "is_company": True,
                    "breakfix_rate_card_id": rate_card.id,
                }
                for name in ("Concurrency Customer A", "Concurrency Customer B")
            ]
        )
        cls._keep(customers)
        cls.customer_ids = customers.ids
        employee = env["hr.employee"].create(
            {"name": "Concurrency Technician", "company_id": company.id}
        )
        cls._keep(employee.work_contact_id)
        cls._keep(employee)
        cls.employee_id = employee.id
        project = env["project.project"].create(
            {"name": "Concurrency support", "allow_timesheets": True}
        )
        cls._keep(project.account_id)
        cls._keep(project)
        cls.project_id = project.id
        team = env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "Concurrency desk",
                "allow_timesheet": True,
                "default_project_id": project.id,
                "breakfix_auto_invoice": False,
                "breakfix_work_type_id": work_type.id,
                "breakfix_onsite_work_type_id": onsite.id,
            }
        )
        cls._keep(team)
        cls.team_id = team.id

    @classmethod
    def _keep(cls, records):
        cls.fixture.append((records._name, records.ids))

    @classmethod
    def _delete_fixture(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, FIXTURE_CONTEXT)
            for model, ids in reversed(cls.fixture):
                env[model].browse(ids).exists().unlink()

    @classmethod
    def _check_counts(cls, expected):
        with cls.registry.cursor() as cr:
            counts = _table_counts(cr)
        left = {
            table: counts[table] - expected[table]
            for table in COUNTED_TABLES
            if counts[table] != expected[table]
        }
        if left:
            raise AssertionError(f"rows left behind in the database: {left}")

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _create_tickets(self, count):
        """Commit ``count`` tickets with work; return their ids and the
        charges each one should be invoiced, in the tickets' order.

        The tickets and everything drafted for them are deleted at the end of
        the test.
        """
        counts = self._counts()
        self.addCleanup(self._assert_counts, counts)
        ticket_ids = []
        self.addCleanup(self._delete_tickets, ticket_ids)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, FIXTURE_CONTEXT)
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Concurrency ticket {index}",
                        "description": "<p>Racing invoicing runs.</p>",
                        "partner_id": self.customer_ids[index % 2],
                        "team_id": self.team_id,
                        "project_id": self.project_id,
                        "breakfix_emergency": index % 4 == 0,
                        "breakfix_onsite": index % 5 == 0,
                    }
                    for index in range(count)
                ]
            )
            ticket_ids.extend(tickets.ids)
            start = datetime(2026, 3, 2, 9, 0)  # a Monday
            env["account.analytic.line"].create(
                [
                    {
                        "ticket_id": ticket.id,
                        "project_id": self.project_id,
                        "employee_id": self.employee_id,
                        "name": f"Work {hours} h",
                        "date_time": start,
                        "unit_amount": hours,
                    }
                    for index, ticket in enumerate(tickets)
                    for hours in (1.0, 0.5 * (index % 3))
                    if hours
                ]
            )
            env["helpdesk.ticket.material"].create(
                [
                    {"ticket_id": ticket.id, "product_id": self.part_id, "quantity": 2}
                    for index, ticket in enumerate(tickets)
                    if index % 2 == 0
                ]
            )
            to_invoice = {
                ticket.id: ticket.breakfix_amount_to_invoice for ticket in tickets
            }
        charges = {
            ticket_id: _expected_charges(index)
            for index, ticket_id in enumerate(ticket_ids)
        }
        # The pricing agrees with the charges the test expects.
        self.assertEqual(
            to_invoice,
            {
                ticket_id: sum(sum(amounts) for amounts in ticket_charges.values())
                for ticket_id, ticket_charges in charges.items()
            },
        )
        return ticket_ids, charges

    def _delete_tickets(self, ticket_ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, FIXTURE_CONTEXT)
            tickets = env["helpdesk.ticket"].browse(ticket_ids).exists()
            # Deleting the drafts releases the time and the parts they bill.
            moves = (
                env["account.move.line"]
                .search([("breakfix_ticket_id", "in", tickets.ids)])
                .move_id
            )
            moves.unlink()
            tickets.timesheet_ids.unlink()
            tickets.breakfix_material_ids.unlink()
            tickets.unlink()

    @contextlib.contextmanager
    def _holding_locked_tickets(self, name, locked, release):
        """In the block, the run of thread ``name``, once it locked its
        tickets for invoicing, sets ``locked`` and holds them until
        ``release`` is set."""
        lock_for_invoicing = HelpdeskTicketInvoicing._breakfix_lock_for_invoicing

        def lock_then_wait(tickets):
            result = lock_for_invoicing(tickets)
            if threading.current_thread().name == f"breakfix-{name}":
                locked.set()
                release.wait(TIMEOUT)
            return result

        with patch.object(
            HelpdeskTicketInvoicing, "_breakfix_lock_for_invoicing", lock_then_wait
        ):
            yield

    def _admin_id(self):
        with self.registry.cursor() as cr:
            admin = api.Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin")
            self.assertTrue(admin.has_group("breakfix_billing.group_breakfix_manager"))
            return admin.id

    def _counts(self):
        with self.registry.cursor() as cr:
            return _table_counts(cr)

    def _assert_counts(self, expected):
        self.assertEqual(self._counts(), expected, "rows left behind by the test")

    def _run_in_threads(self, jobs):
        """Run each ``job(env)`` of ``jobs`` (a dict by name: ``(uid, job,
        committed)``) in its own thread, transaction and connection.

        ``committed`` (optional) is an event set once the job's transaction
        is committed.  Return each job's result, or the exception it raised.
        """
        outcomes = {}

        def run(name, uid, job, committed):
            try:
                with self.registry.cursor() as cr:
                    # The test runner holds the lock that ``Environment`` takes
                    # to look the registry up: hand the registry over.
                    cr.transaction = api.Transaction(self.registry)
                    outcomes[name] = job(api.Environment(cr, uid, {}))
            except Exception as error:  # noqa: BLE001 - reported by the test
                outcomes[name] = error
            finally:
                if committed is not None:
                    committed.set()

        threads = [
            threading.Thread(
                target=run,
                args=(name, uid, job, committed),
                name=f"breakfix-{name}",
                daemon=True,
            )
            for name, (uid, job, committed) in jobs.items()
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=2 * TIMEOUT)
        self.assertFalse(
            [thread.name for thread in threads if thread.is_alive()],
            "an invoicing run hangs",
        )
        return outcomes

    @staticmethod
    def _draft(tickets):
        """Draft the tickets' invoices; what happened, as plain data."""
        invoices, skipped = tickets._breakfix_create_invoices()
        return {
            "drafted": set(invoices.sudo().breakfix_ticket_ids.ids),
            "invoices": set(invoices.ids),
            "skipped": {ticket.id: reason for ticket, reason in skipped.items()},
        }

    def _draft_sequentially(self, ticket_ids):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return self._draft(env["helpdesk.ticket"].browse(ticket_ids))

    def assertInvoicedOnce(self, ticket_ids, charges):
        """Every billable entry and part of the tickets is on exactly one
        invoice line of one invoice that is not cancelled; each ticket has one
        invoice, with exactly the expected charges."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            tickets = env["helpdesk.ticket"].browse(ticket_ids)
            lines = env["account.move.line"].search(
                [
                    ("breakfix_ticket_id", "in", ticket_ids),
                    ("display_type", "=", "product"),
                ]
            )
            self.assertEqual(set(lines.move_id.mapped("state")), {"draft"})
            for entry in tickets.timesheet_ids:
                self.assertEqual(len(entry.breakfix_invoice_line_ids), 1, entry.name)
                self.assertEqual(
                    entry.breakfix_invoice_line_ids.breakfix_ticket_id, entry.ticket_id
                )
            for part in tickets.breakfix_material_ids:
                self.assertEqual(
                    part.invoice_line_id.breakfix_ticket_id, part.ticket_id
                )
            self.assertEqual(
                len(lines.filtered("breakfix_timesheet_ids")),
                len(tickets.timesheet_ids),
            )
            self.assertEqual(lines.breakfix_material_ids, tickets.breakfix_material_ids)
            for ticket in tickets:
                self.assertEqual(len(ticket.breakfix_invoice_ids), 1, ticket.name)
                ticket_lines = lines.filtered(
                    lambda line, ticket=ticket: line.breakfix_ticket_id == ticket
                )
                self.assertEqual(
                    {
                        kind: sorted(
                            ticket_lines.filtered(
                                lambda line, kind=kind: line.breakfix_kind == kind
                            ).mapped("price_subtotal")
                        )
                        for kind in set(ticket_lines.mapped("breakfix_kind"))
                    },
                    {
                        kind: sorted(amounts)
                        for kind, amounts in charges[ticket.id].items()
                    },
                    ticket.name,
                )
                self.assertEqual(ticket.breakfix_invoice_status, "drafted")
            total = sum(
                sum(sum(amounts) for amounts in ticket_charges.values())
                for ticket_charges in charges.values()
            )
            invoices = lines.move_id
            self.assertEqual(
                float_compare(
                    sum(invoices.mapped("amount_untaxed")), total, precision_digits=2
                ),
                0,
                f"{sum(invoices.mapped('amount_untaxed'))} invoiced, {total} due",
            )
            return total


@tagged("post_install", "-at_install")
class TestInvoicingConcurrency(BreakfixConcurrencyCommon):
    def test_two_runs_race_on_twenty_tickets(self):
        """The cron and a billing manager's click draft the same 20 tickets
        at the same moment: each ticket is drafted by one of them, once, and
        what one skips the other drafts."""
        ticket_ids, charges = self._create_tickets(20)
        cron, click = self._race(ticket_ids)
        self.assertFalse(cron["drafted"] & click["drafted"], "drafted by both runs")
        self.assertEqual(cron["drafted"] | click["drafted"], set(ticket_ids))
        # Each run skips what the other one drafts, and says why.
        self.assertEqual(cron["skipped"], dict.fromkeys(click["drafted"], BUSY))
        self.assertEqual(click["skipped"], dict.fromkeys(cron["drafted"], BUSY))
        self.assertEqual(len(cron["invoices"]) + len(click["invoices"]), 20)
        total = self.assertInvoicedOnce(ticket_ids, charges)
        self.assertEqual(total, 4685.0)
        # The next run finds nothing left to invoice.
        self.assertEqual(
            self._draft_sequentially(ticket_ids),
            {"drafted": set(), "invoices": set(), "skipped": {}},
        )

    def test_two_runs_race_on_monthly_customers(self):
        """The same race on 10 tickets of two customers invoiced monthly:
        every ticket is drafted once, each invoice is one customer's, a
        section per ticket, and nothing is left to invoice."""
        self._set_invoicing_mode("monthly")
        self.addCleanup(self._set_invoicing_mode, "per_ticket")
        ticket_ids, charges = self._create_tickets(10)
        cron, click = self._race(ticket_ids)
        self.assertFalse(cron["drafted"] & click["drafted"], "drafted by both runs")
        self.assertEqual(cron["drafted"] | click["drafted"], set(ticket_ids))
        self.assertEqual(
            self.assertInvoicedOnce(ticket_ids, charges),
            sum(sum(map(sum, charge.values())) for charge in charges.values()),
        )
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invoices = env["account.move"].browse(cron["invoices"] | click["invoices"])
            for invoice in invoices:
                self.assertEqual(
                    len(invoice.breakfix_ticket_ids.commercial_partner_id), 1
                )
                self.assertEqual(
                    len(
                        invoice.invoice_line_ids.filtered(
                            lambda line: line.display_type == "line_section"
                        )
                    ),
                    len(invoice.breakfix_ticket_ids),
                )
        self.assertEqual(
            self._draft_sequentially(ticket_ids),
            {"drafted": set(), "invoices": set(), "skipped": {}},
        )

    def _race(self, ticket_ids):
        """The cron and a billing manager's click draft ``ticket_ids`` at the
        same moment; ``(cron's outcome, click's outcome)``, both complete:
        without the row locks, one of them would fail as a whole on a
        serialization failure (undoing all its work)."""
        barrier = threading.Barrier(2, timeout=TIMEOUT)

        def draft(order):
            def job(env):
                tickets = env["helpdesk.ticket"].browse(ticket_ids)
                barrier.wait()
                # the cron goes by id; the manager's list happens to be
                # sorted the other way round (each run locks all it can at
                # once: what one holds, the other skips)
                return self._draft(tickets if order == "id" else tickets[::-1])

            return job

        outcomes = self._run_in_threads(
            {
                CRON: (SUPERUSER_ID, draft("id"), None),
                CLICK: (self._admin_id(), draft("id desc"), None),
            }
        )
        self.assertFalse(
            {name: o for name, o in outcomes.items() if isinstance(o, Exception)}
        )
        return outcomes[CRON], outcomes[CLICK]

    def _set_invoicing_mode(self, mode):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.partner"].browse(self.customer_ids).breakfix_invoicing_mode = mode
