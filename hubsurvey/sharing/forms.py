from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from hubsurvey.forms import choices, email_address
from hubsurvey.sharing.services import LINK_DAYS, VIEWER_DAYS


def _days(values: tuple[int, ...]) -> list:
    return choices((str(days), f"{days} days") for days in values)


class ShareLinkForm(FlaskForm):
    label = StringField(
        "Who is it for?",
        description="For example, “Board meeting, 3 December”. Only you and your colleagues "
        "see this, in the list of links below.",
        validators=[
            DataRequired("Say who the link is for"),
            Length(max=120, message="Who it is for must be 120 characters or fewer"),
        ],
    )
    link_days = RadioField(
        "The link stops working after",
        choices=_days(LINK_DAYS),
        default="30",
        validators=[InputRequired("Choose how long the link works")],
    )


class ViewerForm(FlaskForm):
    email = EmailField(
        "Their email address",
        validators=[DataRequired("Enter their email address"), email_address],
    )
    viewer_days = RadioField(
        "They can read the reports for",
        choices=_days(VIEWER_DAYS),
        default="90",
        validators=[InputRequired("Choose how long they can read the reports")],
    )
