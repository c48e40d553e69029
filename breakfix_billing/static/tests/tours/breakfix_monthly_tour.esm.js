/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/*
 * Started by tests/test_monthly_tour.py: a monthly customer's draft invoice
 * of three tickets (Network down, Server crash, Printer jam, 1.00 h at
 * 100.00 each). Finance opens it from "Break/fix to Review", reads a section
 * per ticket, follows the section of "Server crash" to its ticket, comes
 * back, and lists the invoice's three tickets.
 */
registry.category("web_tour.tours").add("breakfix_monthly_invoice_tour", {
    steps: () => [
        {
            content: "Open the customer's invoice of the month",
            trigger: ".o_data_row td[name=ref]:contains(Break/fix )",
            run: "click",
        },
        {
            content: "A section per ticket",
            trigger: ".o_field_widget[name=invoice_line_ids] tr.o_is_line_section:contains(Network down)",
        },
        {
            trigger: ".o_field_widget[name=invoice_line_ids] tr.o_is_line_section:contains(Printer jam)",
        },
        {
            content: "300.00 untaxed for the three",
            trigger: ".o_form_view .o_field_widget[name=tax_totals]:contains(300.00)",
        },
        {
            content: "Follow the section of Server crash to its ticket",
            trigger:
                ".o_field_widget[name=invoice_line_ids] tr.o_is_line_section:contains(Server crash) td[name=breakfix_ticket_id] a.o_form_uri",
            run: "click",
        },
        {
            content: "The ticket opens",
            trigger: ".o_form_view .o_field_widget[name=name]:contains(Server crash), .o_form_view .o_field_widget[name=name] input:value(Server crash)",
        },
        {
            content: "Back to the invoice",
            trigger: ".o_breadcrumb .breadcrumb-item:not(.active) a:contains(Draft)",
            run: "click",
        },
        {
            content: "Its tickets: three",
            trigger: ".o_form_view button[name=action_breakfix_view_tickets]:contains(3)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Printer jam)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Network down)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Server crash)",
        },
    ],
});
