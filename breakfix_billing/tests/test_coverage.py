# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.misc import file_path

from .common import AtBrusselsMidnight, BreakfixTicketCommon


@tagged("post_install", "-at_install")
class TestCoverage(AtBrusselsMidnight, BreakfixTicketCommon):
    """The customer's managed-services agreements make its matching tickets
    "covered"; everything else stays break/fix.
    (``AtBrusselsMidnight``: "today" is the company's 2 December.)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server_tag, cls.laptop_tag, cls.urgent_tag = cls.env[
            "helpdesk.ticket.tag"
        ].create([{"name": "Server"}, {"name": "Laptop"}, {"name": "Urgent"}])
        cls.managed_team = cls.env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "Managed desk",
                "allow_timesheet": True,
                "default_project_id": cls.project.id,
                "user_ids": [Command.set((cls.tech | cls.manager).ids)],
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other Customer SA", "is_company": True}
        )

    def _coverage(self, user=None, **values):
        return (
            self.env["breakfix.coverage"]
            .with_user(user or self.manager)
            .create(
                {
                    "name": "Managed network",
                    "partner_id": self.customer.id,
                    "date_from": self.today - timedelta(days=30),
                    **values,
                }
            )
        )

    def assertPolicy(self, ticket, policy, coverage=None, reason=""):
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_policy": policy,
                    "breakfix_coverage_id": coverage.id if coverage else False,
                    "breakfix_policy_reason": reason,
                    "breakfix_policy_manual": False,
                }
            ],
        )

    def _since(self, coverage):
        return f"Covered by “{coverage.name}” (since {coverage.date_from})."

    def test_coverage_by_category(self):
        coverage = self._coverage(category_ids=[Command.set(self.network.ids)])
        covered = self._create_ticket(category_id=self.network.id)
        printer = self._create_ticket(category_id=self.printers.id)
        uncategorized = self._create_ticket()
        self.assertPolicy(covered, "covered", coverage, self._since(coverage))
        self.assertPolicy(printer, "billable")
        self.assertPolicy(uncategorized, "billable")

    def test_coverage_by_team(self):
        coverage = self._coverage(team_ids=[Command.set(self.managed_team.ids)])
        covered = self._create_ticket(team_id=self.managed_team.id)
        breakfix = self._create_ticket()
        self.assertPolicy(covered, "covered", coverage, self._since(coverage))
        self.assertPolicy(breakfix, "billable")

    def test_coverage_by_tag(self):
        coverage = self._coverage(tag_ids=[Command.set(self.server_tag.ids)])
        covered = self._create_ticket(
            tag_ids=[Command.set((self.server_tag | self.urgent_tag).ids)]
        )
        laptop = self._create_ticket(tag_ids=[Command.set(self.laptop_tag.ids)])
        untagged = self._create_ticket()
        self.assertPolicy(covered, "covered", coverage, self._since(coverage))
        self.assertPolicy(laptop, "billable")
        self.assertPolicy(untagged, "billable")

    def test_coverage_matches_every_dimension_it_fills(self):
        coverage = self._coverage(
            category_ids=[Command.set(self.network.ids)],
            team_ids=[Command.set(self.managed_team.ids)],
        )
        both = self._create_ticket(
            category_id=self.network.id, team_id=self.managed_team.id
        )
        category_only = self._create_ticket(category_id=self.network.id)
        team_only = self._create_ticket(team_id=self.managed_team.id)
        self.assertPolicy(both, "covered", coverage, self._since(coverage))
        self.assertPolicy(category_only, "billable")
        self.assertPolicy(team_only, "billable")

    def test_coverage_date_window(self):
        current = self._coverage(
            name="This year", date_to=self.today + timedelta(days=10)
        )
        self.assertPolicy(
            self._create_ticket(),
            "covered",
            current,
            f"Covered by “This year” ({current.date_from} to {current.date_to}).",
        )
        # expired yesterday, or starting tomorrow: break/fix again
        current.date_to = self.today - timedelta(days=1)
        self.assertPolicy(self._create_ticket(), "billable")
        current.write({"date_from": self.today + timedelta(days=1), "date_to": False})
        self.assertPolicy(self._create_ticket(), "billable")
        # the last day and the first day are covered
        current.write({"date_from": self.today, "date_to": self.today})
        self.assertPolicy(
            self._create_ticket(),
            "covered",
            current,
            f"Covered by “This year” ({self.today} to {self.today}).",
        )

    def test_coverage_of_the_customer_only(self):
        coverage = self._coverage()
        other = self._create_ticket(partner_id=self.other_customer.id)
        self.assertPolicy(other, "billable")
        # the contacts of the customer are covered too
        contact = self._create_ticket(partner_id=self.contact.id)
        self.assertPolicy(contact, "covered", coverage, self._since(coverage))
        # a ticket moved to the customer follows
        other.partner_id = self.contact
        self.assertPolicy(other, "covered", coverage, self._since(coverage))
        other.partner_id = self.other_customer
        self.assertPolicy(other, "billable")

    def test_archived_coverage_covers_nothing(self):
        self._coverage(active=False)
        self.assertPolicy(self._create_ticket(), "billable")

    def test_coverage_follows_category_changes(self):
        coverage = self._coverage(category_ids=[Command.set(self.network.ids)])
        ticket = self._create_ticket(category_id=self.printers.id)
        self.assertPolicy(ticket, "billable")
        ticket.with_user(self.tech).category_id = self.network
        self.assertPolicy(ticket, "covered", coverage, self._since(coverage))

    def test_manager_override_sticks_and_is_tracked(self):
        coverage = self._coverage(tag_ids=[Command.set(self.server_tag.ids)])
        ticket = self._create_ticket(
            tag_ids=[Command.set(self.server_tag.ids)]
        ).with_context(tracking_disable=False)
        self.assertPolicy(ticket, "covered", coverage, self._since(coverage))
        # a ticket created in this transaction: tracking starts once it is saved
        self.env.flush_all()
        self.env.cr.flush()

        ticket.with_user(self.manager).breakfix_policy = "billable"

        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_policy": "billable",
                    "breakfix_policy_manual": True,
                    "breakfix_coverage_id": coverage.id,
                    "breakfix_policy_decided_by_id": self.manager.id,
                    "breakfix_policy_reason": "Set by Mona Manager, billing manager "
                    "(the rules give “Covered by a plan”).",
                }
            ],
        )
        # a later change of tags does not undo the manager's decision
        ticket.with_user(self.tech).tag_ids = [Command.link(self.urgent_tag.id)]
        self.assertEqual(ticket.breakfix_policy, "billable")
        self.assertTrue(ticket.breakfix_policy_manual)
        self.env.flush_all()
        self.env.cr.flush()
        tracked = {
            (value.field_id.name, value.create_uid)
            for value in ticket.sudo().message_ids.tracking_value_ids
        }
        self.assertEqual(
            tracked,
            {
                ("breakfix_policy", self.manager),
                ("breakfix_policy_manual", self.manager),
                ("breakfix_policy_decided_by_id", self.manager),
            },
        )
        # set back to the automatic policy, the ticket follows the rules again
        ticket.with_user(self.manager).breakfix_policy = "covered"
        self.assertPolicy(ticket, "covered", coverage, self._since(coverage))
        ticket.with_user(self.tech).tag_ids = [Command.clear()]
        self.assertPolicy(ticket, "billable")

    def test_technician_cannot_override_the_coverage(self):
        self._coverage()
        ticket = self._create_ticket()
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech).breakfix_policy = "billable"
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech).breakfix_policy_manual = True
        self.assertEqual(ticket.breakfix_policy, "covered")

    def test_form_shows_the_coverage_and_saves_no_override(self):
        coverage = self._coverage(category_ids=[Command.set(self.network.ids)])
        manager = self.manager
        form = Form(
            self.env["helpdesk.ticket"].with_user(manager).with_context(uid=manager.id)
        )
        form.name = "Switch down"
        form.description = "<p>The core switch is down.</p>"
        form.partner_id = self.contact
        form.team_id = self.team
        self.assertEqual(form.breakfix_policy, "billable")
        form.category_id = self.network
        self.assertEqual(form.breakfix_policy, "covered")
        self.assertEqual(form.breakfix_coverage_id, coverage)
        self.assertEqual(form.breakfix_policy_reason, self._since(coverage))
        ticket = form.save()
        self.assertPolicy(ticket, "covered", coverage, self._since(coverage))
        # the manager decides the work is billed after all
        with Form(ticket.with_user(manager).with_context(uid=manager.id)) as form:
            form.breakfix_policy = "billable"
        self.assertTrue(ticket.breakfix_policy_manual)
        self.assertEqual(ticket.breakfix_policy, "billable")

    def test_access_technician_reads_manager_edits(self):
        coverage = self._coverage()
        self.assertEqual(
            coverage.with_user(self.tech).read(["name"])[0]["name"], "Managed network"
        )
        with self.assertRaises(AccessError):
            coverage.with_user(self.tech).name = "Everything"
        with self.assertRaises(AccessError):
            self._coverage(user=self.tech)
        with self.assertRaises(AccessError):
            coverage.with_user(self.tech).unlink()
        coverage.with_user(self.manager).date_to = self.today
        self.assertEqual(coverage.date_to, self.today)
        # the customer form counts the customer's agreements, for its contacts too
        self.assertEqual(self.customer.with_user(self.tech).breakfix_coverage_count, 1)
        self.assertEqual(self.contact.breakfix_coverage_count, 1)
        action = self.contact.with_user(self.tech).action_breakfix_view_coverage()
        self.assertEqual(action["domain"], [("partner_id", "=", self.customer.id)])

    def test_bad_input_is_refused(self):
        with self.assertRaises(ValidationError) as catcher:
            self._coverage(name="Backwards", date_to=self.today - timedelta(days=31))
        self.assertEqual(
            str(catcher.exception),
            f"“Backwards” ends ({self.today - timedelta(days=31)}) before "
            f"it starts ({self.today - timedelta(days=30)}).",
        )
        with self.assertRaises(ValidationError) as catcher:
            self._coverage(name="Chris only", partner_id=self.contact.id)
        self.assertEqual(
            str(catcher.exception),
            "“Chris only” is for a customer, not for one of its contacts: "
            "choose Test Customer Ltd instead of Test Customer Ltd, Chris Contact.",
        )
        self.assertFalse(
            self.env["breakfix.coverage"].search(
                [("partner_id", "=", self.customer.id)]
            )
        )

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        coverage = self._coverage(user=self.env.user, company_id=other_company.id)
        # of another company: covers none of this company's tickets
        self.assertPolicy(self._create_ticket(), "billable")
        # and only its company's users see it
        self.assertFalse(
            self.env["breakfix.coverage"]
            .with_user(self.manager)
            .search([("id", "=", coverage.id)])
        )
        both = new_test_user(
            self.env,
            login="bf_two_companies",
            groups="breakfix_billing.group_breakfix_manager",
            company_ids=[Command.set((self.company | other_company).ids)],
        )
        self.assertEqual(
            self.env["breakfix.coverage"]
            .with_user(both)
            .with_context(allowed_company_ids=(self.company | other_company).ids)
            .search([("id", "=", coverage.id)]),
            coverage,
        )
        # a team of another company is refused
        other_team = self.env["helpdesk.ticket.team"].create(
            {"name": "Other desk", "company_id": other_company.id}
        )
        with self.assertRaises(UserError):
            self._coverage(team_ids=[Command.set(other_team.ids)])

    def _set_created(self, ticket, moment):
        """Pretend ``ticket`` was created at ``moment`` (UTC naive)."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            (moment, ticket.id),
        )
        ticket.invalidate_recordset(["create_date"])

    def test_opening_day_is_the_company_day(self):
        new_year = date(2027, 1, 1)
        coverage = self._coverage(name="From 2027", date_from=new_year)
        ticket = self._create_ticket()
        self.assertPolicy(ticket, "billable")
        # 23:30 UTC on 31 December: 00:30 on 1 January in Brussels, the
        # company's zone; 18:30 on 31 December for a manager in New York
        self._set_created(ticket, datetime(2026, 12, 31, 23, 30))
        self.manager.tz = "America/New_York"
        ticket = ticket.with_user(self.manager)
        self.assertEqual(ticket._breakfix_opening_day(), new_year)
        ticket._breakfix_rejudge_coverage()
        self.assertPolicy(ticket, "covered", coverage, self._since(coverage))
        # the rate card's business hours do not move the day: the company's
        self.calendar.tz = "America/New_York"
        self.assertEqual(ticket._breakfix_opening_day(), new_year)
        # a company in UTC: still 31 December
        self._set_company_zone("UTC")
        self.assertEqual(ticket._breakfix_opening_day(), date(2026, 12, 31))

    def test_coverage_changes_judge_the_tickets_again(self):
        coverage = self._coverage()
        covered = self._create_ticket()
        overridden = self._create_ticket()
        overridden.with_user(self.manager).breakfix_policy = "non_billable"
        other = self._create_ticket(partner_id=self.other_customer.id)
        self.assertPolicy(covered, "covered", coverage, self._since(coverage))
        # ended yesterday: the customer's tickets of today are break/fix again,
        # the manager's decision stays, other customers are not looked at
        coverage.with_user(self.manager).date_to = self.today - timedelta(days=1)
        self.assertPolicy(covered, "billable")
        self.assertRecordValues(
            overridden,
            [{"breakfix_policy": "non_billable", "breakfix_policy_manual": True}],
        )
        self.assertPolicy(other, "billable")
        # extended again, archived, restored
        coverage.with_user(self.manager).date_to = False
        self.assertPolicy(covered, "covered", coverage, self._since(coverage))
        coverage.with_user(self.manager).active = False
        self.assertPolicy(covered, "billable")
        coverage.with_user(self.manager).active = True
        self.assertPolicy(covered, "covered", coverage, self._since(coverage))
        # a new agreement covers the existing tickets it matches
        coverage.with_user(self.manager).active = False
        newer = self._coverage(name="Managed everything")
        self.assertPolicy(covered, "covered", newer, self._since(newer))

    def test_technician_write_back_never_flags_the_policy(self):
        coverage = self._coverage()
        ticket = self._create_ticket()
        # a policy left behind the rules (say, from before an upgrade)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET breakfix_policy = 'billable' WHERE id = %s",
            (ticket.id,),
        )
        ticket.invalidate_recordset()
        ticket.with_user(self.tech).write(
            {"breakfix_policy": "billable", "name": "Server down again"}
        )
        self.assertRecordValues(
            ticket,
            [
                {
                    "breakfix_coverage_id": coverage.id,
                    "breakfix_policy": "billable",
                    "breakfix_policy_manual": False,
                    "breakfix_policy_decided_by_id": False,
                }
            ],
        )
        with self.assertRaises(AccessError):
            ticket.with_user(self.tech).breakfix_policy_decided_by_id = self.tech
        # nor does a manager's unchanged write-back
        ticket.with_user(self.manager).write({"breakfix_policy": "billable"})
        self.assertFalse(ticket.breakfix_policy_manual)

    def test_migration_keeps_earlier_overrides(self):
        spec = importlib.util.spec_from_file_location(
            "breakfix_post_migration_18_0_1_1_0",
            file_path("breakfix_billing/migrations/18.0.1.1.0/post-migration.py"),
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        coverage = self._coverage()
        covered, overridden = self._create_ticket(), self._create_ticket()
        # set by hand before 18.0.1.1.0: a policy other than the rules give,
        # not flagged
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET breakfix_policy = 'non_billable' WHERE id = %s",
            (overridden.id,),
        )
        overridden.invalidate_recordset()

        self.assertEqual(migration.flag_manual_policies(self.env), overridden)

        self.assertPolicy(covered, "covered", coverage, self._since(coverage))
        self.assertRecordValues(
            overridden,
            [{"breakfix_policy": "non_billable", "breakfix_policy_manual": True}],
        )
        # it survives the agreement ending
        coverage.date_to = self.today - timedelta(days=1)
        self.assertPolicy(covered, "billable")
        self.assertEqual(overridden.breakfix_policy, "non_billable")
