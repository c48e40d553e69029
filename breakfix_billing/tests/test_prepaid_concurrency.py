# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Two invoicing runs at once draw one customer's prepaid block: the block
is never overdrawn, and every draw is linked once (real, committed data and
two connections, as test_invoicing_concurrency.py)."""

import threading
from datetime import date, datetime

from odoo import api
from odoo.tests.common import tagged

from .test_invoicing_concurrency import (
    CLICK,
    CRON,
    FIXTURE_CONTEXT,
    SUPERUSER_ID,
    TIMEOUT,
    BreakfixConcurrencyCommon,
)

BUSY_BLOCK = "another invoicing run is drawing the customer's prepaid block."


@tagged("post_install", "-at_install")
class TestPrepaidConcurrency(BreakfixConcurrencyCommon):
    """Customer A bought 4 hours (its invoice posted); two of its tickets
    have 3 h each at 100.00/h, on Monday 2 March 2026."""

    @classmethod
    def _create_fixture(cls, env):
        result = super()._create_fixture(env)
        block = env["breakfix.prepaid.block"].create(
            {
                "name": "Concurrency 4 hours",
                "partner_id": cls.customer_ids[0],
                "unit": "hours",
                "quantity": 4.0,
                "price": 360.0,
                "date_from": date(2026, 1, 1),
            }
        )
        block.action_breakfix_confirm()
        block.invoice_id.action_post()
        cls.block_id = block.id
        cls.addClassCleanup(cls._delete_block)
        return result

    @classmethod
    def _delete_block(cls):
        """Cancel and delete the block's invoice (the block is a draft
        again), then the block: run before the rest of the fixture goes."""
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, FIXTURE_CONTEXT)
            block = env["breakfix.prepaid.block"].browse(cls.block_id)
            invoice = block.invoice_id
            invoice.button_draft()
            invoice.button_cancel()
            invoice.with_context(force_delete=True).unlink()
            block.unlink()

    def _create_block_tickets(self):
        ticket_ids = []
        self.addCleanup(self._delete_tickets, ticket_ids)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, FIXTURE_CONTEXT)
            tickets = env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Prepaid race {index}",
                        "description": "<p>Two runs draw one block.</p>",
                        "partner_id": self.customer_ids[0],
                        "team_id": self.team_id,
                        "project_id": self.project_id,
                    }
                    for index in (1, 2)
                ]
            )
            ticket_ids.extend(tickets.ids)
            env["account.analytic.line"].create(
                [
                    {
                        "ticket_id": ticket.id,
                        "project_id": self.project_id,
                        "employee_id": self.employee_id,
                        "name": "Work 3 h",
                        "date_time": datetime(2026, 3, 2, 9, 0),
                        "unit_amount": 3.0,
                    }
                    for ticket in tickets
                ]
            )
        return ticket_ids

    def _block_state(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            block = env["breakfix.prepaid.block"].browse(self.block_id)
            return {
                "consumed": block.consumed,
                "balance": block.balance,
                "state": block.state,
                "draws": sorted(
                    (usage.ticket_id.id, usage.quantity, usage.amount)
                    for usage in block.usage_ids
                ),
                "lines": [len(usage.invoice_line_id) for usage in block.usage_ids],
                "invoices": {
                    usage.ticket_id.id: (
                        usage.invoice_id.id,
                        usage.invoice_id.amount_untaxed,
                    )
                    for usage in block.usage_ids
                },
            }

    def test_two_runs_never_overdraw_the_block(self):
        """Two tickets of one customer, drafted at the same moment by the
        cron and a click, each from a snapshot in which the block holds
        4.00 h: one draws 3.00 h, the other is skipped (it would have drawn
        the same hours again); drafted afterwards, it draws the last 1.00 h."""
        # the block's alert adds a message and a follower to it: the class's
        # check of the counts, once the block is deleted, sees them go
        first, second = ticket_ids = self._create_block_tickets()
        barrier = threading.Barrier(2, timeout=TIMEOUT)

        def draft(ticket_id):
            def job(env):
                # the transaction's snapshot: the block as both runs find it
                balance = env["breakfix.prepaid.block"].browse(self.block_id).balance
                barrier.wait()
                return balance, self._draft(env["helpdesk.ticket"].browse(ticket_id))

            return job

        outcomes = self._run_in_threads(
            {
                CRON: (SUPERUSER_ID, draft(first), None),
                CLICK: (self._admin_id(), draft(second), None),
            }
        )
        self.assertFalse(
            {name: o for name, o in outcomes.items() if isinstance(o, Exception)}
        )
        self.assertEqual({o[0] for o in outcomes.values()}, {4.0})
        results = [outcome[1] for outcome in outcomes.values()]
        drafted = [result for result in results if result["drafted"]]
        skipped = [result for result in results if result["skipped"]]
        self.assertEqual((len(drafted), len(skipped)), (1, 1))
        (drafted_id,) = drafted[0]["drafted"]
        (skipped_id,) = skipped[0]["skipped"]
        self.assertEqual({drafted_id, skipped_id}, set(ticket_ids))
        self.assertEqual(skipped[0]["skipped"], {skipped_id: BUSY_BLOCK})
        state = self._block_state()
        self.assertEqual(
            (state["consumed"], state["balance"], state["state"], state["draws"]),
            (3.0, 1.0, "active", [(drafted_id, 3.0, 300.0)]),
        )
        self.assertEqual(state["invoices"][drafted_id][1], 0.0)

        # the skipped ticket, drafted on its own: the last hour, 200.00 to pay
        self.assertEqual(
            self._draft_sequentially([skipped_id])["drafted"], {skipped_id}
        )
        state = self._block_state()
        self.assertEqual(
            (state["consumed"], state["balance"], state["state"]),
            (4.0, 0.0, "used"),
        )
        self.assertEqual(
            state["draws"],
            sorted([(drafted_id, 3.0, 300.0), (skipped_id, 1.0, 100.0)]),
        )
        self.assertEqual(state["lines"], [1, 1])
        self.assertEqual(
            {ticket: amount for ticket, (_move, amount) in state["invoices"].items()},
            {drafted_id: 0.0, skipped_id: 200.0},
        )
        self.assertEqual(len({move for move, _amount in state["invoices"].values()}), 2)
