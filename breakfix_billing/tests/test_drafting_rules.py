# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which tickets bill and when: teams opt in to break/fix billing, and each
closed stage says whether reaching it drafts the invoice."""

from odoo.exceptions import AccessError
from odoo.modules.migration import load_script
from odoo.modules.module import get_module_path
from odoo.tests import Form, new_test_user, tagged

from .common import brussels
from .test_invoicing import BreakfixDraftingCommon


@tagged("post_install", "-at_install")
class TestDraftingRules(BreakfixDraftingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # teams and stages are configured by helpdesk managers
        cls.configurer = new_test_user(
            cls.env,
            login="bf_configurer",
            name="Carla Config",
            groups="breakfix_billing.group_breakfix_manager,"
            "helpdesk_mgmt.group_helpdesk_manager",
        )
        # a helpdesk manager who is no billing manager does not decide billing
        cls.helpdesk_manager = new_test_user(
            cls.env,
            login="bf_helpdesk_manager",
            name="Hugo Helpdesk",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.cancelled = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        cls.rejected = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_rejected")

    def _worked_ticket(self, **values):
        ticket = self._create_ticket(**values)
        # Tuesday 10:00, 1.00 h × 100.00
        self._log_time(ticket, brussels(17, 10), 1.0)
        return ticket

    def test_done_drafts_cancelled_does_not(self):
        self.assertEqual(
            (self.done | self.cancelled | self.rejected).mapped(
                "breakfix_draft_invoice"
            ),
            [True, False, False],
        )
        done = self._worked_ticket(name="Fixed")
        done.with_user(self.tech).stage_id = self.done
        self.assertEqual(done.breakfix_invoice_status, "drafted")

        for stage in (self.cancelled, self.rejected):
            ticket = self._worked_ticket(name=stage.name)
            ticket.with_user(self.tech).stage_id = stage
            self.assertTrue(ticket.closed)
            self.assertEqual(ticket.breakfix_invoice_status, "to_invoice")
            self.assertFalse(ticket.sudo().breakfix_invoice_ids)

    def test_the_daily_run_drafts_only_stages_that_draft(self):
        if self._breakfix_drafts_in_jobs():
            self.skipTest("breakfix_billing_queue drafts in queue jobs (its tests)")
        self.team.breakfix_auto_invoice = False
        done, cancelled = self._worked_ticket(), self._worked_ticket()
        done.stage_id = self.done
        cancelled.stage_id = self.cancelled
        self.env["helpdesk.ticket"]._cron_breakfix_draft_invoices()
        self.assertEqual(done.breakfix_invoice_status, "drafted")
        self.assertEqual(cancelled.breakfix_invoice_status, "to_invoice")

    def test_a_billing_manager_sets_a_stage_to_draft(self):
        with Form(self.cancelled.with_user(self.configurer)) as form:
            form.breakfix_draft_invoice = True
        ticket = self._worked_ticket()
        ticket.with_user(self.tech).stage_id = self.cancelled
        self.assertEqual(ticket.breakfix_invoice_status, "drafted")
        # a new closed stage drafts, an open one does not
        Stage = self.env["helpdesk.ticket.stage"]
        self.assertTrue(Stage.create({"name": "Closed by phone", "closed": True})
                        .breakfix_draft_invoice)  # fmt: skip
        self.assertFalse(Stage.create({"name": "Waiting parts"}).breakfix_draft_invoice)
        with self.assertRaises(AccessError):
            self.done.with_user(self.helpdesk_manager).write(
                {"breakfix_draft_invoice": False}
            )

    def test_teams_opt_in(self):
        Team = self.env["helpdesk.ticket.team"]
        self.assertFalse(Team.create({"name": "Sales questions"}).breakfix_enabled)

        self.team.breakfix_enabled = False
        ticket = self._worked_ticket(name="Not break/fix")
        self.assertEqual(ticket.breakfix_policy, "non_billable")
        self.assertEqual(
            ticket.breakfix_policy_reason,
            "Team Break/fix desk does not bill break/fix (see its settings).",
        )
        # its work is no-charge value: nothing to invoice, nothing drafted
        self.assertAmounts(
            ticket,
            {"breakfix_amount_to_invoice": 0.0, "breakfix_no_charge_value": 100.0},
        )
        ticket.with_user(self.tech).stage_id = self.done
        self.assertEqual(ticket.breakfix_invoice_status, "nothing")

        # switched on, the team bills its new tickets; the others keep theirs
        with Form(self.team.with_user(self.configurer)) as form:
            form.breakfix_enabled = True
        self.assertEqual(ticket.breakfix_policy, "non_billable")
        billed = self._worked_ticket(name="Break/fix")
        self.assertEqual(billed.breakfix_policy, "billable")
        self.assertEqual(billed.breakfix_amount_to_invoice, 100.0)
        with self.assertRaises(AccessError):
            self.team.with_user(self.helpdesk_manager).write(
                {"breakfix_enabled": False}
            )

    def test_upgrade_keeps_existing_teams_billing(self):
        """The 18.0.1.2.0 migration: the teams of an installation that billed
        every team keep billing; Cancelled and Rejected stop drafting."""
        migration = load_script(
            f"{get_module_path('breakfix_billing')}/migrations/18.0.1.2.0/"
            "post-migration.py",
            "breakfix_billing",
        )
        self.team.breakfix_enabled = False
        self.cancelled.breakfix_draft_invoice = True
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertTrue(self.team.breakfix_enabled)
        self.assertFalse(self.cancelled.breakfix_draft_invoice)
