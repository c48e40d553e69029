/* License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */
import {SectionAndNoteListRenderer} from "@account/components/section_and_note_fields_backend/section_and_note_fields_backend";
import {patch} from "@web/core/utils/patch";

/*
 * A monthly break/fix invoice has a section per ticket: the section's row
 * keeps the "Ticket" column (breakfix_ticket_id, shown on break/fix invoices
 * only), so that finance follows the section to its ticket. Odoo shows only
 * the label on section rows; other invoices are left as they are.
 */
const TICKET_FIELD = "breakfix_ticket_id";

patch(SectionAndNoteListRenderer.prototype, {
    getSectionColumns(columns) {
        const sectionColumns = super.getSectionColumns(columns);
        const ticket = columns.find(
            (column) => column.type === "field" && column.name === TICKET_FIELD
        );
        if (!ticket) {
            return sectionColumns;
        }
        // the label spans the columns before "Ticket", the ticket the rest
        const spanned = columns.filter((column) => column.widget !== "handle");
        const before = spanned.indexOf(ticket);
        return [
            ...sectionColumns.map((column) =>
                column.name === this.titleField ? {...column, colspan: before} : column
            ),
            {...ticket, colspan: spanned.length - before},
        ];
    },

    getCellClass(column, record) {
        const classNames = super.getCellClass(column, record);
        if (column.name === TICKET_FIELD && this.isSectionOrNote(record)) {
            return classNames.replace(/\bo_hidden\b/, "").trim();
        }
        return classNames;
    },
});
