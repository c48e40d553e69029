/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/*
 * Per-issue invoicing, as people click it; started by tests/test_tour.py,
 * which logs the technician's 1:30 h on the ticket (100.00/h: 150.00) and
 * checks the invoice.
 *
 * breakfix_invoice_close_tour: the technician closes the ticket from the
 * status bar; the team drafts its invoice on close: the Billing tab shows
 * the ticket drafted (not invoiced: finance has not confirmed it yet), and
 * the chatter notes the draft (technicians see no invoices).
 */
registry.category("web_tour.tours").add("breakfix_invoice_close_tour", {
    steps: () => [
        {
            content: "The ticket's form is open",
            trigger: ".o_breadcrumb .active:contains(Tour: printer jammed)",
        },
        {
            content: "Open the Billing tab",
            trigger: ".o_notebook .nav-link[name=breakfix_billing]",
            run: "click",
        },
        {
            content: "The logged time is to invoice",
            trigger:
                ".o_field_widget[name=breakfix_invoice_status]:contains(To invoice)",
        },
        {
            trigger:
                ".o_field_widget[name=breakfix_amount_to_invoice]:contains(150.00)",
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
            trigger:
                ".o_field_widget[name=breakfix_amount_drafted]:contains(150.00)",
        },
        {
            content: "Nothing is invoiced (posted) yet",
            trigger:
                ".o_form_view:not(:has(.o_field_widget[name=breakfix_amount_invoiced]:visible))",
        },
        {
            content: "The chatter notes the draft",
            trigger:
                ".o-mail-Message:contains(Invoice drafted):contains(150.00 untaxed, for finance to confirm)",
        },
        {
            trigger:
                // 0.00, not 150.00
                ".o_field_widget[name=breakfix_amount_to_invoice]:contains(/\\b0\\.00/)",
        },
        {
            content: "Technicians do not see the invoices themselves",
            trigger:
                ".o_form_view:not(:has(button[name=action_breakfix_view_invoices]))",
        },
    ],
});

/*
 * breakfix_invoice_review_tour: finance opens Invoicing > Customers >
 * Break/fix to Review, confirms the draft, and follows it to its ticket,
 * where the Invoices button shows it.
 */
registry.category("web_tour.tours").add("breakfix_invoice_review_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("account.menu_finance", "Open Invoicing"),
        {
            content: "Open the Customers menu",
            trigger:
                '.o_main_navbar [data-menu-xmlid="account.menu_finance_receivables"]',
            run: "click",
        },
        {
            content: "Open the break/fix drafts to review",
            trigger:
                '.dropdown-item[data-menu-xmlid="breakfix_billing.menu_breakfix_invoices_to_review"]',
            run: "click",
        },
        {
            content: "The list shows the drafts only",
            trigger: ".o_searchview .o_facet_value:contains(Break/fix to review)",
        },
        {
            content: "Each draft says which ticket it bills, for whom and how much",
            trigger:
                ".o_list_view .o_data_row:contains(Tour Printing Ltd):contains(Tour: printer jammed) td.o_data_cell[name=amount_untaxed_in_currency_signed]:contains(150.00)",
        },
        {
            content: "Open the ticket's draft",
            trigger:
                ".o_list_view .o_data_row:contains(Tour: printer jammed) td.o_data_cell[name=ref]",
            run: "click",
        },
        {
            content: "It bills the ticket's time",
            trigger:
                ".o_field_widget[name=invoice_line_ids] .o_data_row:contains(Tour remote) td:contains(150.00)",
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
        {
            content: "Go to its ticket",
            trigger: ".o_form_view button[name=action_breakfix_view_tickets]",
            run: "click",
        },
        {
            content: "The ticket shows its invoice",
            trigger:
                ".o_form_view button[name=action_breakfix_view_invoices]:contains(Invoices):contains(1)",
        },
        {
            trigger: ".o_breadcrumb .active:contains(Tour: printer jammed)",
        },
    ],
});
