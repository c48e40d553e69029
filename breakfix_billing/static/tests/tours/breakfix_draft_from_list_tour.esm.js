/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/*
 * breakfix_draft_from_list_tour: a billing manager lists the tickets to
 * invoice, ticks the tour's tickets, drafts them and reads the summary; started by
 * tests/test_tour.py (TestDraftFromListTour), whose "List tour" tickets are
 * two to invoice for customers (100.00 and 50.00), one to invoice without a
 * customer, and one with nothing to invoice.
 */
registry.category("web_tour.tours").add("breakfix_draft_from_list_tour", {
    steps: () => [
        {
            content: "The tickets' list",
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            trigger: ".o-dropdown--menu .o_filter_menu",
        },
        {
            content: "Keep the tickets to invoice",
            trigger: ".o_filter_menu .o-dropdown-item:contains(To invoice)",
            run: "click",
        },
        {
            trigger: ".o_searchview_facet:contains(To invoice)",
        },
        {
            content: "The tour's three tickets are to invoice, with their amounts",
            trigger:
                ".o_list_view:has(.o_data_row:contains(List tour: printer) .badge:contains(To invoice)):has(.o_data_row:contains(List tour: scanner) td[name=breakfix_amount_to_invoice]:contains(50.00))",
        },
        {
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains(List tour: nothing left)))",
        },
        ...["printer", "scanner", "no customer"].map((name) => ({
            content: `Select List tour: ${name}`,
            trigger: `.o_list_view .o_data_row:contains(List tour: ${name}) .o_list_record_selector input`,
            run: "click",
        })),
        {
            content: "Open the actions",
            trigger: ".o_control_panel .o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Draft their invoices",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Draft Break/fix Invoices)",
            run: "click",
        },
        {
            content: "The summary says what was drafted, and what was not and why",
            trigger:
                ".o_notification:contains(2 invoice(s) drafted, for finance to confirm):contains(has no customer)",
        },
        {
            content: "The ticket passed over is a link",
            trigger: ".o_notification a[href^='/odoo/helpdesk.ticket/']",
        },
        {
            content: "The drafted invoices follow",
            trigger: ".o_breadcrumb .active:contains(Invoices)",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains(List Tour Customer) td[name=amount_untaxed_in_currency_signed]:contains(50.00)",
        },
    ],
});
