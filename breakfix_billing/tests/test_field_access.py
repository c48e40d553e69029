# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Generated from the declarations: every stored field the addon declares or
adds to a model, written by each role, is refused or allowed exactly as its
model's ``_breakfix_field_writers`` says."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.breakfix_billing.models.breakfix_field_access import (
    MANAGER,
    MODULE,
    PORTAL,
    TECHNICIAN,
)

from .common import SIGNATURE_PNG, BreakfixInvoicingCommon, brussels


class Undo(Exception):
    """Rolls an allowed write back (assertRaises wraps it in a savepoint)."""


# The roles each test user holds (billing managers are technicians too).
USER_ROLES = {
    "technician": {TECHNICIAN},
    "manager": {TECHNICIAN, MANAGER},
    "finance": {"finance"},
    "portal": {PORTAL},
}


def addon_stored_fields(env):
    """``{model name: [field names]}`` of the stored fields the addon gives."""
    found = {}
    for name in env.registry:
        model = env[name]
        if model._abstract:
            continue
        fnames = [
            fname
            for fname, field in model._fields.items()
            if field.store
            and not field.automatic
            and not field.inherited
            and MODULE in (field._modules or ())
        ]
        if fnames:
            found[name] = fnames
    return found


@tagged("post_install", "-at_install")
class TestFieldDeclarations(BreakfixInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env, login="bf_access_portal", groups="base.group_portal"
        )
        cls.users = {
            "technician": cls.tech,
            "manager": cls.manager,
            "finance": cls.finance,
            "portal": cls.portal_user,
        }
        cls.company_b = cls.env["res.company"].create({"name": "Access B Ltd"})
        cls.manager.company_ids += cls.company_b
        cls.ticket = cls._create_ticket()
        cls.entry = cls._log_time(cls.ticket, brussels(17, 10), 1.0)
        cls.part = cls._add_part(cls.ticket, cls.product_ram)
        cls.other_ticket = cls._create_ticket(name="Printer jam")
        invoiced = cls._create_ticket(name="Mail down")
        cls._log_time(invoiced, brussels(18, 10), 1.0)
        cls.invoice = cls._action_invoices(
            invoiced.with_user(cls.manager).action_breakfix_create_invoice()
        )
        cls.access_card = cls.env["breakfix.rate.card"].create(
            {"name": "Access rates", "calendar_id": False}
        )
        cls.access_card_line = cls.env["breakfix.rate.card.line"].create(
            {
                "rate_card_id": cls.access_card.id,
                "work_type_id": cls.work_type_remote.id,
                "hourly_rate": 90.0,
            }
        )
        cls.coverage = cls.env["breakfix.coverage"].create(
            {"name": "Access plan", "partner_id": cls.customer.id}
        )
        cls.category = cls.env["helpdesk.ticket.category"].create({"name": "Access"})
        # a draft money block: every term is still open to billing managers
        cls.block = cls.env["breakfix.prepaid.block"].create(
            {
                "name": "Access fund",
                "partner_id": cls.customer.id,
                "unit": "money",
                "quantity": 500.0,
                "price": 500.0,
                "user_id": cls.manager.id,
            }
        )
        cls.block_usage = cls.env["breakfix.prepaid.usage"].create(
            {"block_id": cls.block.id, "ticket_id": cls.ticket.id, "quantity": 10.0}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Access Other Ltd", "is_company": True}
        )
        cls.comparison = (
            cls.env["breakfix.managed.comparison"]
            .with_user(cls.manager)
            ._breakfix_compare(cls.customer)
        )

    def _records(self):
        """One record of each model the addon writes fields on."""
        request = self.env["breakfix.drafting.request"].create(
            {"user_id": self.manager.id, "company_id": self.company.id}
        )
        records = {
            "helpdesk.ticket": self.ticket,
            "account.analytic.line": self.entry,
            "helpdesk.ticket.material": self.part,
            "account.move.line": self.invoice.invoice_line_ids[:1],
            "res.partner": self.customer,
            "res.company": self.company,
            "product.template": self.product_ram.product_tmpl_id,
            "helpdesk.ticket.team": self.team,
            "helpdesk.ticket.stage": self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_done"
            ),
            "breakfix.rate.card": self.access_card,
            "breakfix.rate.card.line": self.access_card_line,
            "breakfix.work.type": self.work_type_onsite,
            "breakfix.coverage": self.coverage,
            "breakfix.prepaid.block": self.block,
            "breakfix.prepaid.usage": self.block_usage,
            "breakfix.managed.comparison": self.comparison,
            "breakfix.managed.comparison.month": self.comparison.month_ids[:1],
            "breakfix.approval.request": self.env["breakfix.approval.request"].create(
                {"ticket_id": self.ticket.id, "amount": 100.0}
            ),
            "breakfix.drafting.request": request,
            "breakfix.drafting.batch": self.env["breakfix.drafting.batch"].create(
                {"request_id": request.id, "ticket_ids": self.ticket.ids}
            ),
            "breakfix.billing.report": self.env["breakfix.billing.report"].search(
                [], limit=1
            ),
        }
        return {name: self.env[name].browse(rec.ids) for name, rec in records.items()}

    def _other_values(self):
        """Values that make a valid change, where the type alone cannot say."""
        return {
            ("helpdesk.ticket.material", "ticket_id"): self.other_ticket.id,
            ("helpdesk.ticket.material", "product_id"): self.product_ssd.id,
            ("helpdesk.ticket.material", "product_uom_id"): self.units.id,
            ("account.analytic.line", "breakfix_work_type_id"): (
                self.work_type_onsite.id
            ),
            ("helpdesk.ticket", "breakfix_rate_card_id"): self.access_card.id,
            ("helpdesk.ticket", "breakfix_material_ids"): [
                Command.create({"product_id": self.product_ssd.id})
            ],
            ("account.move.line", "breakfix_ticket_id"): self.other_ticket.id,
            ("breakfix.rate.card", "company_id"): self.company_b.id,
            ("breakfix.rate.card", "currency_id"): self.env.ref("base.EUR").id,
            ("breakfix.rate.card", "line_ids"): [Command.clear()],
            ("breakfix.rate.card", "calendar_id"): self.calendar.id,
            ("breakfix.rate.card.line", "rate_card_id"): self.default_rate_card.id,
            ("breakfix.rate.card.line", "work_type_id"): self.work_type_onsite.id,
            ("breakfix.work.type", "company_id"): self.company_b.id,
            ("breakfix.work.type", "product_id"): self.product_remote.id,
            ("breakfix.coverage", "company_id"): self.company_b.id,
            ("breakfix.prepaid.block", "company_id"): self.company_b.id,
            ("breakfix.prepaid.block", "currency_id"): self.env.ref("base.EUR").id,
            ("breakfix.prepaid.block", "partner_id"): self.other_customer.id,
            ("breakfix.prepaid.block", "user_id"): self.manager.id
            if self.block.user_id != self.manager
            else self.env.user.id,
            ("breakfix.prepaid.block", "invoice_id"): self.invoice.id,
            ("breakfix.coverage", "category_ids"): [Command.link(self.category.id)],
        }

    def _new_value(self, record, fname):
        """A value of ``fname`` other than the record's, valid for a user who
        may write it."""
        field = record._fields[fname]
        known = self._other_values().get((record._name, fname))
        if known is not None:
            return known
        value = record[fname]
        if field.type == "boolean":
            return not value
        if field.type in ("integer", "float", "monetary"):
            return value + 1
        if field.type in ("char", "text", "html"):
            return "Changed"
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != value)
        if field.type == "date":
            return (value or fields.Date.today()) + timedelta(days=1)
        if field.type == "datetime":
            return (value or fields.Datetime.now()) + timedelta(hours=1)
        if field.type in ("binary", "image"):
            return SIGNATURE_PNG
        if field.type == "json":
            return {"changed": True}
        if field.type == "many2one":
            comodel = self.env[field.comodel_name]
            domain = [("id", "!=", value.id)]
            if "company_id" in comodel._fields:
                domain += [("company_id", "in", (False, self.company.id))]
            return comodel.search(domain, limit=1).id
        # x2many: take the records away, or add one
        if value:
            return [Command.clear()]
        comodel = self.env[field.comodel_name]
        return [Command.link(comodel.search([], limit=1).id)]

    def test_every_stored_field_of_the_addon_is_declared(self):
        undeclared = {}
        for name, fnames in addon_stored_fields(self.env).items():
            declared = getattr(self.env[name], "_breakfix_field_writers", {})
            if set(fnames) - set(declared):
                undeclared[name] = sorted(set(fnames) - set(declared))
        self.assertEqual(undeclared, {})
        self.assertEqual(
            set(addon_stored_fields(self.env)) - {"breakfix.field.access"},
            set(self._records()),
            "a model the addon writes fields on has no record in this test",
        )

    def test_each_role_writes_exactly_what_is_declared(self):
        checked = {"allowed": 0, "refused": 0}
        for name, record in self._records().items():
            self.assertTrue(record, name)
            writers = record._breakfix_field_writers
            for fname in addon_stored_fields(self.env)[name]:
                value = self._new_value(record, fname)
                for role, user in self.users.items():
                    declared = bool(USER_ROLES[role] & set(writers[fname]))
                    # the model's own access rights and rules come first
                    as_user = record.with_user(user)
                    allowed = declared and as_user.has_access("write")
                    with self.subTest(model=name, field=fname, role=role):
                        self._assert_write(as_user, fname, value, allowed)
                    checked["allowed" if allowed else "refused"] += 1
        # the declarations are not all "nobody": real writes were allowed
        self.assertGreater(checked["allowed"], 60)
        self.assertGreater(checked["refused"], 300)

    def _assert_write(self, record, fname, value, allowed):
        before = record.sudo()[fname]
        if allowed:
            # allowed, then undone: the next role finds the record as it was
            with self.assertRaises(Undo):
                record.write({fname: value})
                record.flush_recordset()
                raise Undo
            return
        with self.assertRaises(AccessError):
            record.write({fname: value})
            record.flush_recordset()
        self.assertEqual(record.sudo()[fname], before)
