# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An invoicing run skips the tickets another run is drafting, on real,
committed data: those it finds locked, and those another run committed after
this one read them.

``BaseCase`` tests on the fixture of test_invoicing_concurrency.py, which
says why they cannot be ``TransactionCase`` tests.
"""

import threading

from odoo.tests.common import tagged

from .test_invoicing_concurrency import (
    BUSY,
    CLICK,
    CRON,
    SUPERUSER_ID,
    TIMEOUT,
    BreakfixConcurrencyCommon,
)


@tagged("post_install", "-at_install")
class TestInvoicingBusyTickets(BreakfixConcurrencyCommon):
    def test_a_run_skips_the_tickets_another_run_holds(self):
        """The cron holds the tickets' rows while it drafts: a billing
        manager drafting them then skips them all at once, without waiting
        for the cron, says so, and the cron drafts them."""
        ticket_ids, charges = self._create_tickets(5)
        locked, click_committed = threading.Event(), threading.Event()

        def cron(env):
            return self._draft(env["helpdesk.ticket"].browse(ticket_ids))

        def click(env):
            self.assertTrue(locked.wait(TIMEOUT))
            action = env["helpdesk.ticket"].browse(ticket_ids)
            action = action.action_breakfix_create_invoice()
            messages = env["mail.message"].search(
                [("model", "=", "helpdesk.ticket"), ("res_id", "in", ticket_ids)]
            )
            return {"action": action, "messages": messages.mapped("body")}

        with self._holding_locked_tickets(CRON, locked, click_committed):
            outcomes = self._run_in_threads(
                {
                    CRON: (SUPERUSER_ID, cron, None),
                    CLICK: (self._admin_id(), click, click_committed),
                }
            )
        self.assertFalse(
            [o for o in outcomes.values() if isinstance(o, Exception)], outcomes
        )
        self.assertEqual(outcomes[CRON]["drafted"], set(ticket_ids))
        self.assertFalse(outcomes[CRON]["skipped"])
        # The manager is told that nothing was drafted, and why.
        action = outcomes[CLICK]["action"]
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(
            action["params"]["next"], {"type": "ir.actions.act_window_close"}
        )
        message = action["params"]["message"]
        self.assertTrue(message.startswith("Not drafted: %s: "), message)
        self.assertEqual(len(action["params"]["links"]), 5)
        self.assertEqual(message.count(BUSY), 5)
        # ... and so are the tickets' followers.
        self.assertEqual(len(outcomes[CLICK]["messages"]), 5)
        for body in outcomes[CLICK]["messages"]:
            self.assertIn(BUSY, body)
        self.assertInvoicedOnce(ticket_ids, charges)

    def test_a_run_that_read_before_another_committed_skips(self):
        """A run whose transaction began before another run committed still
        sees the tickets as to invoice: locking them fails (serialization
        failure), it skips them instead of invoicing them twice, and it logs
        no error for it."""
        ticket_ids, charges = self._create_tickets(5)
        click_read, cron_committed = threading.Event(), threading.Event()

        def cron(env):
            self.assertTrue(click_read.wait(TIMEOUT))
            return self._draft(env["helpdesk.ticket"].browse(ticket_ids))

        def click(env):
            tickets = env["helpdesk.ticket"].browse(ticket_ids)
            # the transaction's snapshot is taken now
            statuses = set(tickets.mapped("breakfix_invoice_status"))
            click_read.set()
            self.assertTrue(cron_committed.wait(TIMEOUT))
            # stale, as the transaction's snapshot predates the cron's commit
            self.assertEqual(set(tickets.mapped("breakfix_invoice_status")), statuses)
            return {"statuses": statuses, **self._draft(tickets)}

        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            outcomes = self._run_in_threads(
                {
                    CRON: (SUPERUSER_ID, cron, cron_committed),
                    CLICK: (self._admin_id(), click, None),
                }
            )
        self.assertFalse(
            [o for o in outcomes.values() if isinstance(o, Exception)], outcomes
        )
        self.assertEqual(outcomes[CRON]["drafted"], set(ticket_ids))
        self.assertEqual(outcomes[CLICK]["statuses"], {"to_invoice"})
        self.assertFalse(outcomes[CLICK]["drafted"])
        self.assertEqual(outcomes[CLICK]["skipped"], dict.fromkeys(ticket_ids, BUSY))
        self.assertInvoicedOnce(ticket_ids, charges)
