# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command
from odoo.tests import Form, tagged

from .common import BreakfixTicketCommon, brussels

# Ticket totals of a ticket without charges; each test updates what it expects.
NOTHING = {
    "breakfix_billed_hours": 0.0,
    "breakfix_labour_amount": 0.0,
    "breakfix_callout_amount": 0.0,
    "breakfix_minimum_amount": 0.0,
    "breakfix_trip_amount": 0.0,
    "breakfix_material_amount": 0.0,
    "breakfix_no_charge_value": 0.0,
    "breakfix_amount_to_invoice": 0.0,
}


@tagged("post_install", "-at_install")
class TestTicketDefaults(BreakfixTicketCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.euro_card = cls.env["breakfix.rate.card"].create(
            {"name": "Euro rates", "currency_id": cls.eur.id}
        )
        cls.euro_customer = cls.env["res.partner"].create(
            {
                "name": "Euro Customer BV",
                "is_company": True,
                "breakfix_rate_card_id": cls.euro_card.id,
            }
        )
        cls.customer_without_card = cls.env["res.partner"].create(
            {"name": "Walk-in Customer", "is_company": True}
        )

    def test_policy_from_the_team_else_billable(self):
        self.team.breakfix_default_policy = "warranty"
        self.assertEqual(self._create_ticket().breakfix_policy, "warranty")
        self.team.breakfix_default_policy = False
        self.assertEqual(self._create_ticket().breakfix_policy, "billable")
        self.assertEqual(self._create_ticket(team_id=False).breakfix_policy, "billable")

    def test_rate_card_of_the_commercial_partner(self):
        ticket = self._create_ticket()
        self.assertEqual(ticket.breakfix_rate_card_id, self.card)
        self.assertEqual(ticket.breakfix_currency_id, self.currency)
        # a contact of the customer company gets the company's card
        ticket = self._create_ticket(partner_id=self.contact.id)
        self.assertEqual(ticket.breakfix_rate_card_id, self.card)

    def test_rate_card_falls_back_to_the_company_default(self):
        ticket = self._create_ticket(partner_id=self.customer_without_card.id)
        self.assertEqual(ticket.breakfix_rate_card_id, self.default_rate_card)
        ticket = self._create_ticket(partner_id=False)
        self.assertEqual(ticket.breakfix_rate_card_id, self.default_rate_card)

    def test_currency_is_the_rate_card_currency(self):
        ticket = self._create_ticket(partner_id=self.euro_customer.id)
        self.assertEqual(ticket.breakfix_rate_card_id, self.euro_card)
        self.assertEqual(ticket.breakfix_currency_id, self.eur)
        # a new customer brings their rate card and its currency
        ticket.partner_id = self.customer
        self.assertEqual(ticket.breakfix_rate_card_id, self.card)
        self.assertEqual(ticket.breakfix_currency_id, self.currency)


@tagged("post_install", "-at_install")
class TestTicketPricing(BreakfixTicketCommon):
    """Exact charges of tickets priced by "Brussels rates" (see common.py)."""

    def assertTotals(self, ticket, **expected):
        self.assertAmounts(ticket, {**NOTHING, **expected})

    def assertTraceInSummary(self, ticket):
        """Every labour line's pricing trace is in the ticket's summary."""
        summary = str(ticket.breakfix_pricing_summary)
        traces = ticket.timesheet_ids.mapped("breakfix_pricing_trace")
        for label in "\n".join(filter(None, traces)).splitlines():
            self.assertIn(label, summary)
        return summary

    def test_form_shows_the_price_live(self):
        ticket = self._create_ticket()
        # the web client's context holds the user's id (the timesheet list's
        # default user)
        form = Form(ticket.with_user(self.tech).with_context(uid=self.tech.id))
        with form.timesheet_ids.new() as line:
            line.date_time = brussels(17, 16)
            line.employee_id = self.tech_employee
            line.name = "Replaced the core switch"
            line.unit_amount = 1.9
            line.breakfix_work_type_id = self.work_type_remote
        with form.breakfix_material_ids.new() as part:
            part.product_id = self.product_ram
            part.quantity = 2
        # Tuesday 16:00, 1.9 h rounded up to 15 min = 2.00 h:
        # 16:00-17:00 business 1.00 h × 100.00 = 100.00
        # 17:00-18:00 after hours 1.00 h × 150.00 = 150.00
        # RAM from the customer's pricelist: 2 × 45.00 = 90.00
        self.assertEqual(form.breakfix_labour_amount, 250.0)
        self.assertEqual(form.breakfix_material_amount, 90.0)
        self.assertEqual(form.breakfix_billed_hours, 2.0)
        self.assertEqual(form.breakfix_amount_to_invoice, 340.0)
        form.save()

        entry = ticket.timesheet_ids
        self.assertEqual(entry.employee_id, self.tech_employee)
        self.assertAmounts(
            entry, {"breakfix_billed_hours": 2.0, "breakfix_amount": 250.0}
        )
        self.assertEqual(
            entry.breakfix_pricing_trace,
            "2026-11-17 · T. Tech · Test remote · 1.00 h "
            "(logged 1.90 h, rounded up to 15 min)\n"
            "2026-11-17 · T. Tech · Test remote · 1.00 h "
            "(logged 1.90 h, rounded up to 15 min) · after hours ×1.5",
        )
        part = ticket.breakfix_material_ids
        self.assertAmounts(part, {"price_unit": 45.0, "price_subtotal": 90.0})
        self.assertFalse(part.price_is_manual)
        self.assertTotals(
            ticket,
            breakfix_billed_hours=2.0,
            breakfix_labour_amount=250.0,
            breakfix_material_amount=90.0,
            breakfix_amount_to_invoice=340.0,
        )

    def test_form_counts_the_time_of_other_technicians(self):
        ticket = self._create_ticket()
        # Tuesday 09:00, 1 h by the manager at her own rate: 130.00; the
        # technician may not read her entry (own timesheets only)
        self._log_time(ticket, brussels(17, 9), 1.0, user=self.manager)
        self.env.invalidate_all()
        form = Form(ticket.with_user(self.tech).with_context(uid=self.tech.id))
        self.assertEqual(len(form.timesheet_ids), 0)
        self.assertEqual(form.breakfix_amount_to_invoice, 130.0)
        with form.timesheet_ids.new() as line:
            line.date_time = brussels(17, 10)
            line.employee_id = self.tech_employee
            line.unit_amount = 1.0
            line.breakfix_work_type_id = self.work_type_remote
        # and Tuesday 10:00, 1 h by the technician: 100.00
        self.assertEqual(form.breakfix_amount_to_invoice, 230.0)
        form.save()
        self.assertEqual(ticket.breakfix_amount_to_invoice, 230.0)
        self.assertEqual(
            ticket.with_user(self.manager).breakfix_amount_to_invoice, 230.0
        )

    def test_entry_crossing_the_end_of_the_working_day(self):
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(17, 16), 1.9)
        # 1.9 h rounded up to 15 min = 2.00 h from Tuesday 16:00:
        # 16:00-17:00 business 1.00 h × 100.00 = 100.00
        # 17:00-18:00 after hours 1.00 h × (100.00 × 1.5) = 150.00
        self.assertAmounts(
            entry, {"breakfix_billed_hours": 2.0, "breakfix_amount": 250.0}
        )
        self.assertTotals(
            ticket,
            breakfix_billed_hours=2.0,
            breakfix_labour_amount=250.0,
            breakfix_amount_to_invoice=250.0,
        )
        self.assertTraceInSummary(ticket)

    def test_entry_crossing_friday_midnight(self):
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(20, 23), 2.0)
        # Friday 23:00-24:00 after hours 1.00 h × 150.00 = 150.00
        # Saturday 00:00-01:00 weekend 1.00 h × 200.00 = 200.00
        self.assertEqual(
            entry.breakfix_pricing_trace,
            "2026-11-20 · T. Tech · Test remote · 1.00 h · after hours ×1.5\n"
            "2026-11-21 · T. Tech · Test remote · 1.00 h · weekend ×2.0",
        )
        self.assertTotals(
            ticket,
            breakfix_billed_hours=2.0,
            breakfix_labour_amount=350.0,
            breakfix_amount_to_invoice=350.0,
        )
        self.assertTraceInSummary(ticket)

    def test_public_holiday_from_the_calendar(self):
        ticket = self._create_ticket()
        holiday = self._log_time(ticket, brussels(11, 10), 1.5)
        weekday = self._log_time(ticket, brussels(18, 10), 1.5)
        # Wednesday 11 November is Armistice Day: 1.50 h × 200.00 = 300.00;
        # the Wednesday after, business hours: 1.50 h × 100.00 = 150.00
        self.assertEqual(
            holiday.breakfix_pricing_trace,
            "2026-11-11 · T. Tech · Test remote · 1.50 h · public holiday ×2.0",
        )
        self.assertEqual(holiday.breakfix_amount, 300.0)
        self.assertEqual(weekday.breakfix_amount, 150.0)
        self.assertTotals(
            ticket,
            breakfix_billed_hours=3.0,
            breakfix_labour_amount=450.0,
            breakfix_amount_to_invoice=450.0,
        )
        # the holiday is taken off the calendar: the same day becomes a
        # working day, and the entry is repriced (1.50 h × 100.00)
        self.holiday.unlink()
        self.assertEqual(holiday.breakfix_amount, 150.0)
        self.assertEqual(ticket.breakfix_amount_to_invoice, 300.0)

    def test_emergency_on_a_weekday_evening(self):
        self.card.emergency_factor = 2.0
        ticket = self._create_ticket(breakfix_emergency=True)
        entry = self._log_time(ticket, brussels(19, 16, 30), 1.5)
        # Thursday 16:30-17:00 business 0.50 h: max(1.0, 2.0) → 200.00 = 100.00
        # 17:00-18:00 after hours 1.00 h: max(1.5, 2.0) → 200.00 = 200.00
        # call-out fee 75.00
        self.assertEqual(
            entry.breakfix_pricing_trace,
            "2026-11-19 · T. Tech · Test remote · 0.50 h · emergency ×2.0\n"
            "2026-11-19 · T. Tech · Test remote · 1.00 h · emergency ×2.0",
        )
        self.assertTotals(
            ticket,
            breakfix_billed_hours=1.5,
            breakfix_labour_amount=300.0,
            breakfix_callout_amount=75.0,
            breakfix_amount_to_invoice=375.0,
        )
        summary = self.assertTraceInSummary(ticket)
        self.assertIn("Emergency call-out fee", summary)

    def test_emergency_on_a_saturday_keeps_the_weekend_factor(self):
        self.card.emergency_factor = 1.5
        ticket = self._create_ticket(breakfix_emergency=True)
        entry = self._log_time(ticket, brussels(21, 10), 2.0)
        # Saturday 10:00-12:00: max(weekend 2.0, emergency 1.5) = 2.0:
        # 2.00 h × 200.00 = 400.00; call-out fee 75.00
        self.assertEqual(
            entry.breakfix_pricing_trace,
            "2026-11-21 · T. Tech · Test remote · 2.00 h · weekend ×2.0",
        )
        self.assertTotals(
            ticket,
            breakfix_billed_hours=2.0,
            breakfix_labour_amount=400.0,
            breakfix_callout_amount=75.0,
            breakfix_amount_to_invoice=475.0,
        )

    def test_minimum_charge_tops_up_a_short_ticket(self):
        self.card.minimum_minutes = 60
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 10), 0.3)
        # 18 min rounded up to 30 min: 0.50 h × 100.00 = 50.00; the minimum
        # of 60 min adds 30 min at the remote rate: 0.50 h × 100.00 = 50.00
        self.assertTotals(
            ticket,
            breakfix_billed_hours=1.0,
            breakfix_labour_amount=50.0,
            breakfix_minimum_amount=50.0,
            breakfix_amount_to_invoice=100.0,
        )
        summary = self.assertTraceInSummary(ticket)
        self.assertIn("Minimum charge: 60 min per ticket, 30 min billed", summary)
        # another 45 min (rounded to 0.75 h) makes 75 min: no top-up
        self._log_time(ticket, brussels(17, 11), 0.75)
        self.assertTotals(
            ticket,
            breakfix_billed_hours=1.25,
            breakfix_labour_amount=125.0,
            breakfix_amount_to_invoice=125.0,
        )

    def test_one_trip_fee_per_day_on_site(self):
        ticket = self._create_ticket()
        onsite = self.work_type_onsite
        self._log_time(ticket, brussels(16, 9), 2.0, work_type=onsite)
        self._log_time(ticket, brussels(16, 14), 1.0, work_type=onsite)
        self._log_time(ticket, brussels(17, 14), 1.0, work_type=onsite)
        self._log_time(ticket, brussels(18, 10), 1.0)
        # on-site at the work type's 110.00: Monday 2.00 h + 1.00 h = 330.00,
        # Tuesday 1.00 h = 110.00; remote Wednesday 1.00 h × 100.00 = 100.00
        # trips: Monday and Tuesday, 2 × 40.00 = 80.00
        self.assertTotals(
            ticket,
            breakfix_billed_hours=5.0,
            breakfix_labour_amount=540.0,
            breakfix_trip_amount=80.0,
            breakfix_amount_to_invoice=620.0,
        )
        summary = self.assertTraceInSummary(ticket)
        self.assertIn("Trip fee · 2026-11-16", summary)
        self.assertIn("Trip fee · 2026-11-17", summary)
        self.assertNotIn("Trip fee · 2026-11-18", summary)
        # marked on-site, the ticket bills no trip for Wednesday's remote work
        ticket.breakfix_onsite = True
        self.assertTotals(
            ticket,
            breakfix_billed_hours=5.0,
            breakfix_labour_amount=540.0,
            breakfix_trip_amount=80.0,
            breakfix_amount_to_invoice=620.0,
        )
        self.assertNotIn("Trip fee · 2026-11-18", ticket.breakfix_pricing_summary)

    def test_onsite_ticket_logs_new_time_as_onsite_work(self):
        """SPEC §4.6: the flag gives new entries the team's on-site work type,
        whose days carry the trip fee; remote work stays remote."""
        self.team.breakfix_work_type_id = self.work_type_remote
        self.team.breakfix_onsite_work_type_id = self.work_type_onsite
        ticket = self._create_ticket(breakfix_onsite=True)
        form = Form(ticket.with_user(self.tech).with_context(uid=self.tech.id))
        with form.timesheet_ids.new() as line:
            self.assertEqual(line.breakfix_work_type_id, self.work_type_onsite)
            line.date_time = brussels(19, 9)
            line.employee_id = self.tech_employee
            line.name = "Replaced the switch"
            line.unit_amount = 1.0
        form.save()
        self.assertEqual(
            ticket.timesheet_ids.breakfix_work_type_id, self.work_type_onsite
        )
        self._log_time(ticket, brussels(20, 9), 1.0, work_type=self.work_type_remote)
        # Thursday on site 1.00 h × 110.00 and its trip 40.00; Friday remote
        # 1.00 h × 100.00 and no trip
        self.assertTotals(
            ticket,
            breakfix_billed_hours=2.0,
            breakfix_labour_amount=210.0,
            breakfix_trip_amount=40.0,
            breakfix_amount_to_invoice=250.0,
        )
        # a ticket not marked on-site logs the team's default work type
        remote = self._create_ticket(name="Remote only")
        form = Form(remote.with_user(self.tech).with_context(uid=self.tech.id))
        with form.timesheet_ids.new() as line:
            self.assertEqual(line.breakfix_work_type_id, self.work_type_remote)

    def test_employee_rate_then_generic_rate_then_work_type_rate(self):
        ticket = self._create_ticket()
        generic = self._log_time(ticket, brussels(17, 9), 1.0)
        own_rate = self._log_time(ticket, brussels(17, 10), 1.0, user=self.manager)
        default = self._log_time(
            ticket, brussels(17, 11), 1.0, work_type=self.work_type_onsite
        )
        # business hours, 1 h each: the technician's remote work at the rate
        # card's 100.00 (not the work type's 80.00); the manager's at her own
        # 130.00; on-site, absent from the rate card, at the work type's 110.00
        self.assertEqual(generic.breakfix_amount, 100.0)
        self.assertEqual(own_rate.breakfix_amount, 130.0)
        self.assertEqual(default.breakfix_amount, 110.0)
        self.assertEqual(
            own_rate.breakfix_pricing_trace,
            "2026-11-17 · M. Manager · Test remote · 1.00 h",
        )
        # plus one trip for the on-site hour: 40.00
        self.assertTotals(
            ticket,
            breakfix_billed_hours=3.0,
            breakfix_labour_amount=340.0,
            breakfix_trip_amount=40.0,
            breakfix_amount_to_invoice=380.0,
        )

    def test_work_type_rate_converted_to_the_rate_card_currency(self):
        # 1.00 USD = 0.80 EUR
        eur, customer = self._euro_customer(
            material_pricing="cost_plus",
            material_markup=25.0,
        )
        self.assertEqual(self.company.currency_id, self.env.ref("base.USD"))
        ticket = self._create_ticket(partner_id=customer.id)
        self.assertEqual(ticket.breakfix_currency_id, eur)
        onsite = self._log_time(
            ticket, brussels(17, 9), 1.5, work_type=self.work_type_onsite
        )
        remote = self._log_time(ticket, brussels(17, 14), 1.0)
        part = self._add_part(ticket, self.product_ssd)
        # on-site at the work type's 110.00 USD × 0.8 = 88.00 EUR/h:
        # 1.50 h × 88.00 = 132.00 EUR; remote at the card's 90.00 EUR
        self.assertEqual(onsite.breakfix_currency_id, eur)
        self.assertEqual(onsite.breakfix_amount, 132.0)
        self.assertEqual(remote.breakfix_amount, 90.0)
        # SSD: cost 80.00 USD = 64.00 EUR, plus 25 % = 80.00 EUR
        self.assertEqual(part.currency_id, eur)
        self.assertAmounts(
            part, {"unit_cost": 80.0, "price_unit": 80.0, "price_subtotal": 80.0}
        )
        # labour 132.00 + 90.00, one trip 30.00, the SSD 80.00
        self.assertTotals(
            ticket,
            breakfix_billed_hours=2.5,
            breakfix_labour_amount=222.0,
            breakfix_trip_amount=30.0,
            breakfix_material_amount=80.0,
            breakfix_amount_to_invoice=332.0,
        )

    def test_parts_from_the_pricelist_then_at_cost_plus(self):
        ticket = self._create_ticket()
        ram = self._add_part(ticket, self.product_ram, 3)
        ssd = self._add_part(ticket, self.product_ssd)
        # the customer's pricelist: RAM at a fixed 45.00 → 3 × 45.00 = 135.00;
        # the SSD has no rule: its list price, 150.00
        self.assertAmounts(ram, {"price_unit": 45.0, "price_subtotal": 135.0})
        self.assertAmounts(ssd, {"price_unit": 150.0, "price_subtotal": 150.0})
        self.assertTotals(
            ticket, breakfix_material_amount=285.0, breakfix_amount_to_invoice=285.0
        )
        summary = str(ticket.breakfix_pricing_summary)
        self.assertIn("Test RAM 16 GB", summary)
        self.assertIn("Test SSD 1 TB", summary)

        self.card.write({"material_pricing": "cost_plus", "material_markup": 25.0})
        # cost plus 25 %: RAM 30.00 × 1.25 = 37.50 → 3 × 37.50 = 112.50;
        # SSD 80.00 × 1.25 = 100.00
        self.assertAmounts(ram, {"price_unit": 37.5, "price_subtotal": 112.5})
        self.assertAmounts(ssd, {"price_unit": 100.0, "price_subtotal": 100.0})
        self.assertTotals(
            ticket, breakfix_material_amount=212.5, breakfix_amount_to_invoice=212.5
        )

    def test_covered_ticket_is_all_no_charge_value(self):
        ticket = self._create_ticket()
        ticket.with_user(self.manager).breakfix_policy = "covered"
        entry = self._log_time(ticket, brussels(17, 10), 2.0)
        part = self._add_part(ticket, self.product_ram)
        # 2.00 h × 100.00 = 200.00 and the RAM, 45.00: all given for free;
        # no hour is billed, as the ticket's Billed Hours says
        self.assertAmounts(
            entry,
            {
                "breakfix_billed_hours": 0.0,
                "breakfix_amount": 0.0,
                "breakfix_no_charge_amount": 200.0,
            },
        )
        self.assertEqual(
            entry.breakfix_pricing_trace,
            "2026-11-17 · T. Tech · Test remote · 2.00 h · no charge",
        )
        self.assertEqual(part.price_subtotal, 45.0)
        self.assertTotals(
            ticket, breakfix_billed_hours=0.0, breakfix_no_charge_value=245.0
        )
        self.assertIn("no charge", ticket.breakfix_pricing_summary)

    def test_running_timer_is_shown_not_billed(self):
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 9), 1.0)
        timer = self._log_time(ticket, brussels(17, 13), 0.0)
        self.assertIn(timer, ticket.timesheet_ids)
        self.assertAmounts(
            timer, {"breakfix_billed_hours": 0.0, "breakfix_amount": 0.0}
        )
        self.assertFalse(timer.breakfix_pricing_trace)
        # only the finished hour: 1.00 h × 100.00
        self.assertTotals(
            ticket,
            breakfix_billed_hours=1.0,
            breakfix_labour_amount=100.0,
            breakfix_amount_to_invoice=100.0,
        )
        # stopped at 14:30: 1.50 h × 100.00 = 150.00
        timer.with_user(self.tech).with_context(
            stop_dt=brussels(17, 14, 30)
        ).button_end_work()
        self.assertAmounts(
            timer, {"breakfix_billed_hours": 1.5, "breakfix_amount": 150.0}
        )
        self.assertEqual(ticket.breakfix_amount_to_invoice, 250.0)

    def test_work_type_without_rate_is_a_pricing_error(self):
        consulting = self.env["breakfix.work.type"].create(
            {"name": "Test consulting", "product_id": self.product_remote.id}
        )
        ticket = self._create_ticket()
        self._log_time(ticket, brussels(17, 9), 1.0)
        entry = self._log_time(ticket, brussels(17, 10), 1.0, work_type=consulting)
        self.assertIn(entry, ticket.timesheet_ids)
        self.assertEqual(
            ticket.breakfix_pricing_error,
            "No hourly rate for work type “Test consulting” on rate card "
            "“Brussels rates”: add a line for it to the rate card or give the "
            "work type a default rate.",
        )
        self.assertTotals(ticket)
        self.assertEqual(entry.breakfix_amount, 0.0)
        # a billing manager gives it a rate: 1.00 h × 120.00 + 1.00 h × 100.00
        self.card.with_user(self.manager).line_ids = [
            Command.create({"work_type_id": consulting.id, "hourly_rate": 120.0})
        ]
        self.assertFalse(ticket.breakfix_pricing_error)
        self.assertEqual(entry.breakfix_amount, 120.0)
        self.assertTotals(
            ticket,
            breakfix_billed_hours=2.0,
            breakfix_labour_amount=220.0,
            breakfix_amount_to_invoice=220.0,
        )

    def test_rate_card_change_reprices_the_stored_entries(self):
        ticket = self._create_ticket()
        entry = self._log_time(ticket, brussels(17, 16), 2.0)
        other = self._log_time(self._create_ticket(), brussels(17, 17), 1.0)
        self.assertEqual(entry.breakfix_amount, 250.0)
        self.assertEqual(other.breakfix_amount, 150.0)
        self.card.with_user(self.manager).after_hours_factor = 1.75
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, breakfix_amount FROM account_analytic_line WHERE id IN %s",
            [(entry.id, other.id)],
        )
        # 1.00 h × 100.00 + 1.00 h × 175.00; and 1.00 h × 175.00
        self.assertEqual(
            dict(self.env.cr.fetchall()), {entry.id: 275.0, other.id: 175.0}
        )
        self.assertEqual(
            entry.breakfix_pricing_trace.splitlines()[1],
            "2026-11-17 · T. Tech · Test remote · 1.00 h · after hours ×1.75",
        )
        self.assertEqual(ticket.breakfix_amount_to_invoice, 275.0)
