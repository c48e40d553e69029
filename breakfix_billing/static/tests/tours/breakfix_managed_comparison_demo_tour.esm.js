/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/*
 * Break/fix vs managed plan on the demo data: Northwind Dental, whose
 * break/fix charges of the last 12 full months exceed its managed plan's
 * 10,800.00 a year. Started by tests/test_demo_story.py.
 */
registry.category("web_tour.tours").add("breakfix_managed_comparison_demo_tour", {
    steps: () => [
        {
            content: "The demo customer's form is open",
            trigger: ".o_breadcrumb .active:contains(Northwind Dental)",
        },
        {
            content: "Compare break/fix with a managed plan",
            trigger: ".o_form_view button[name=action_breakfix_managed_comparison]",
            run: "click",
        },
        {
            content: "The verdict: a managed plan would have saved money",
            trigger:
                ".o_breakfix_verdict:contains(A managed plan would have cost):contains(less):contains(10,800.00 instead of)",
        },
        {
            content: "What is drafted, beside the comparison",
            trigger: ".o_field_widget[name=drafted_amount]:contains(157.50)",
        },
        {
            content: "Chart them",
            trigger: ".o_form_view button[name=action_view_months]",
            run: "click",
        },
        {
            content: "Both series side by side, for each of the 12 months",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
            run() {
                const chart = window.Chart.getChart(this.anchor);
                const series = chart.data.datasets.map((dataset) => dataset.label);
                if (series.join(" | ") !== "Break/fix Charges | Managed Plan") {
                    throw new Error(`The chart shows ${series.join(" | ")}`);
                }
                if (chart.data.labels.length !== 12) {
                    throw new Error(`The chart has ${chart.data.labels.length} months`);
                }
            },
        },
        {
            content: "The same as a list",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Managed Plan):contains(900.00)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Break/fix Charges)",
        },
    ],
});
