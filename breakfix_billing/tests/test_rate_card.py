# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import BreakfixCommon


@tagged("post_install", "-at_install")
class TestRateCard(BreakfixCommon):
    def test_defaults(self):
        rate_card = self.env["breakfix.rate.card"].create({"name": "Defaults"})
        self.assertEqual(rate_card.company_id, self.company)
        self.assertEqual(rate_card.currency_id, self.currency)
        self.assertEqual(rate_card.calendar_id, self.company.resource_calendar_id)
        self.assertEqual(rate_card.rounding_minutes, 15)
        self.assertEqual(rate_card.rounding_method, "up")
        self.assertEqual(rate_card.minimum_minutes, 0)
        self.assertEqual(rate_card.after_hours_factor, 1.5)
        self.assertEqual(rate_card.weekend_factor, 2.0)
        self.assertEqual(rate_card.holiday_factor, 2.0)
        self.assertEqual(rate_card.emergency_factor, 1.0)
        self.assertEqual(rate_card.material_pricing, "pricelist")
        self.assertTrue(rate_card.active)

    def test_work_type_defaults(self):
        self.assertTrue(self.work_type_remote.billable)
        self.assertFalse(self.work_type_remote.onsite)
        self.assertEqual(self.work_type_remote.currency_id, self.currency)

    def test_factor_below_one_refused(self):
        labels = {
            "after_hours_factor": "After-hours Factor",
            "weekend_factor": "Weekend Factor",
            "holiday_factor": "Holiday Factor",
            "emergency_factor": "Emergency Factor",
        }
        for fname, label in labels.items():
            with (
                self.subTest(field=fname),
                self.assertRaisesRegex(
                    ValidationError,
                    f"^The {label} of rate card “Test rates” cannot be lower than 1.$",
                ),
                # unlike assertRaises, assertRaisesRegex keeps the failed write
                self.env.cr.savepoint(),
            ):
                self.rate_card.write({fname: 0.99})

    def test_factor_of_one_allowed(self):
        self.rate_card.write(
            {
                "after_hours_factor": 1.0,
                "weekend_factor": 1.0,
                "holiday_factor": 1.0,
                "emergency_factor": 1.0,
            }
        )
        self.assertEqual(self.rate_card.after_hours_factor, 1.0)

    def test_negative_values_refused(self):
        labels = {
            "callout_fee": r"Call-out Fee",
            "trip_fee": r"Trip Fee",
            "managed_plan_monthly_price": r"Managed Plan Monthly Price",
            "material_markup": r"Markup \(%\)",
            "rounding_minutes": r"Rounding \(minutes\)",
            "minimum_minutes": r"Minimum Charge \(minutes\)",
        }
        for fname, label in labels.items():
            with (
                self.subTest(field=fname),
                self.assertRaisesRegex(
                    ValidationError,
                    f"^The {label} of rate card “Test rates” cannot be negative.$",
                ),
                # unlike assertRaises, assertRaisesRegex keeps the failed write
                self.env.cr.savepoint(),
            ):
                self.rate_card.write({fname: -1})

    def test_zero_values_allowed(self):
        self.rate_card.write(
            {
                "callout_fee": 0.0,
                "trip_fee": 0.0,
                "managed_plan_monthly_price": 0.0,
                "material_markup": 0.0,
                "rounding_minutes": 0,
                "minimum_minutes": 0,
            }
        )
        self.assertEqual(self.rate_card.rounding_minutes, 0)

    def test_negative_work_type_rate_refused(self):
        with self.assertRaisesRegex(
            ValidationError,
            "^The hourly rate of work type “Test remote” cannot be negative.$",
        ):
            self.work_type_remote.hourly_rate = -10.0

    def test_work_type_product_must_be_a_service(self):
        goods = self.env["product.product"].create({"name": "Cable", "type": "consu"})
        with self.assertRaisesRegex(
            ValidationError,
            "^The product of work type “Test remote” must be a service, "
            "“Cable” is not.$",
        ):
            self.work_type_remote.product_id = goods

    def test_negative_line_rate_refused(self):
        with self.assertRaisesRegex(
            ValidationError,
            "^The hourly rate for “Test remote” on rate card “Test rates” cannot "
            "be negative.$",
        ):
            self.rate_card.line_ids.hourly_rate = -95.0

    def test_duplicate_line_without_employee_refused(self):
        with self.assertRaisesRegex(
            ValidationError,
            "^Rate card “Test rates” has two default rates for “Test remote” "
            r"\(lines without employee\).$",
        ):
            self.rate_card.line_ids = [
                Command.create(
                    {"work_type_id": self.work_type_remote.id, "hourly_rate": 99.0}
                )
            ]

    def test_duplicate_line_same_employee_refused(self):
        line_vals = {
            "work_type_id": self.work_type_remote.id,
            "employee_id": self.employee.id,
            "hourly_rate": 120.0,
        }
        self.rate_card.line_ids = [Command.create(line_vals)]
        with self.assertRaisesRegex(
            ValidationError,
            "^Rate card “Test rates” has two rates for “Test remote” by Jane Smith.$",
        ):
            self.rate_card.line_ids = [Command.create(line_vals)]

    def test_same_work_type_for_different_employees_allowed(self):
        self.rate_card.line_ids = [
            Command.create(
                {
                    "work_type_id": self.work_type_remote.id,
                    "employee_id": employee.id,
                    "hourly_rate": rate,
                }
            )
            for employee, rate in ((self.employee, 120.0), (self.other_employee, 110.0))
        ]
        self.assertEqual(len(self.rate_card.line_ids), 3)
        self.assertEqual(
            self.rate_card.line_ids.mapped("display_name"),
            ["Test remote", "Test remote · Jane Smith", "Test remote · John Doe"],
        )

    def test_same_work_type_on_two_rate_cards_allowed(self):
        other_card = self.rate_card.copy({"name": "Copied rates"})
        self.assertEqual(other_card.line_ids.work_type_id, self.work_type_remote)
        self.assertEqual(other_card.line_ids.hourly_rate, 95.0)

    def test_currency_is_required(self):
        with self.assertRaisesRegex(
            ValidationError, "^Rate card “Test rates” needs a currency.$"
        ):
            self.rate_card.currency_id = False

    def test_create_with_form_as_billing_manager(self):
        with Form(
            self.env["breakfix.rate.card"].with_user(self.billing_manager)
        ) as form:
            form.name = "Form rates"
            self.assertEqual(form.currency_id, self.currency)
            self.assertEqual(form.rounding_minutes, 15)
            form.emergency_factor = 2.0
            form.callout_fee = 150.0
            with form.line_ids.new() as line:
                line.work_type_id = self.work_type_onsite
                line.employee_id = self.employee
                line.hourly_rate = 140.0
        rate_card = form.record
        self.assertEqual(rate_card.company_id, self.company)
        self.assertEqual(rate_card.emergency_factor, 2.0)
        self.assertEqual(rate_card.callout_fee, 150.0)
        self.assertRecordValues(
            rate_card.line_ids,
            [
                {
                    "work_type_id": self.work_type_onsite.id,
                    "employee_id": self.employee.id,
                    "hourly_rate": 140.0,
                    "company_id": self.company.id,
                    "currency_id": self.currency.id,
                }
            ],
        )

    def test_customers_listed(self):
        """A rate card lists the customers it prices (not their contacts, nor
        the customers of another company), and says when it is the company's
        default."""
        other_customer, person = self.env["res.partner"].create(
            [
                {"name": "Test Other Customer BV", "is_company": True},
                {"name": "Test Private Person"},
            ]
        )
        self.customer.breakfix_rate_card_id = self.rate_card
        person.breakfix_rate_card_id = self.rate_card
        other_customer.breakfix_rate_card_id = self.default_rate_card
        # a contact follows its company's rate card: listed through it
        contact = self.env["res.partner"].create(
            {"name": "Test Contact", "parent_id": self.customer.id}
        )
        self.assertEqual(contact.breakfix_rate_card_id, self.rate_card)
        # the same customer on another card in another company
        company_b = self.env["res.company"].create({"name": "Test Rates B Ltd"})
        card_b = self.env["breakfix.rate.card"].create(
            {"name": "Test rates B", "company_id": company_b.id}
        )
        self.customer.with_company(company_b).breakfix_rate_card_id = card_b

        manager = self.billing_manager
        cards = (self.rate_card | self.default_rate_card).with_user(manager)
        self.assertRecordValues(
            cards,
            [
                {
                    "partner_ids": (self.customer | person).ids,
                    "partner_count": 2,
                    "is_company_default": False,
                },
                {
                    "partner_ids": other_customer.ids,
                    "partner_count": 1,
                    "is_company_default": True,
                },
            ],
        )
        self.assertRecordValues(
            card_b,
            [{"partner_ids": self.customer.ids, "partner_count": 1}],
        )
        action = cards[0].action_view_partners()
        self.assertEqual(
            self.env["res.partner"].search(action["domain"]), self.customer | person
        )
        self.assertEqual(action["name"], "Customers of Test rates")
        # the form shows the count and the note of the company's default
        form = Form(self.default_rate_card.with_user(manager))
        self.assertEqual(form.partner_count, 1)
        self.assertTrue(form.is_company_default)
        self.customer.breakfix_rate_card_id = False
        self.assertEqual(Form(self.rate_card.with_user(manager)).partner_count, 1)
