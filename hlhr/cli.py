"""``flask`` commands for operators: database, users, demo content."""

import secrets
from contextlib import contextmanager

import click
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import event, inspect, select

from . import database, security_log
from .auth import PasswordError, check_new_password
from .database import MIGRATIONS_DIR
from .extensions import db
from .models import Media, Role, User
from .publishing import make_slug, unique_slug

# What a demo that a locked or full database stopped has kept (``database.writes``).
DEMO_SAVED = (
    "nothing of the step that failed was saved (the demo site, or the batch of articles "
    "--posts was writing; earlier batches stay)"
)


def init_app(app):
    for command in (init_db, create_user, demo_command):
        app.cli.add_command(command)


@click.command("init-db")
@database.writes(saved="the schema was not changed (each upgrade runs in one transaction)")
def init_db():
    """Create or upgrade the database schema (Alembic migrations)."""
    upgrade(directory=str(MIGRATIONS_DIR))
    click.echo(f"Database is up to date: {_safe_url()}")


def _safe_url():
    return db.engine.url.render_as_string(hide_password=True)


@click.command("create-user")
@click.option("--email", required=True, help="Sign-in e-mail address.")
@click.option("--name", "display_name", help="Name shown on articles (default: from e-mail).")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.CONTRIBUTOR.value,
    show_default=True,
    help="What the account may do.",
)
@click.option(
    "--password", help="Give a password instead of a generated one (avoid: shell history)."
)
@click.option("--reset-password", is_flag=True, help="Set a new password for an existing account.")
@database.writes(saved="no account was created or changed")
def create_user(email, display_name, role, password, reset_password):
    """Create a staff account (or reset its password) and print a generated password once."""
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is not None and not reset_password:
        raise click.ClickException(f"{email} already exists; add --reset-password to reset it.")
    if user is None and reset_password:
        raise click.ClickException(f"No account for {email}.")
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    user = user or new_user(email, display_name, Role(role))
    try:
        check_new_password(user, password)
    except PasswordError as refusal:
        db.session.rollback()
        raise click.ClickException(str(refusal)) from refusal
    user.set_password(password)
    user.session_version = (user.session_version or 0) + 1
    db.session.commit()
    if reset_password:
        security_log.event("password-reset", user=user.id, by="cli")
    else:
        security_log.event("user-created", user=user.id, role=user.role, by="cli")
    click.echo(
        f"{'Password reset for' if reset_password else 'Created'} {user.email} ({user.role})."
    )
    if generated:
        click.echo(f"Password (shown once): {password}")


def new_user(email, display_name=None, role=Role.CONTRIBUTOR) -> User:
    """An unsaved-then-added staff account with a unique author slug."""
    name = display_name or email.split("@")[0].replace(".", " ").title()
    user = User(
        email=email.lower(),
        display_name=name,
        slug=unique_slug(User, make_slug(name) or "author"),
        role=role,
    )
    db.session.add(user)
    return user


@click.command("demo")
@click.option(
    "--posts", type=click.IntRange(min=0), default=0, help="Also generate N extra articles."
)
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed for --posts.")
@database.writes(saved=DEMO_SAVED)
def demo_command(posts, seed):
    """Load the demo site once (articles, pages, menu, staff login); --posts N adds more."""
    from . import demo  # imports Pillow and the demo texts only when asked for

    with _no_image_without_its_row():
        login = demo.load_demo_site()
    if login:
        click.echo(f"Loaded the demo site. Staff login: {login[0]}  password: {login[1]}")
        click.echo(
            "The password is shown only now; reset it with `flask create-user --reset-password`."
        )
    else:
        click.echo("The demo site is already loaded; nothing changed.")
    if posts:
        with click.progressbar(length=posts, label="Generating articles") as bar:
            made = demo.generate_posts(posts, seed=seed, progress=bar.update)
        click.echo(f"Generated {made} articles in {current_app.config['SITE_NAME']}.")


@contextmanager
def _no_image_without_its_row():
    """If the block fails, roll back and delete the files of every image it made that has
    no row now (each was written before its row was; files already written stay on disk)."""
    from .media import remove_files

    made = []  # held strongly: the session forgets rows nothing references any more

    def collect(target, _args, _kwargs):
        made.append(target)

    event.listen(Media, "init", collect)
    try:
        yield
    except BaseException:
        db.session.rollback()
        for item in made:
            if not inspect(item).persistent:
                remove_files(item)
        raise
    finally:
        event.remove(Media, "init", collect)
