# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged


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
