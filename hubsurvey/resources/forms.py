from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from hubsurvey.contacts.services import one_line
from hubsurvey.forms import CheckboxesField, choices
from hubsurvey.resources.files import ACCEPT, Upload, UploadRefused, check, size_words
from hubsurvey.vocabulary import PHASES

URL_LIMIT = 1000
NO_ACTIVITY = 0


def web_address(text: str) -> str:
    """A link as typed, made whole ("www.example.org" gains https://), or a ValidationError:
    only http and https web addresses are taken, never javascript:, data: or file: ones."""
    text = text.strip()
    if any(ch.isspace() for ch in text):
        raise ValidationError("Enter a web address without spaces, like https://example.org")
    try:
        if "://" not in text and not urlsplit(text).scheme:
            text = f"https://{text}"
        parts = urlsplit(text)
        parts.port  # noqa: B018  (reading it checks the port is a number)
    except ValueError as error:
        raise ValidationError("Enter a web address like https://example.org/slides") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError("Enter a web address starting with https:// or http://")
    if not parts.hostname or "." not in parts.hostname.strip("."):
        raise ValidationError("Enter a web address like https://example.org/slides")
    if parts.username is not None or parts.password is not None:
        raise ValidationError("Enter the web address without a user name or password in it")
    if len(text) > URL_LIMIT:
        raise ValidationError(f"The web address must be {URL_LIMIT} characters or fewer")
    return text


class ResourceForm(FlaskForm):
    """A resource for the library: a link or a file, tagged with need areas and phases."""

    title = StringField(
        "Title",
        filters=[one_line],
        validators=[
            DataRequired("Enter a title"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)",
        description="What it is and who it helps, in a sentence or two.",
        filters=[lambda text: (text or "").strip()],
        validators=[
            Optional(),
            Length(max=1000, message="Description must be 1000 characters or fewer"),
        ],
    )
    url = StringField(
        "Link",
        description="A web address, like https://example.org/slides. Leave it empty to "
        "upload a file instead.",
    )
    file = FileField("File")
    need_areas = CheckboxesField("Need areas it helps with", coerce=int)
    phases = CheckboxesField(
        "Phases",
        description="Leave all unticked if it suits every phase.",
        choices=choices(PHASES.items()),
    )
    activity = SelectField(
        "From an activity (optional)",
        description="For example, the slides from a training session.",
        coerce=int,
        # Not shown when the hub has no activities yet: then it is none.
        default=NO_ACTIVITY,
    )

    def __init__(
        self, *args, need_areas=(), activities=(), max_bytes: int, keeps_file=False, **kwargs
    ) -> None:
        """`keeps_file`: the resource being changed has a file, kept unless another is chosen
        or a link given instead."""
        super().__init__(*args, **kwargs)
        self.need_areas.choices = choices((area.id, area.name) for area in need_areas)
        self.activity.choices = choices(
            [
                (NO_ACTIVITY, "None"),
                *((a.id, f"{a.title} ({a.starts_at:%-d %b %Y})") for a in activities),
            ]
        )
        self.file.description = (
            "A PDF, Word, PowerPoint, Excel or OpenDocument file, or a picture, up to "
            f"{size_words(max_bytes)}."
            + (" Choose one only to replace the file it has." if keeps_file else "")
        )
        self.accept = ACCEPT
        self.max_bytes, self.keeps_file = max_bytes, keeps_file
        self.upload: Upload | None = None

    def validate_url(self, field) -> None:
        if (field.data or "").strip():
            field.data = web_address(field.data)
        else:
            field.data = ""

    def validate_file(self, field) -> None:
        chosen = field.data if field.data and field.data.filename else None
        if chosen is not None:
            try:
                self.upload = check(chosen.filename, chosen.stream, self.max_bytes)
            except UploadRefused as refused:
                raise ValidationError(str(refused)) from refused

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = self.file.data if self.file.data and self.file.data.filename else None
        link = (self.url.data or "").strip()
        if link and chosen is not None:
            self.url.errors.append("Give a link or choose a file, not both")
            return False
        if not link and chosen is None and not self.keeps_file and not self.url.errors:
            self.url.errors.append("Give a link to the resource, or choose a file to upload")
            return False
        return valid
