/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {_t} from "@web/core/l10n/translation";
import {downloadReport} from "@web/webclient/actions/reports/utils";
import {registry} from "@web/core/registry";
import {rpc} from "@web/core/network/rpc";
import {user} from "@web/core/user";

/*
 * Printing a PDF report (the break/fix vs managed comparison, an invoice)
 * without a working wkhtmltopdf: Odoo 18's web client shows the report as a
 * web page with a notification whose link is raw HTML, printed as text
 * ("<br><br><a href=...>"). This handler, run after any other addon's, takes
 * Odoo's own path for PDF reports with a plain-text notification instead.
 */
function wkhtmltopdfNotice(status) {
    const notices = {
        broken: _t(
            "The installation of wkhtmltopdf on the server seems broken: the report is shown as a web page. Print it from your browser, or ask your administrator to repair wkhtmltopdf (wkhtmltopdf.org)."
        ),
        install: _t(
            "wkhtmltopdf is not installed on the server: the report is shown as a web page. Print it from your browser, or ask your administrator to install wkhtmltopdf (wkhtmltopdf.org)."
        ),
        upgrade: _t(
            "The server's wkhtmltopdf is older than 0.12.0: the PDF's headers, footers and page breaks may be wrong. Ask your administrator to upgrade wkhtmltopdf (wkhtmltopdf.org)."
        ),
        workers: _t(
            "Odoo needs at least two workers to print a PDF: the report is shown as a web page. Print it from your browser."
        ),
    };
    return notices[status];
}

export async function breakfixPdfReportHandler(action, options, env) {
    if (action.report_type !== "qweb-pdf") {
        return false;
    }
    // the status Odoo's own download asks for and keeps
    downloadReport.wkhtmltopdfStatusProm ||= rpc("/report/check_wkhtmltopdf");
    const notice = wkhtmltopdfNotice(await downloadReport.wkhtmltopdfStatusProm);
    if (!notice) {
        return false; // wkhtmltopdf works: Odoo's path, which says nothing
    }
    let success = false;
    env.services.ui.block();
    try {
        ({success} = await downloadReport(rpc, action, "pdf", {
            ...user.context,
            ...(action.context || {}),
        }));
    } finally {
        env.services.ui.unblock();
    }
    env.services.notification.add(notice, {sticky: true, title: _t("Report")});
    // a handler's falsy result lets Odoo's own path run: always true here
    if (!success) {
        // as Odoo does: the report as a web page
        await env.services.action.doAction(
            {...action, report_type: "qweb-html"},
            options
        );
    } else if (action.close_on_report_download) {
        await env.services.action.doAction(
            {type: "ir.actions.act_window_close"},
            {onClose: options.onClose}
        );
    } else if (options.onClose) {
        options.onClose();
    }
    return true;
}

registry
    .category("ir.actions.report handlers")
    .add("breakfix_billing.wkhtmltopdf_notice", breakfixPdfReportHandler, {
        sequence: 100,
    });
