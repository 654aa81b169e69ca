from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class ReasonForm(FlaskForm):
    """Why a response is left out of summaries, or brought back: kept in the audit log."""

    reason = StringField(
        "Reason",
        validators=[
            DataRequired("Say briefly why, for the audit log"),
            Length(max=200, message="Reason must be 200 characters or fewer"),
        ],
    )
