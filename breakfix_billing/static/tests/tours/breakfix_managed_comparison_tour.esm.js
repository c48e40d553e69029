/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/*
 * Break/fix vs managed plan, from the customer's form; started by
 * tests/test_managed_comparison.py, where the customer paid 200.00 of
 * break/fix last month and its rate card's managed plan costs 100.00 a month
 * (1,200.00 a year).
 */
registry.category("web_tour.tours").add("breakfix_managed_comparison_tour", {
    steps: () => [
        {
            content: "The customer's form is open",
            trigger: ".o_breadcrumb .active:contains(Tour Managed Ltd)",
        },
        {
            content: "Compare break/fix with a managed plan",
            trigger: ".o_form_view button[name=action_breakfix_managed_comparison]",
            run: "click",
        },
        {
            content: "The verdict",
            trigger:
                ".o_breakfix_verdict:contains(A managed plan would have cost):contains(1,000.00 more)",
        },
        {
            trigger: ".o_field_widget[name=breakfix_amount]:contains(200.00)",
        },
        {
            trigger: ".o_field_widget[name=managed_amount]:contains(1,200.00)",
        },
        {
            content: "Twelve months",
            trigger:
                ".o_field_widget[name=month_ids] .o_list_footer:contains(200.00):contains(1,200.00)",
        },
        {
            content: "Chart them",
            trigger: ".o_form_view button[name=action_view_months]",
            run: "click",
        },
        {
            content: "The chart by month",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
    ],
});
