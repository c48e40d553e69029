# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Which written values really change a record.

The web client writes back unchanged values along with the ones a user
edited (onchange results, synced fields): rights and locks must look at
what changes, not at what is written.
"""


def changed_fields(records, vals, fnames):
    """The names among ``fnames`` whose value in ``vals`` differs from the
    current value of at least one of ``records``."""
    changed = []
    for fname in fnames:
        if fname not in vals:
            continue
        field = records._fields[fname]
        new = field.convert_to_cache(vals[fname], records, validate=False)
        if any(
            field.convert_to_cache(record[fname], record, validate=False) != new
            for record in records
        ):
            changed.append(fname)
    return changed
