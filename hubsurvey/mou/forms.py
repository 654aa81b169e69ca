from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from hubsurvey.inputs import whole_number
from hubsurvey.mou.services import TEXT_LIMIT

HOW_TO_WRITE = (
    "Plain text. Leave a blank line between paragraphs, and start a line with a hyphen and a "
    "space (“- ”) for a bullet point."
)


def _text_field(label: str, missing: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=HOW_TO_WRITE,
        validators=[
            DataRequired(missing),
            Length(max=TEXT_LIMIT, message=f"Must be {TEXT_LIMIT:,} characters or fewer"),
        ],
    )


class MouForm(FlaskForm):
    """The memorandum's two parts. Saving makes a new version."""

    hub_offers = _text_field("What the hub offers", "Say what the hub offers its schools")
    school_commits = _text_field("What the school commits to", "Say what each school commits to")
    # The version the lead started from ("" for the first): if another was saved meanwhile,
    # theirs is not silently replaced.
    based_on = HiddenField()

    def validate_based_on(self, field) -> None:
        if field.data and whole_number(field.data) is None:
            raise ValidationError("Reload the page and make your changes again")

    @property
    def base_version(self) -> int | None:
        return whole_number(self.based_on.data) if self.based_on.data else None
