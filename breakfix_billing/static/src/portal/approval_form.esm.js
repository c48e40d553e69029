/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {Component, useRef, useState} from "@odoo/owl";
import {NameAndSignature} from "@web/core/signature/name_and_signature";
import {registry} from "@web/core/registry";

/*
 * The customer's answer to a ticket's approval request, on its portal page:
 * Odoo's name-and-signature widget and an optional purchase order number,
 * posted as a plain form (CSRF token, the link's access token) to
 * /my/ticket/<id>/breakfix/accept, which answers with the page again.
 */
export class BreakfixApprovalForm extends Component {
    static template = "breakfix_billing.ApprovalForm";
    static components = {NameAndSignature};
    static props = {
        action: String,
        // the amount the page shows: the one approved
        amount: Number,
        accessToken: {type: String, optional: true},
        defaultName: {type: String, optional: true},
    };

    setup() {
        this.csrfToken = odoo.csrf_token;
        this.nameInput = useRef("name");
        this.signatureInput = useRef("signature");
        this.signature = useState({
            name: this.props.defaultName || "",
            getSignatureImage: () => "",
            resetSignature: () => {},
            isSignatureEmpty: true,
        });
    }

    onSubmit(ev) {
        if (this.signature.isSignatureEmpty || !this.signature.name.trim()) {
            ev.preventDefault();
            return;
        }
        this.nameInput.el.value = this.signature.name;
        this.signatureInput.el.value = this.signature
            .getSignatureImage()
            .split(",")[1];
    }
}

registry
    .category("public_components")
    .add("breakfix_billing.approval_form", BreakfixApprovalForm);
