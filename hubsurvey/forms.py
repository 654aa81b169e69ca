"""Validators and fields shared by the blueprints' forms."""

import re

from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

# Deliberately loose: one @, something either side, a dot in the domain. The one-time link
# proves the address works; this only catches typing slips.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email_address(_form, field) -> None:
    value = (field.data or "").strip()
    if value and not EMAIL_PATTERN.match(value):
        raise ValidationError("Enter an email address like name@school.org.uk")
    # Measured as stored, in lower case: some letters grow ('İ' becomes two characters).
    if len(value.lower()) > 254:
        raise ValidationError("Email address must be 254 characters or fewer")


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def choices(pairs) -> list[SelectChoice]:
    """Options for a select, radios or checkboxes field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
