"""Staff forms (Flask-WTF: every form carries a CSRF token); field rules live here."""

import re

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..models import PostStatus, Role

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
STATUS_LABELS = {
    PostStatus.DRAFT: "Draft",
    PostStatus.PENDING: "Pending review",
    PostStatus.SCHEDULED: "Scheduled",
    PostStatus.PUBLISHED: "Published",
}


def options(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    return value.strip() if isinstance(value, str) else value


def _no_control_chars(form, field):
    if field.data and any(ord(ch) < 32 and ch not in "\t\r\n" for ch in field.data):
        raise ValidationError("Remove the invisible control characters from this field.")


def _email_address(form, field):
    if field.data and not EMAIL_RE.fullmatch(field.data):
        raise ValidationError("Enter a valid e-mail address, like name@example.org.")


class ActionForm(FlaskForm):
    """A bare form for buttons that change something (CSRF token only)."""


class LoginForm(FlaskForm):
    email = StringField("E-mail", [DataRequired(), Length(max=254)], filters=[strip])
    password = PasswordField("Password", [DataRequired(), Length(max=1000)])
    next = HiddenField()


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", [DataRequired(), Length(max=1000)])
    new = PasswordField("New password", [DataRequired(), Length(max=1000)])
    confirm = PasswordField(
        "Repeat the new password", [DataRequired(), EqualTo("new", "The passwords differ.")]
    )


class PostForm(FlaskForm):
    title = StringField(
        "Title", [DataRequired(), Length(max=300), _no_control_chars], filters=[strip]
    )
    slug = StringField(
        "Slug",
        [Optional(), Length(max=200)],
        filters=[strip],
        description="Part of the address; made from the title when left empty.",
    )
    body_format = SelectField(
        "Body format", choices=options([("markdown", "Markdown"), ("html", "HTML")])
    )
    body_source = TextAreaField("Body", [Length(max=500_000)])
    excerpt = TextAreaField("Excerpt", [Length(max=2000)], filters=[strip])
    category_id = SelectField("Section", coerce=int, validate_choice=True)
    tags = StringField(
        "Tags", [Length(max=2000)], description="Separate tags with commas; new ones are created."
    )
    featured_media_id = SelectField("Featured image", coerce=int)
    editors_pick = BooleanField("Editor's pick")
    comments_open = BooleanField("Comments open", default=True)
    seo_title = StringField("SEO title", [Length(max=300)], filters=[strip])
    seo_description = TextAreaField("SEO description", [Length(max=500)], filters=[strip])
    status = SelectField(
        "Status", choices=options((s.value, label) for s, label in STATUS_LABELS.items())
    )
    published_at = DateTimeLocalField(
        "Publish at", [Optional()], format=TIME_FORMATS, description="Site time zone."
    )
    expires_at = DateTimeLocalField(
        "Expires at", [Optional()], format=TIME_FORMATS, description="Leave empty to keep it."
    )
    note = StringField("Revision note", [Length(max=200)], filters=[strip])
    version = HiddenField()

    def validate_expires_at(self, field):
        start = self.published_at.data
        if field.data and start and field.data <= start:
            raise ValidationError("The expiry time must come after the publication time.")

    def tag_names(self):
        return [name for name in (self.tags.data or "").split(",") if name.strip()]


class MediaEditForm(FlaskForm):
    alt_text = StringField(
        "Alternative text",
        [DataRequired("Describe the image for people who cannot see it."), Length(max=300)],
        filters=[strip],
    )
    caption = StringField("Caption", [Length(max=500)], filters=[strip])
    credit = StringField("Credit", [Length(max=200)], filters=[strip])


class MediaForm(MediaEditForm):
    """An upload: the image itself and what the edit form asks about it."""

    file = FileField("Image", [FileRequired("Choose an image file.")])


class CommentBulkForm(FlaskForm):
    ids = SelectMultipleField("Comments", coerce=int, validate_choice=False)
    action = SelectField(
        "Action",
        choices=options([("approved", "Approve"), ("pending", "Unapprove"), ("spam", "Spam"),
                         ("trash", "Trash")]),
    )  # fmt: skip


class CommentReplyForm(FlaskForm):
    body = TextAreaField("Reply", [DataRequired(), Length(max=10_000)], filters=[strip])


class CommentEditForm(FlaskForm):
    author_name = StringField("Name", [DataRequired(), Length(max=120)], filters=[strip])
    body = TextAreaField("Comment", [DataRequired(), Length(max=10_000)], filters=[strip])


class CategoryForm(FlaskForm):
    name = StringField("Name", [DataRequired(), Length(max=120)], filters=[strip])
    slug = StringField("Slug", [Optional(), Length(max=200)], filters=[strip])
    description = TextAreaField("Description", [Length(max=2000)], filters=[strip])
    position = IntegerField("Order", [Optional(), NumberRange(-10_000, 10_000)], default=0)
    on_home = BooleanField("Show a block on the home page")


class ReassignForm(FlaskForm):
    target_id = SelectField("Move its posts to", coerce=int)


class TagForm(FlaskForm):
    name = StringField("Name", [DataRequired(), Length(max=120)], filters=[strip])
    slug = StringField("Slug", [Optional(), Length(max=200)], filters=[strip])


class MenuItemForm(FlaskForm):
    label = StringField("Label", [DataRequired(), Length(max=80)], filters=[strip])
    kind = SelectField(
        "Links to",
        choices=options([("home", "Home page"), ("page", "A page"), ("category", "A section"),
                         ("url", "An address")]),
    )  # fmt: skip
    page_id = SelectField("Page", coerce=int, validate_choice=False)
    category_id = SelectField("Section", coerce=int, validate_choice=False)
    url = StringField("Address", [Length(max=500)], filters=[strip])
    position = IntegerField("Order", [Optional(), NumberRange(-10_000, 10_000)], default=0)

    def validate_page_id(self, field):
        if self.kind.data == "page" and not field.data:
            raise ValidationError("Choose the page this entry links to.")

    def validate_category_id(self, field):
        if self.kind.data == "category" and not field.data:
            raise ValidationError("Choose the section this entry links to.")

    def validate_url(self, field):
        if self.kind.data == "url" and not field.data:
            raise ValidationError("Give the address the menu entry links to.")
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError("Use an http:// or https:// address.")


class SettingsForm(FlaskForm):
    site_name = StringField("Site name", [DataRequired(), Length(max=120)], filters=[strip])
    about = TextAreaField("About text", [Length(max=5000)], filters=[strip])
    moderation_words = TextAreaField(
        "Hold for moderation",
        [Length(max=50_000)],
        description="One word or phrase per line: comments containing one wait for approval.",
    )
    disallowed_words = TextAreaField(
        "Disallowed",
        [Length(max=50_000)],
        description="One word or phrase per line: comments containing one go to spam.",
    )
    feed_content = SelectField(
        "Feeds carry",
        choices=options([("summary", "A summary of each article"), ("full", "The full text")]),
        default="summary",
    )


class UserForm(FlaskForm):
    email = EmailField("E-mail", [DataRequired(), Length(max=254), _email_address], filters=[strip])
    display_name = StringField(
        "Name", [DataRequired(), Length(max=120), _no_control_chars], filters=[strip]
    )
    role = SelectField("Role", choices=options((r.value, r.value.title()) for r in Role))
    password = PasswordField("Password", [InputRequired(), Length(max=1000)])


class UserEditForm(FlaskForm):
    display_name = StringField(
        "Name", [DataRequired(), Length(max=120), _no_control_chars], filters=[strip]
    )
    email = EmailField("E-mail", [DataRequired(), Length(max=254), _email_address], filters=[strip])
    role = SelectField("Role", choices=options((r.value, r.value.title()) for r in Role))
    active = BooleanField("Active (may sign in)")


class UserPasswordForm(FlaskForm):
    """An admin sets a new password for another account."""

    password = PasswordField("New password", [InputRequired(), Length(max=1000)])
    confirm = PasswordField(
        "Repeat the new password", [InputRequired(), EqualTo("password", "The passwords differ.")]
    )
