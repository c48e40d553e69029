# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRateCardTour(HttpCase):
    def test_rate_card_tour(self):
        self.start_tour("/odoo", "breakfix_rate_card_tour", login="admin")
        rate_card = self.env["breakfix.rate.card"].search([("name", "=", "Tour rates")])
        self.assertEqual(len(rate_card), 1)
        self.assertEqual(rate_card.company_id, self.env.ref("base.main_company"))
        self.assertRecordValues(
            rate_card.line_ids,
            [
                {
                    "work_type_id": self.env.ref(
                        "breakfix_billing.work_type_remote"
                    ).id,
                    "employee_id": False,
                    "hourly_rate": 95.0,
                }
            ],
        )


@tagged("post_install", "-at_install")
class TestTicketTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="bf_tour_technician",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "hr_timesheet.group_hr_timesheet_user",
            name="Tara Technician",
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Tara Technician", "user_id": cls.technician.id}
        )
        project = cls.env["project.project"].create(
            {"name": "Tour support", "allow_timesheets": True}
        )
        team = cls.env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "Tour team",
                "user_ids": [Command.set(cls.technician.ids)],
                "allow_timesheet": True,
                "default_project_id": project.id,
            }
        )
        # No business hours: the hour logged "now" is billed at 1.0 whatever
        # the time the test runs.
        rate_card = cls.env["breakfix.rate.card"].create(
            {
                "name": "Tour customer rates",
                "company_id": cls.env.company.id,
                "calendar_id": False,
                "rounding_minutes": 15,
                "rounding_method": "up",
                "material_pricing": "cost_plus",
                "material_markup": 20.0,
                "line_ids": [
                    Command.create(
                        {
                            "work_type_id": cls.env.ref(
                                "breakfix_billing.work_type_remote"
                            ).id,
                            "hourly_rate": 100.0,
                        }
                    )
                ],
            }
        )
        customer = cls.env["res.partner"].create(
            {
                "name": "Tour Customer Inc",
                "is_company": True,
                "breakfix_rate_card_id": rate_card.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Tour SSD", "type": "consu", "standard_price": 50.0}
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour: server down",
                "description": "The file server does not answer.",
                "partner_id": customer.id,
                "team_id": team.id,
                "project_id": project.id,
                "user_id": cls.technician.id,
            }
        )

    def test_ticket_tour(self):
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 0.0)
        self.start_tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{self.ticket.id}",
            "breakfix_ticket_tour",
            login=self.technician.login,
        )
        self.assertRecordValues(
            self.ticket.timesheet_ids,
            [
                {
                    "name": "Restarted the server",
                    "employee_id": self.employee.id,
                    "unit_amount": 1.0,
                    "breakfix_work_type_id": self.env.ref(
                        "breakfix_billing.work_type_remote"
                    ).id,
                    "breakfix_billed_hours": 1.0,
                    "breakfix_amount": 100.0,
                }
            ],
        )
        self.assertRecordValues(
            self.ticket.breakfix_material_ids,
            [
                {
                    "product_id": self.product.id,
                    "quantity": 1.0,
                    "unit_cost": 50.0,
                    "price_unit": 60.0,
                    "price_is_manual": False,
                    "price_subtotal": 60.0,
                }
            ],
        )
        self.assertEqual(self.ticket.breakfix_pricing_error, "")
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 160.0)


