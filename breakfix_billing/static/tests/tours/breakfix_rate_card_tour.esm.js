/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("breakfix_rate_card_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps(
            "helpdesk_mgmt.helpdesk_ticket_main_menu",
            "Open the Helpdesk app"
        ),
        {
            content: "Open the configuration menu",
            trigger:
                '.o_main_navbar [data-menu-xmlid="helpdesk_mgmt.helpdesk_ticket_config_main_menu"]',
            run: "click",
        },
        {
            content: "Open the rate cards",
            trigger:
                '.dropdown-item[data-menu-xmlid="breakfix_billing.menu_breakfix_rate_card"]',
            run: "click",
        },
        {
            content: "Create a rate card",
            trigger: ".o_breadcrumb:contains(Rate Cards)",
        },
        {
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_form_view .o_field_widget[name=name] input",
            run: "edit Tour rates",
        },
        {
            content: "Add a rate",
            trigger:
                ".o_field_widget[name=line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Pick the work type",
            trigger:
                ".o_field_widget[name=line_ids] .o_selected_row .o_field_widget[name=work_type_id] input",
            run: "edit Remote support",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Remote support)",
            run: "click",
        },
        {
            content: "Set its hourly rate",
            trigger:
                ".o_field_widget[name=line_ids] .o_selected_row .o_field_widget[name=hourly_rate] input",
            run: "edit 95",
        },
        ...stepUtils.saveForm(),
        {
            content: "The rate is saved",
            trigger:
                ".o_field_widget[name=line_ids] .o_data_row td[name=hourly_rate]:contains(95.00)",
        },
    ],
});
