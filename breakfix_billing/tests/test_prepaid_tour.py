# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import date, datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPrepaidTour(HttpCase):
    """A billing manager sells a 4-hour block, finance posts its invoice, a
    technician closes a ticket of 3 h (300.00 at 100.00/h), and its invoice
    draws 3.00 h: 300.00 − 300.00 = 0.00."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="bf_prepaid_tour_manager",
            groups="breakfix_billing.group_breakfix_manager,"
            "helpdesk_mgmt.group_helpdesk_user",
            name="Mia Manager",
        )
        cls.accountant = new_test_user(
            cls.env,
            login="bf_prepaid_tour_accountant",
            groups="account.group_account_invoice,helpdesk_mgmt.group_helpdesk_user",
            name="Fiona Finance",
        )
        cls.technician = new_test_user(
            cls.env,
            login="bf_prepaid_tour_technician",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "hr_timesheet.group_hr_timesheet_user",
            name="Tom Technician",
        )
        employee = cls.env["hr.employee"].create(
            {"name": "Tom Technician", "user_id": cls.technician.id}
        )
        project = cls.env["project.project"].create(
            {"name": "Prepaid tour support", "allow_timesheets": True}
        )
        hour = cls.env.ref("uom.product_uom_hour")
        work_type = cls.env["breakfix.work.type"].create(
            {
                "name": "Tour remote",
                "hourly_rate": 80.0,
                "product_id": cls.env["product.product"]
                .create(
                    {
                        "name": "Tour remote support",
                        "type": "service",
                        "uom_id": hour.id,
                        "uom_po_id": hour.id,
                    }
                )
                .id,
            }
        )
        team = cls.env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "Prepaid tour team",
                "user_ids": [Command.set(cls.technician.ids)],
                "allow_timesheet": True,
                "default_project_id": project.id,
                "breakfix_work_type_id": work_type.id,
                "breakfix_auto_invoice": True,
            }
        )
        rate_card = cls.env["breakfix.rate.card"].create(
            {
                "name": "Prepaid tour rates",
                "company_id": cls.env.company.id,
                "calendar_id": False,  # every hour at 1.0
                "line_ids": [
                    Command.create({"work_type_id": work_type.id, "hourly_rate": 100.0})
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Prepaid Ltd",
                "is_company": True,
                "breakfix_rate_card_id": rate_card.id,
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour: backup failed",
                "description": "Last night's backup did not run.",
                "partner_id": cls.customer.id,
                "team_id": team.id,
                "project_id": project.id,
                "user_id": cls.technician.id,
            }
        )
        cls.env["account.analytic.line"].create(
            {
                "ticket_id": cls.ticket.id,
                "project_id": project.id,
                "employee_id": employee.id,
                "name": "Repaired the backup job",
                "date_time": datetime(2026, 11, 16, 9, 0),
                "unit_amount": 3.0,
            }
        )

    def test_sell_post_close_and_review(self):
        Block = self.env["breakfix.prepaid.block"]
        self.start_tour(
            "/odoo/action-breakfix_billing.breakfix_prepaid_block_action",
            "breakfix_prepaid_sell_tour",
            login=self.manager.login,
        )
        block = Block.search([("partner_id", "=", self.customer.id)])
        self.assertRecordValues(
            block,
            [
                {
                    "name": "Tour 4 hours",
                    "unit": "hours",
                    "quantity": 4.0,
                    "price": 360.0,
                    "date_from": date(2026, 11, 1),
                    "state": "active",
                    "is_usable": False,
                    "create_uid": self.manager.id,
                }
            ],
        )
        self.assertEqual(block.invoice_id.state, "draft")

        self.start_tour(
            "/odoo/action-account.action_move_out_invoice_type",
            "breakfix_prepaid_post_tour",
            login=self.accountant.login,
        )
        self.assertEqual(block.invoice_id.state, "posted")
        self.assertTrue(block.is_usable)

        self.start_tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{self.ticket.id}",
            "breakfix_prepaid_close_tour",
            login=self.technician.login,
        )
        invoice = self.ticket.breakfix_invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual((invoice.amount_untaxed, invoice.amount_total), (0.0, 0.0))
        self.assertRecordValues(
            block, [{"consumed": 3.0, "balance": 1.0, "state": "active"}]
        )
        self.assertEqual(block.usage_ids.invoice_id, invoice)

        self.start_tour(
            f"/odoo/action-account.action_move_out_invoice_type/{invoice.id}",
            "breakfix_prepaid_review_tour",
            login=self.accountant.login,
        )
        self.assertEqual(
            invoice.invoice_line_ids.mapped(
                lambda line: (line.name, line.price_subtotal)
            ),
            [
                (
                    "Tour remote\n2026-11-16 · T. Technician · Tour remote · 3.00 h",
                    300.0,
                ),
                ("Prepaid: Tour 4 hours · 3.00 h applied, 1.00 h left", -300.0),
            ],
        )
