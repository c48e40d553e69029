# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_every_message_is_extracted_for_translators(self):
        """Odoo's term extraction reads every Python file of the addon (a call
        it cannot parse would silently drop its messages from the .pot)."""
        with self.assertNoLogs("odoo.tools.translate", level="ERROR"):
            reader = TranslationModuleReader(self.env.cr, modules=["breakfix_billing"])
            sources = {source for _m, _t, _n, _r, source, _v, _c in reader}
        for message in (
            "after hours",
            "rounded up to %(minutes)s min",
            "Emergency call-out fee",
            "Only %(roles)s can change the field “%(field)s” (%(model)s).",
            "Minimum charge: %(minimum)s min per ticket, %(billed)s min billed",
            (
                "%(record)s is invoiced %(where)s: it cannot be deleted. "
                "Cancel the invoice first."
            ),
        ):
            self.assertIn(message, sources)
