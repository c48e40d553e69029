# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may write which of the addon's fields: one declaration per model.

Every model the addon defines or extends inherits this mixin and declares,
in ``_breakfix_field_writers``, each stored field the addon gives it with
the roles that may write it; ``NOBODY`` means only the addon's own code,
running as superuser, changes it (stored computes, invoice links, release
flags). A field of the addon that is not declared is not writable either.
The rule is enforced in ``create`` and ``write``, so the form, JSON-RPC,
XML-RPC and imports are the same door.

A value a role may not set is still accepted when it is the value the
record gets anyway: the web client writes unchanged values back, and sends
the values its onchanges computed along with the ones the user typed.

Numbers a person types are bounded (``_breakfix_field_bounds``): NaN,
infinities and values out of range are refused, naming the field, before
they reach the database.
"""

import math

from odoo import api, models
from odoo.exceptions import AccessError, ValidationError

from .constants import (
    FINANCE,
    MANAGER,
    MAX_AMOUNT,
    MODULE,
    NOBODY,
    PORTAL,
    ROLE_GROUPS,
    TECHNICIAN,
)
from .field_changes import changed_fields


def role_labels(env):
    return {
        TECHNICIAN: env._("break/fix technicians"),
        MANAGER: env._("break/fix billing managers"),
        FINANCE: env._("invoicing users"),
        PORTAL: env._("the customer"),
    }


class BreakfixFieldAccess(models.AbstractModel):
    _name = "breakfix.field.access"
    _description = "Break/fix: who may write which field"

    # {field name: roles that may write it}, every stored field of the addon
    _breakfix_field_writers = {}
    # {field name: (lowest, highest)} of the numbers a person types
    _breakfix_field_bounds = {}

    @api.model_create_multi
    def create(self, vals_list):
        self._breakfix_check_bounds(vals_list)
        guarded = [self._breakfix_guarded_fields(vals) for vals in vals_list]
        if not any(guarded):
            return super().create(vals_list)
        records = super().create(
            [
                {fname: value for fname, value in vals.items() if fname not in fnames}
                for vals, fnames in zip(vals_list, guarded, strict=True)
            ]
        )
        for record, vals, fnames in zip(records, vals_list, guarded, strict=True):
            record._breakfix_refuse_changes(vals, fnames)
        return records

    def write(self, vals):
        self._breakfix_check_bounds([vals])
        fnames = self._breakfix_guarded_fields(vals)
        if not fnames:
            return super().write(vals)
        result = super().write(
            {fname: value for fname, value in vals.items() if fname not in fnames}
        )
        self._breakfix_refuse_changes(vals, fnames)
        return result

    @api.model
    def _breakfix_user_roles(self):
        user = self.env.user
        return {role for role, group in ROLE_GROUPS.items() if user.has_group(group)}

    @api.model
    def _breakfix_is_own_field(self, fname):
        field = self._fields.get(fname)
        return bool(field) and (
            fname in self._breakfix_field_writers or MODULE in (field._modules or ())
        )

    @api.model
    def _breakfix_may_write(self, fname):
        """Whether the current user may write the addon's field ``fname``."""
        if self.env.su or not self._breakfix_is_own_field(fname):
            return True
        writers = self._breakfix_field_writers.get(fname, NOBODY)
        return bool(self._breakfix_user_roles().intersection(writers))

    @api.model
    def _breakfix_guarded_fields(self, vals):
        """The fields of ``vals`` the current user may not write."""
        if self.env.su:
            return []
        return [fname for fname in vals if not self._breakfix_may_write(fname)]

    def _breakfix_refuse_changes(self, vals, fnames):
        """Refuse ``vals`` of ``fnames`` that differ from the records' values."""
        for record in self:
            changed = changed_fields(record, vals, fnames)
            if changed:
                raise self._breakfix_access_error(changed[0])

    @api.model
    def _breakfix_access_error(self, fname):
        """The one error a refused write raises: it names the field and who
        may change it, never a record."""
        field = self._fields[fname].get_description(self.env)["string"]
        model = self.env["ir.model"]._get(self._name).name
        writers = self._breakfix_field_writers.get(fname, NOBODY)
        if not writers:
            return AccessError(
                self.env._(
                    "The field “%(field)s” (%(model)s) is kept by Odoo: it cannot "
                    "be set by hand.",
                    field=field,
                    model=model,
                )
            )
        labels = role_labels(self.env)
        return AccessError(
            self.env._(
                "Only %(roles)s can change the field “%(field)s” (%(model)s).",
                roles=self.env._(" or ").join(labels[role] for role in writers),
                field=field,
                model=model,
            )
        )

    @api.model
    def _breakfix_ensure_role(self, roles, message):
        """Raise ``AccessError(message)`` unless the user holds one of ``roles``
        (or the code runs as superuser)."""
        if not self.env.su and not self._breakfix_user_roles().intersection(roles):
            raise AccessError(message)

    def _breakfix_check_caller_access(self, operation="write"):
        """Before acting as superuser on ``self``: the caller may ``operation``
        every record (access rights, record rules, companies). The refusal
        names no record."""
        if self.env.su:
            return
        allowed = self._filtered_access(operation)
        if len(allowed) != len(self):
            raise AccessError(
                self.env._(
                    "You are not allowed to act on some of the records you gave "
                    "(%(count)s of %(total)s): another company's, or out of your "
                    "reach.",
                    count=len(self) - len(allowed),
                    total=len(self),
                )
            )

    @api.model
    def _breakfix_check_bounds(self, vals_list):
        """Refuse NaN, infinities and values out of the declared bounds."""
        for vals in vals_list:
            for fname, value in vals.items():
                field = self._fields.get(fname)
                if field is None or field.type not in ("integer", "float", "monetary"):
                    continue
                if not self._breakfix_is_own_field(fname) and (
                    fname not in self._breakfix_field_bounds
                ):
                    continue
                self._breakfix_check_bound(field, value)

    @api.model
    def _breakfix_check_bound(self, field, value):
        if value is None or value is False:
            return
        label = field.get_description(self.env)["string"]
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(
                self.env._(
                    "The field “%(field)s” needs a number; %(value)s is not one.",
                    field=label,
                    value=value,
                )
            )
        # no lowest: the model's own constraint says why a value is too low
        low, high = self._breakfix_field_bounds.get(
            field.name, (-MAX_AMOUNT, MAX_AMOUNT)
        )
        if low is not None and number < low:
            lowest = f"{low:,g}"
            raise ValidationError(
                self.env._(
                    "The field “%(field)s” must be at least %(low)s; %(value)s is "
                    "out of range.",
                    field=label,
                    low=lowest,
                    value=value,
                )
            )
        if number > high:
            highest = f"{high:,.0f}"
            raise ValidationError(
                self.env._(
                    "The field “%(field)s” must be at most %(high)s; %(value)s is "
                    "out of range.",
                    field=label,
                    high=highest,
                    value=value,
                )
            )