@tagged("post_install", "-at_install")
class TestInvoiceTour(HttpCase):
    """A technician closes a ticket, its team drafts the invoice, finance
    confirms it from "Break/fix to Review"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="bf_invoice_tour_technician",
            groups="helpdesk_mgmt.group_helpdesk_user_own,"
            "hr_timesheet.group_hr_timesheet_user",
            name="Tim Technician",
        )
        # Finance reviews invoices and follows them to their tickets.
        cls.accountant = new_test_user(
            cls.env,
            login="bf_invoice_tour_accountant",
            groups="account.group_account_invoice,helpdesk_mgmt.group_helpdesk_user",
            name="Fiona Finance",
        )
        employee = cls.env["hr.employee"].create(
            {"name": "Tim Technician", "user_id": cls.technician.id}
        )
        project = cls.env["project.project"].create(
            {"name": "Invoice tour support", "allow_timesheets": True}
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
                "name": "Invoice tour team",
                "user_ids": [Command.set(cls.technician.ids)],
                "allow_timesheet": True,
                "default_project_id": project.id,
                "breakfix_work_type_id": work_type.id,
                "breakfix_auto_invoice": True,
            }
        )
        rate_card = cls.env["breakfix.rate.card"].create(
            {
                "name": "Invoice tour rates",
                "company_id": cls.env.company.id,
                "calendar_id": False,  # every hour at 1.0
                "line_ids": [
                    Command.create({"work_type_id": work_type.id, "hourly_rate": 100.0})
                ],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Printing Ltd",
                "is_company": True,
                "breakfix_rate_card_id": rate_card.id,
            }
        )
        cls.ticket = cls.env["helpdesk.ticket"].create(
            {
                "name": "Tour: printer jammed",
                "description": "The printer on the 2nd floor is jammed.",
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
                "name": "Cleared the paper path",
                "date_time": datetime(2026, 11, 16, 9, 0),
                "unit_amount": 1.5,
            }
        )

    def test_close_draft_and_confirm(self):
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 150.0)
        self.start_tour(
            f"/odoo/action-helpdesk_mgmt.helpdesk_ticket_action/{self.ticket.id}",
            "breakfix_invoice_close_tour",
            login=self.technician.login,
        )
        self.assertTrue(self.ticket.stage_id.closed)
        self.assertRecordValues(
            self.ticket.breakfix_invoice_ids,
            [
                {
                    "state": "draft",
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_origin": self.ticket.number,
                    "amount_untaxed": 150.0,
                }
            ],
        )
        self.start_tour(
            "/odoo",
            "breakfix_invoice_review_tour",
            login=self.accountant.login,
        )
        invoice = self.ticket.breakfix_invoice_ids
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "posted",
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "amount_untaxed": 150.0,
                }
            ],
        )
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [{"quantity": 1.5, "price_unit": 100.0, "price_subtotal": 150.0}],
        )
        self.assertEqual(
            invoice.invoice_line_ids.breakfix_timesheet_ids.ticket_id, self.ticket
        )
        # posted by finance: invoiced now, nothing drafted
        self.assertEqual(self.ticket.breakfix_invoice_status, "invoiced")
        self.assertEqual(self.ticket.breakfix_amount_invoiced, 150.0)
        self.assertEqual(self.ticket.breakfix_amount_drafted, 0.0)


@tagged("post_install", "-at_install")
class TestDraftFromListTour(HttpCase):
    """A billing manager drafts the tickets to invoice from the list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="bf_list_tour_manager",
            groups="breakfix_billing.group_breakfix_manager,"
            "helpdesk_mgmt.group_helpdesk_user,account.group_account_invoice",
            name="Lena List",
        )
        employee = cls.env["hr.employee"].create({"name": "Lena List"})
        project = cls.env["project.project"].create(
            {"name": "List tour support", "allow_timesheets": True}
        )
        work_type = cls.env.ref("breakfix_billing.work_type_remote")
        team = cls.env["helpdesk.ticket.team"].create(
            {
                "breakfix_enabled": True,
                "name": "List tour team",
                "allow_timesheet": True,
                "default_project_id": project.id,
                "breakfix_auto_invoice": False,
            }
        )
        rate_card = cls.env["breakfix.rate.card"].create(
            {
                "name": "List tour rates",
                "calendar_id": False,  # every hour at 1.0
                "line_ids": [
                    Command.create({"work_type_id": work_type.id, "hourly_rate": 100.0})
                ],
            }
        )
        customer = cls.env["res.partner"].create(
            {
                "name": "List Tour Customer",
                "is_company": True,
                "breakfix_rate_card_id": rate_card.id,
            }
        )
        cls.tickets = cls.env["helpdesk.ticket"]
        for name, partner, hours in (
            ("List tour: printer", customer, 1.0),
            ("List tour: scanner", customer, 0.5),
            ("List tour: no customer", cls.env["res.partner"], 1.0),
            ("List tour: nothing left", customer, 0.0),
        ):
            ticket = cls.env["helpdesk.ticket"].create(
                {
                    "name": name,
                    "description": name,
                    "partner_id": partner.id,
                    "team_id": team.id,
                    "project_id": project.id,
                    "breakfix_rate_card_id": rate_card.id,
                }
            )
            if hours:
                cls.env["account.analytic.line"].create(
                    {
                        "ticket_id": ticket.id,
                        "project_id": project.id,
                        "employee_id": employee.id,
                        "name": "Fixed it",
                        "date_time": datetime(2026, 11, 16, 9, 0),
                        "unit_amount": hours,
                    }
                )
            cls.tickets |= ticket

    def test_draft_from_the_list(self):
        printer, scanner, no_customer, nothing = self.tickets
        self.assertEqual(
            self.tickets.mapped("breakfix_invoice_status"),
            ["to_invoice", "to_invoice", "to_invoice", "nothing"],
        )
        self.start_tour(
            "/odoo/action-helpdesk_mgmt.helpdesk_ticket_action?view_type=list",
            "breakfix_draft_from_list_tour",
            login=self.manager.login,
        )
        self.assertEqual(
            self.tickets.mapped("breakfix_invoice_status"),
            ["drafted", "drafted", "to_invoice", "nothing"],
        )
        self.assertEqual(
            (printer | scanner).breakfix_invoice_ids.mapped("amount_untaxed"),
            [100.0, 50.0],
        )
        self.assertIn(
            "No invoice drafted: Ticket", str(no_customer.message_ids[:1].body)
        )
        self.assertFalse(nothing.breakfix_invoice_ids)
