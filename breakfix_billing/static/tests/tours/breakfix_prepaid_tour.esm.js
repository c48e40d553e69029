/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/*
 * A prepaid block, as people click it; started by tests/test_prepaid_tour.py,
 * which logs the technician's 3 h on a ticket (100.00/h: 300.00) and checks
 * the records after each tour.
 *
 * breakfix_prepaid_sell_tour: the billing manager sells "Tour Prepaid Ltd" a
 * block of 4 hours from 1 November 2026 for 360.00 and confirms it: the
 * block is active, not drawn from until finance posts its invoice.
 */
registry.category("web_tour.tours").add("breakfix_prepaid_sell_tour", {
    steps: () => [
        {
            content: "Sell a new block",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour 4 hours",
        },
        {
            content: "For the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit Tour Prepaid",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Prepaid Ltd)",
            run: "click",
        },
        {
            content: "4 hours",
            trigger: ".o_field_widget[name=quantity] input",
            run: "edit 4",
        },
        {
            content: "for 360.00",
            trigger: ".o_field_widget[name=price] input",
            run: "edit 360",
        },
        {
            content: "valid from 1 November",
            trigger: ".o_field_widget[name=date_from] input",
            run: "edit 11/01/2026",
        },
        {
            content: "Confirm it: its invoice is drafted",
            trigger: ".o_form_view button[name=action_breakfix_confirm]",
            run: "click",
        },
        {
            content: "The block is active",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Active)",
        },
        {
            content: "but not drawn from until its invoice is posted",
            trigger:
                ".o_form_view .alert-warning:contains(Not drawn from yet: its invoice is not posted.)",
        },
        {
            trigger: ".o_field_widget[name=balance]:contains(4.00)",
        },
    ],
});

/*
 * breakfix_prepaid_post_tour: finance opens the block's draft invoice from
 * the customer invoices and confirms it.
 */
registry.category("web_tour.tours").add("breakfix_prepaid_post_tour", {
    steps: () => [
        {
            content: "Open the block's draft invoice",
            trigger:
                ".o_list_view .o_data_row:contains(Tour Prepaid Ltd):contains(Draft) td.o_data_cell[name=invoice_partner_display_name]",
            run: "click",
        },
        {
            content: "It sells the block",
            trigger:
                ".o_field_widget[name=invoice_line_ids] .o_data_row:contains(Prepaid support):contains(360.00)",
        },
        {
            content: "Confirm it",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_post]:contains(Confirm)",
            run: "click",
        },
        {
            content: "It is posted",
            trigger:
                ".o_form_view .o_statusbar_status .o_arrow_button_current:contains(Posted)",
        },
    ],
});

/*
 * breakfix_prepaid_close_tour: the technician sees on the Billing tab what
 * the block holds and what it would pay, and closes the ticket: its invoice
 * is drafted.
 */
registry.category("web_tour.tours").add("breakfix_prepaid_close_tour", {
    steps: () => [
        {
            content: "The ticket's form is open",
            trigger: ".o_breadcrumb .active:contains(Tour: backup failed)",
        },
        {
            content: "Open the Billing tab",
            trigger: ".o_notebook .nav-link[name=breakfix_billing]",
            run: "click",
        },
        {
            content: "The customer's block holds 4 hours",
            trigger:
                ".o_field_widget[name=breakfix_prepaid_balance]:contains(Tour 4 hours: 4.00 h left)",
        },
        {
            content: "It would pay the 300.00 of work",
            trigger: ".o_field_widget[name=breakfix_prepaid_draw]:contains(300.00)",
        },
        {
            content: "Closed stages are folded: open them",
            trigger: ".o_statusbar_status button.dropdown-toggle.o_first",
            run: "click",
        },
        {
            content: "Close the ticket",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Done)",
            run: "click",
        },
        {
            content: "The ticket is closed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains(Done)",
        },
        {
            content: "Its invoice is drafted, for finance to confirm",
            trigger:
                ".o_field_widget[name=breakfix_invoice_status] .badge:contains(Drafted)",
        },
        {
            content: "The block has 1 hour left",
            trigger:
                ".o_field_widget[name=breakfix_prepaid_balance]:contains(Tour 4 hours: 1.00 h left)",
        },
    ],
});

/*
 * breakfix_prepaid_review_tour: finance opens the ticket's draft invoice: the
 * work at the rate card, the block's draw against it, a total of 0.00.
 */
registry.category("web_tour.tours").add("breakfix_prepaid_review_tour", {
    steps: () => [
        {
            content: "The work is billed at the rate card",
            trigger:
                ".o_field_widget[name=invoice_line_ids] .o_data_row:contains(Tour remote support):contains(300.00)",
        },
        {
            content: "and the block pays it",
            trigger:
                ".o_field_widget[name=invoice_line_ids] .o_data_row:contains(Prepaid support):contains(-300.00)",
        },
        {
            content: "The total is 0.00",
            trigger:
                // 0.00, not 300.00
                ".o_field_widget[name=tax_totals] span[name=amount_total]:contains(/\\b0\\.00/)",
        },
    ],
});
