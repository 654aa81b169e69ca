from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import EqualTo, InputRequired, ValidationError

from hubsurvey.auth.services import password_problem
from hubsurvey.forms import email_address


def _acceptable_password(_form, field) -> None:
    if problem := password_problem(field.data or ""):
        raise ValidationError(problem)


class SignInForm(FlaskForm):
    email = EmailField("Email address", validators=[InputRequired("Enter your email address")])
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "Choose a password",
        description="At least 12 characters. A few unrelated words make a strong password.",
        validators=[InputRequired("Choose a password"), _acceptable_password],
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[
            InputRequired("Type the password again"),
            EqualTo("password", "The two passwords are different"),
        ],
    )


class SetupForm(NewPasswordForm):
    email = EmailField(
        "Your email address",
        validators=[
            InputRequired("Enter your email address"),
            email_address,
        ],
    )
