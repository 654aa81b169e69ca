from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hubsurvey.forms import CheckboxesField, choices
from hubsurvey.vocabulary import ACTIVITY_KINDS


class ActivityForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[
            DataRequired("Enter a title"),
            Length(max=160, message="Title must be 160 characters or fewer"),
        ],
    )
    kind = SelectField("Kind of activity", choices=choices(ACTIVITY_KINDS.items()))
    starts_on = DateField("Date", validators=[InputRequired("Enter the date")])
    starts_at = TimeField("Start time", validators=[InputRequired("Enter the start time")])
    place = StringField(
        "Place (optional)",
        validators=[Optional(), Length(max=200, message="Place must be 200 characters or fewer")],
    )
    online = BooleanField("Online")
    facilitator = StringField(
        "Facilitator (optional)",
        validators=[
            Optional(),
            Length(max=120, message="Facilitator must be 120 characters or fewer"),
        ],
    )
    need_areas = CheckboxesField("Need areas it targets", coerce=int)
    schools = CheckboxesField("Partner schools taking part", coerce=int)
    feedback = SelectField(
        "Feedback survey",
        description="A new one from the hub's feedback template, or one shared with other "
        "activities so their answers can be read together.",
        coerce=int,
    )
