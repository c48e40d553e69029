/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/*
 * Started by tests/test_approval_portal.py: the customer opens the emailed
 * link to a ticket (not logged in, the link's access token), reads the
 * 600.00 asked and the rates, signs with their name, gives a purchase order
 * number and approves.
 */
registry.category("web_tour.tours").add("breakfix_approval_portal_tour", {
    steps: () => [
        {
            content: "The request: 600.00, and why",
            trigger: "#breakfix_approval .o_breakfix_approval_amount:contains(600.00)",
        },
        {
            trigger: "#breakfix_approval .o_breakfix_approval_reason:contains(The disk must be replaced.)",
        },
        {
            content: "The rates",
            trigger: "#breakfix_approval .o_breakfix_rate_terms:contains(an hour)",
        },
        {
            content: "Sign with my name",
            trigger: "#breakfix_approval .o_web_sign_name_and_signature input[name=signer]",
            run: "edit Chris Contact",
        },
        {
            content: "The signature is drawn from the name",
            trigger: "#breakfix_approval .o_breakfix_approve:enabled",
        },
        {
            content: "My purchase order",
            trigger: "#breakfix_approval input[name=po]",
            run: "edit PO-2026-118",
        },
        {
            content: "Approve",
            trigger: "#breakfix_approval .o_breakfix_approve:enabled",
            run: "click",
        },
        {
            content: "Approved, with my name",
            trigger: "#breakfix_approval .o_breakfix_approval_answer:contains(Approved by Chris Contact)",
        },
        {
            // the page's chatter loads its messages last: the tour ends once
            // it has them, not with a request still on its way
            content: "The chatter has loaded its messages",
            trigger: "#chatterRoot:shadow .o-mail-Chatter .o-mail-Thread",
        },
    ],
});
