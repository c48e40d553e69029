/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {registry} from "@web/core/registry";

/*
 * Printing the break/fix vs managed comparison on a server without
 * wkhtmltopdf (tests/test_report_notice.py): the report opens as a web page
 * and the notification says so in plain words, no raw HTML.
 */
registry.category("web_tour.tours").add("breakfix_report_notice_tour", {
    steps: () => [
        {
            content: "Compare break/fix with a managed plan",
            trigger: ".o_form_view button[name=action_breakfix_managed_comparison]",
            run: "click",
        },
        {
            content: "Print the comparison",
            trigger: ".o_form_view .o_form_statusbar button:contains(Print)",
            run: "click",
        },
        {
            content: "The notification says what happened, in plain text",
            trigger:
                ".o_notification:contains(wkhtmltopdf is not installed on the server: the report is shown as a web page)",
            run() {
                const text = document.querySelector(".o_notification").textContent;
                if (text.includes("<") || text.includes("href")) {
                    console.error(`The notification shows raw HTML: ${text}`);
                }
            },
        },
        {
            content: "The report, as a web page",
            trigger: ".o_action iframe",
        },
    ],
});
