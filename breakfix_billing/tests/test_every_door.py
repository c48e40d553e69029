# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The same rules from outside: JSON-RPC (``/jsonrpc`` and the web client's
``/web/dataset/call_kw``) and XML-RPC against the real server, as each role
and as an attacker would."""

import json
import math
import xmlrpc.client

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import BreakfixInvoicingCommon, brussels

# what the server logs of a refused call: expected here, not an error
RPC_LOGGERS = ("odoo.http", "odoo.service.model", "odoo.addons.base.models.ir_rule")


@tagged("post_install", "-at_install")
class TestEveryDoor(BreakfixInvoicingCommon, HttpCase):
    """A ticket with 1.00 h on Tuesday 17 November 2026 at 10:00 (100.00) and
    a RAM module (45.00), to invoice; another ticket drafted, whose invoice
    lines bill its time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._create_ticket()
        cls.entry = cls._log_time(cls.ticket, brussels(17, 10), 1.0)
        cls.part = cls._add_part(cls.ticket, cls.product_ram)
        drafted = cls._create_ticket(name="Mail down")
        cls.drafted_entry = cls._log_time(drafted, brussels(18, 10), 1.0)
        cls.drafted_part = cls._add_part(drafted, cls.product_ram)
        cls.invoice = cls._action_invoices(
            drafted.with_user(cls.manager).action_breakfix_create_invoice()
        )
        # read as the superuser from here on
        for name in ("entry", "part", "drafted_entry", "drafted_part"):
            record = getattr(cls, name)
            setattr(cls, name, cls.env[record._name].browse(record.ids))
        cls.labour_line = cls.env["account.move.line"].browse(
            cls.drafted_entry.breakfix_invoice_line_ids.ids
        )
        cls.part_line = cls.env["account.move.line"].browse(
            cls.drafted_part.invoice_line_id.ids
        )
        cls.coverage = cls.env["breakfix.coverage"].create(
            {"name": "Other plan", "partner_id": cls.env.ref("base.res_partner_2").id}
        )
        cls.portal = new_test_user(
            cls.env,
            login="bf_door_portal",
            groups="base.group_portal",
            partner_id=cls.env["res.partner"]
            .create({"name": "Pat Portal", "parent_id": cls.customer.id})
            .id,
        )
        # new_test_user's password is the login

    # the three doors ------------------------------------------------------

    def _xmlrpc(self, user, model, method, *args):
        try:
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname, user.id, user.login, model, method, list(args)
            )
        except xmlrpc.client.Fault as fault:
            return {"error": fault.faultString}

    def _jsonrpc(self, user, model, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.env.cr.dbname,
                    user.id,
                    user.login,
                    model,
                    method,
                    list(args),
                ],
            },
        }
        return self._post_json("/jsonrpc", payload)

    def _call_kw(self, user, model, method, *args):
        self.authenticate(user.login, user.login)
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": {},
            },
        }
        return self._post_json(f"/web/dataset/call_kw/{model}/{method}", payload)

    def _post_json(self, url, payload):
        # json.dumps writes NaN and Infinity, as an attacker's client may
        response = self.url_open(
            url, data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        answer = response.json()
        if "error" in answer:
            return {"error": answer["error"]["data"]["message"]}
        return answer["result"]

    def _doors(self):
        return {
            "xmlrpc": self._xmlrpc,
            "jsonrpc": self._jsonrpc,
            "call_kw": self._call_kw,
        }

    def _assert_refused(self, result, message):
        self.assertIsInstance(result, dict)
        self.assertIn(message, result.get("error", ""))

    # the tests ------------------------------------------------------------

    @mute_logger(*RPC_LOGGERS)
    def test_computed_ticket_fields_are_nobody_s(self):
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 145.0)
        attacks = {
            "breakfix_coverage_id": self.coverage.id,
            "breakfix_repeat_of_id": self.invoice.breakfix_ticket_ids.id,
            "breakfix_invoice_status": "drafted",
            "breakfix_last_draft_attempt": "2026-12-01 10:00:00",
            "breakfix_policy_manual": True,
            "breakfix_currency_id": self.env.ref("base.EUR").id,
        }
        for door_name, door in self._doors().items():
            for user in (self.tech, self.manager, self.finance):
                for fname, value in attacks.items():
                    with self.subTest(door=door_name, user=user.login, field=fname):
                        result = door(
                            user,
                            "helpdesk.ticket",
                            "write",
                            [self.ticket.id],
                            {fname: value},
                        )
                        self._assert_refused(result, "")
        self.env.invalidate_all()
        self.assertFalse(self.ticket.breakfix_coverage_id)
        self.assertFalse(self.ticket.breakfix_repeat_of_id)
        self.assertEqual(self.ticket.breakfix_invoice_status, "to_invoice")
        self.assertEqual(self.ticket.breakfix_policy, "billable")
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 145.0)

    @mute_logger(*RPC_LOGGERS)
    def test_invoice_links_are_the_invoicing_code_s(self):
        entry, part = "account.analytic.line", "helpdesk.ticket.material"
        line, clear = "account.move.line", [(5, 0, 0)]
        attacks = [
            # cut invoiced work loose: it would be drafted again
            (entry, self.drafted_entry, "breakfix_invoice_line_ids", clear),
            (part, self.drafted_part, "invoice_line_id", False),
            (line, self.labour_line, "breakfix_timesheet_ids", clear),
            (line, self.part_line, "breakfix_material_ids", clear),
            (line, self.labour_line, "breakfix_released", True),
            # make work to invoice look invoiced
            (
                entry,
                self.entry,
                "breakfix_invoice_line_ids",
                [(4, self.labour_line.id)],
            ),
            (part, self.part, "invoice_line_id", self.labour_line.id),
            (line, self.labour_line, "breakfix_timesheet_ids", [(4, self.entry.id)]),
        ]
        for door_name, door in self._doors().items():
            for user in (self.tech, self.manager, self.finance):
                for model, record, fname, value in attacks:
                    with self.subTest(door=door_name, user=user.login, field=fname):
                        result = door(user, model, "write", record.ids, {fname: value})
                        self._assert_refused(result, "")
        # a new part that claims to be invoiced already
        for door_name, door in self._doors().items():
            with self.subTest(door=door_name):
                result = door(
                    self.tech,
                    "helpdesk.ticket.material",
                    "create",
                    {
                        "ticket_id": self.ticket.id,
                        "product_id": self.product_ssd.id,
                        "invoice_line_id": self.labour_line.id,
                    },
                )
                self._assert_refused(
                    result,
                    "The field “Invoice Line” (Part Used on a Ticket) is kept by "
                    "Odoo: it cannot be set by hand.",
                )
        self.env.invalidate_all()
        self.assertEqual(self.drafted_entry.breakfix_invoice_line_ids, self.labour_line)
        self.assertTrue(self.drafted_part.invoice_line_id)
        self.assertFalse(self.labour_line.breakfix_released)
        self.assertFalse(self.entry.breakfix_invoice_line_ids)
        self.assertFalse(self.part.invoice_line_id)
        self.assertEqual(self.ticket.breakfix_material_ids, self.part)
        self.assertEqual(self.ticket.breakfix_amount_to_invoice, 145.0)

    @mute_logger(*RPC_LOGGERS)
    def test_what_a_role_may_write_it_writes_at_every_door(self):
        for door_name, door in self._doors().items():
            with self.subTest(door=door_name):
                # the technician flags an emergency: 75.00 call-out on top
                self.assertIs(
                    door(
                        self.tech,
                        "helpdesk.ticket",
                        "write",
                        [self.ticket.id],
                        {"breakfix_emergency": True},
                    ),
                    True,
                )
                self.env.invalidate_all()
                self.assertEqual(self.ticket.breakfix_amount_to_invoice, 220.0)
                # ...and may not make the ticket free
                self._assert_refused(
                    door(
                        self.tech,
                        "helpdesk.ticket",
                        "write",
                        [self.ticket.id],
                        {"breakfix_policy": "non_billable"},
                    ),
                    "Only break/fix billing managers can change the field “Billing "
                    "Policy” (Helpdesk Ticket).",
                )
                self.ticket.breakfix_emergency = False
                self.env.invalidate_all()
                self.assertEqual(self.ticket.breakfix_amount_to_invoice, 145.0)

    @mute_logger(*RPC_LOGGERS)
    def test_bad_numbers_from_outside(self):
        for door_name, door in (
            ("jsonrpc", self._jsonrpc),
            ("call_kw", self._call_kw),
            ("xmlrpc", self._xmlrpc),
        ):
            for value in (math.nan, math.inf, -math.inf, 1e12):
                with self.subTest(door=door_name, value=value):
                    result = door(
                        self.manager,
                        "breakfix.rate.card",
                        "write",
                        [self.card.id],
                        {"rounding_minutes": value},
                    )
                    self._assert_refused(result, "The field “Rounding (minutes)”")
                    result = door(
                        self.tech,
                        "helpdesk.ticket.material",
                        "write",
                        [self.part.id],
                        {"quantity": value},
                    )
                    self._assert_refused(result, "The field “Quantity”")
        self.env.invalidate_all()
        self.assertEqual(self.card.rounding_minutes, 15)
        self.assertEqual(self.part.quantity, 1.0)

    @mute_logger(*RPC_LOGGERS)
    def test_portal_reads_nothing_of_rate_cards(self):
        partner = self.portal.partner_id.commercial_partner_id
        self.assertEqual(partner.breakfix_rate_card_id, self.card)
        for door_name, door in self._doors().items():
            with self.subTest(door=door_name):
                result = door(
                    self.portal,
                    "res.partner",
                    "read",
                    [self.portal.partner_id.id],
                    ["breakfix_rate_card_id"],
                )
                self._assert_refused(result, "")
                result = door(
                    self.portal, "breakfix.rate.card", "read", [self.card.id], ["name"]
                )
                self._assert_refused(result, "")

    @mute_logger(*RPC_LOGGERS)
    def test_team_and_stage_billing_settings_at_every_door(self):
        """Whether a team bills and a stage drafts is the billing managers'
        call, from outside too: a helpdesk manager who is no billing manager
        is refused, one who is both may."""
        helpdesk_manager = new_test_user(
            self.env,
            login="bf_door_helpdesk_manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        configurer = new_test_user(
            self.env,
            login="bf_door_configurer",
            groups="helpdesk_mgmt.group_helpdesk_manager,"
            "breakfix_billing.group_breakfix_manager",
        )
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled")
        settings = (
            (
                "helpdesk.ticket.team",
                self.team,
                "breakfix_enabled",
                "Break/fix Billing",
            ),
            (
                "helpdesk.ticket.stage",
                stage,
                "breakfix_draft_invoice",
                "Draft Break/fix Invoices",
            ),
        )
        for door_name, door in self._doors().items():
            for model, record, fname, label in settings:
                with self.subTest(door=door_name, field=fname):
                    before = record[fname]
                    self._assert_refused(
                        door(
                            helpdesk_manager,
                            model,
                            "write",
                            [record.id],
                            {fname: not before},
                        ),
                        f"Only break/fix billing managers can change the field "
                        f"“{label}”",
                    )
                    self.env.invalidate_all()
                    self.assertEqual(record[fname], before)
                    self.assertIs(
                        door(
                            configurer, model, "write", [record.id], {fname: not before}
                        ),
                        True,
                    )
                    self.env.invalidate_all()
                    self.assertEqual(record[fname], not before)
                    record[fname] = before

    @mute_logger(*RPC_LOGGERS)
    def test_invoicing_mode_at_every_door(self):
        """Invoicing a customer monthly is the billing managers' call: a
        technician who may edit contacts is refused at every door, a billing
        manager is not; the customer's contact follows."""
        for door_name, door in self._doors().items():
            with self.subTest(door=door_name):
                self._assert_refused(
                    door(
                        self.technician,
                        "res.partner",
                        "write",
                        [self.customer.id],
                        {"breakfix_invoicing_mode": "monthly"},
                    ),
                    "Only break/fix billing managers can change the field "
                    "“Break/fix Invoicing” (Contact).",
                )
                self.env.invalidate_all()
                self.assertFalse(self.contact._breakfix_invoiced_monthly(self.company))
                self.assertIs(
                    door(
                        self.billing_manager,
                        "res.partner",
                        "write",
                        [self.customer.id],
                        {"breakfix_invoicing_mode": "monthly"},
                    ),
                    True,
                )
                self.env.invalidate_all()
                self.assertTrue(self.contact._breakfix_invoiced_monthly(self.company))
                self.customer.breakfix_invoicing_mode = "per_ticket"

    @mute_logger(*RPC_LOGGERS)
    def test_the_customer_s_answer_is_nobody_s_to_write(self):
        """The approval's answer is the portal's: no role writes it from
        outside, a billing manager neither; the purchase order and the cap
        are the billing managers'."""
        answer = {
            "breakfix_approval_state": "approved",
            "breakfix_approval_amount": 99999.0,
            "breakfix_approval_signed_by": "Mallory",
            "breakfix_approval_date": "2026-12-01 10:00:00",
            "breakfix_approval_ip": "203.0.113.9",
            "breakfix_approval_decline_reason": "Forged",
        }
        for door_name, door in self._doors().items():
            for user in (self.tech, self.manager, self.finance):
                for fname, value in answer.items():
                    with self.subTest(door=door_name, user=user.login, field=fname):
                        self._assert_refused(
                            door(
                                user,
                                "helpdesk.ticket",
                                "write",
                                [self.ticket.id],
                                {fname: value},
                            ),
                            "",
                        )
            with self.subTest(door=door_name, field="breakfix_customer_po"):
                self._assert_refused(
                    door(
                        self.tech,
                        "helpdesk.ticket",
                        "write",
                        [self.ticket.id],
                        {"breakfix_customer_po": "PO-1"},
                    ),
                    "Only break/fix billing managers can change the field "
                    "“Customer PO” (Helpdesk Ticket).",
                )
                self.assertIs(
                    door(
                        self.manager,
                        "helpdesk.ticket",
                        "write",
                        [self.ticket.id],
                        {"breakfix_customer_po": f"PO-{door_name}"},
                    ),
                    True,
                )
            with self.subTest(door=door_name, field="breakfix_monthly_cap"):
                self._assert_refused(
                    door(
                        self.technician,
                        "res.partner",
                        "write",
                        [self.customer.id],
                        {"breakfix_monthly_cap": 1.0},
                    ),
                    "Only break/fix billing managers can change the field "
                    "“Break/fix Monthly Cap” (Contact).",
                )
        self.env.invalidate_all()
        ticket = self.ticket.sudo()
        self.assertEqual(ticket.breakfix_approval_state, "none")
        self.assertFalse(ticket.breakfix_approval_signed_by)
        self.assertEqual(ticket.breakfix_customer_po, "PO-call_kw")
        self.assertFalse(self.customer.breakfix_monthly_cap)

    @mute_logger(*RPC_LOGGERS)
    def test_review_and_billed_hours_are_the_billing_managers(self):
        """A technician neither approves work for invoicing nor sets the hours
        billed, at any door; a billing manager does both."""
        self.team.breakfix_require_review = True
        entry = self._log_time(self.ticket, brussels(18, 14), 1.2)
        for door_name, door in self._doors().items():
            with self.subTest(door=door_name):
                self._assert_refused(
                    door(
                        self.tech,
                        "account.analytic.line",
                        "write",
                        [entry.id],
                        {"breakfix_billed_hours_override": 1.0},
                    ),
                    "Only break/fix billing managers can change the field “Bill "
                    "Hours” (Analytic Line).",
                )
                self._assert_refused(
                    door(
                        self.tech,
                        "account.analytic.line",
                        "action_breakfix_review_approve",
                        [entry.id],
                    ),
                    "Only break/fix billing managers can approve work for invoicing.",
                )
                self._assert_refused(
                    door(
                        self.manager,
                        "account.analytic.line",
                        "write",
                        [entry.id],
                        {"breakfix_review_state": "approved"},
                    ),
                    "",
                )
        self.env.invalidate_all()
        self.assertEqual(entry.breakfix_review_state, "to_review")
        self.assertFalse(entry.breakfix_billed_hours_override)
        self.assertIs(
            self._call_kw(
                self.manager,
                "account.analytic.line",
                "write",
                [entry.id],
                {"breakfix_billed_hours_override": 1.0},
            ),
            True,
        )
        self.assertIs(
            self._call_kw(
                self.manager,
                "account.analytic.line",
                "action_breakfix_review_approve",
                [entry.id],
            ),
            True,
        )
        self.env.invalidate_all()
        self.assertRecordValues(
            entry,
            [
                {
                    "breakfix_review_state": "approved",
                    "breakfix_billed_hours_override": 1.0,
                    "breakfix_amount": 100.0,
                }
            ],
        )

    @mute_logger(*RPC_LOGGERS)
    def test_distances_and_mileage_rates_are_the_billing_managers(self):
        for door_name, door in self._doors().items():
            with self.subTest(door=door_name):
                self._assert_refused(
                    door(
                        self.tech,
                        "account.analytic.line",
                        "write",
                        [self.entry.id],
                        {"breakfix_distance_km": 99.0},
                    ),
                    "Only break/fix billing managers can change the field "
                    "“Distance (km)” (Analytic Line).",
                )
                self._assert_refused(
                    door(
                        self.technician,
                        "res.partner",
                        "write",
                        [self.customer.id],
                        {"breakfix_distance_km": 99.0},
                    ),
                    "Only break/fix billing managers can change the field "
                    "“Break/fix Distance (km)” (Contact).",
                )
                self._assert_refused(
                    door(
                        self.tech,
                        "breakfix.rate.card",
                        "write",
                        [self.card.id],
                        {"mileage_rate": 9.0},
                    ),
                    "",
                )
        self.env.invalidate_all()
        self.assertFalse(self.entry.breakfix_distance_km)
        self.assertFalse(self.customer.breakfix_distance_km)
        self.assertFalse(self.card.mileage_rate)
        self.assertIs(
            self._call_kw(
                self.billing_manager,
                "res.partner",
                "write",
                [self.customer.id],
                {"breakfix_distance_km": 42.0},
            ),
            True,
        )

    @mute_logger(*RPC_LOGGERS)
    def test_the_other_new_settings_refuse_a_technician_at_every_door(self):
        """The fields added with monthly invoicing, the cap, review, free
        work on invoices and expenses at cost, over every door, as a
        technician: refused, nothing written."""
        settings = (
            ("res.company", self.company, "breakfix_invoicing_mode", "monthly"),
            ("res.partner", self.customer, "breakfix_cap_alert_level", 100),
            ("helpdesk.ticket.team", self.team, "breakfix_require_review", True),
            (
                "helpdesk.ticket.team",
                self.team,
                "breakfix_invoice_show_no_charge",
                True,
            ),
            (
                "product.template",
                self.product_ram.product_tmpl_id,
                "breakfix_rebill_at_cost",
                True,
            ),
            ("account.analytic.line", self.entry, "breakfix_review_state", "approved"),
        )
        for door_name, door in self._doors().items():
            for model, record, fname, value in settings:
                with self.subTest(door=door_name, field=fname):
                    before = record.sudo()[fname]
                    self._assert_refused(
                        door(
                            self.technician, model, "write", [record.id], {fname: value}
                        ),
                        "",
                    )
                    self.env.invalidate_all()
                    self.assertEqual(record.sudo()[fname], before)
