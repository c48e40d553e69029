# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models.ir_actions_report import IrActionsReport

from .test_managed_comparison import TestManagedComparisonTour


@tagged("post_install", "-at_install")
class TestReportNotice(TestManagedComparisonTour):
    """The customer of the comparison tour (test_managed_comparison.py), its
    comparison printed on a server without wkhtmltopdf. (Odoo's test loader
    runs a class's own test methods only: not the comparison's tour again.)"""

    def test_pdf_without_wkhtmltopdf_says_so_in_plain_text(self):
        with patch.object(
            IrActionsReport, "get_wkhtmltopdf_state", return_value="install"
        ):
            self.start_tour(
                f"/odoo/action-base.action_partner_form/{self.customer.id}",
                "breakfix_report_notice_tour",
                login=self.manager.login,
            )
