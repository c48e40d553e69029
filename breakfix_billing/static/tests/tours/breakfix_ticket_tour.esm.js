/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/*
 * A technician logs an hour on a ticket and adds a part: the Billing tab
 * shows the price of each, live.  Started on the ticket's form by
 * tests/test_tour.py, which sets up the rate card (100/h, parts at cost plus
 * 20 %) and checks what was saved.
 */
registry.category("web_tour.tours").add("breakfix_ticket_tour", {
    steps: () => [
        {
            content: "The ticket's form is open",
            trigger: ".o_breadcrumb .active:contains(Tour: server down)",
        },
        {
            content: "Open the Timesheets tab",
            trigger: ".o_notebook .nav-link[name=timesheets]",
            run: "click",
        },
        {
            content: "Log time",
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Describe the work",
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_selected_row .o_field_widget[name=name] input",
            run: "edit Restarted the server",
        },
        {
            content: "The work type defaults to Remote support",
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_selected_row .o_field_widget[name=breakfix_work_type_id] input:value(Remote support)",
        },
        {
            content: "One hour of work",
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_selected_row .o_field_widget[name=unit_amount] input",
            run: "edit 1:00",
        },
        ...stepUtils.saveForm(),
        {
            content: "The entry is priced",
            trigger:
                ".o_field_widget[name=timesheet_ids] .o_data_row td[name=breakfix_amount]:contains(100.00)",
        },
        {
            content: "Open the Billing tab",
            trigger: ".o_notebook .nav-link[name=breakfix_billing]",
            run: "click",
        },
        {
            content: "The hour is to invoice",
            trigger:
                ".o_field_widget[name=breakfix_amount_to_invoice]:contains(100.00)",
        },
        {
            content: "The charges summary explains it",
            trigger:
                ".o_field_widget[name=breakfix_pricing_summary] .o_breakfix_charges td:contains(Remote support)",
        },
        {
            content: "Add a part",
            trigger:
                ".o_field_widget[name=breakfix_material_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Pick the product",
            trigger:
                ".o_field_widget[name=breakfix_material_ids] .o_selected_row .o_field_widget[name=product_id] input",
            run: "edit Tour SSD",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour SSD)",
            run: "click",
        },
        {
            content: "It is priced at cost plus 20 %",
            trigger:
                ".o_field_widget[name=breakfix_material_ids] .o_selected_row .o_field_widget[name=price_unit]:contains(60.00)",
        },
        ...stepUtils.saveForm(),
        {
            content: "The part is saved",
            trigger:
                ".o_field_widget[name=breakfix_material_ids] .o_data_row td[name=price_subtotal]:contains(60.00)",
        },
        {
            content: "The total follows",
            trigger:
                ".o_field_widget[name=breakfix_amount_to_invoice]:contains(160.00)",
        },
        {
            content: "Parts are in the charges summary",
            trigger:
                ".o_field_widget[name=breakfix_pricing_summary] .o_breakfix_charges td:contains(Tour SSD)",
        },
    ],
});
