# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class BreakfixCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
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
