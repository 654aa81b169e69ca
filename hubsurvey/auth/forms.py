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


def _new_password(label: str = "Choose a password") -> PasswordField:
    return PasswordField(
        label,
        description="At least 12 characters. A few unrelated words make a strong password.",
        validators=[InputRequired("Choose a password"), _acceptable_password],
    )


def _confirm_password() -> PasswordField:
    return PasswordField(
        "Type the password again",
        validators=[
            InputRequired("Type the password again"),
            EqualTo("password", "The two passwords are different"),
        ],
    )


class NewPasswordForm(FlaskForm):
    password = _new_password()
    confirm = _confirm_password()


class SetupForm(FlaskForm):
    email = EmailField(
        "Your email address",
        validators=[InputRequired("Enter your email address"), email_address],
    )
    password = _new_password()
    confirm = _confirm_password()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        "Your current password", validators=[InputRequired("Enter your current password")]
    )
    password = _new_password("Choose a new password")
    confirm = _confirm_password()
