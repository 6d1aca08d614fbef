"""``flask backup DEST`` and ``flask restore ARCHIVE``: one archive holds a whole site.

The archive (.tar.gz) holds a consistent snapshot of the database (SQLite's online
backup, or ``pg_dump`` for PostgreSQL), every uploaded file, the instance config with its
secrets removed unless asked for, and ``manifest.json`` with counts and the SHA-256 of
every member. The search index is not in it: ``restore`` rebuilds it from the database.
"""

from contextlib import contextmanager

import click

from .. import database
from .archive import BackupError
from .restoring import restore_backup
from .writing import make_backup

__all__ = ["BackupError", "init_app", "make_backup", "restore_backup"]

# What a restore that a locked or full database stopped has kept (``database.writes``).
RESTORE_SAVED = (
    "the restore stopped part-way (what it already put in place stays, and what that "
    "replaced is kept as *.before-restore-*); add --force when you run it again"
)


def init_app(app):
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@contextmanager
def _progressbar(label, length):
    with click.progressbar(length=max(length, 1), label=label) as bar:
        yield bar.update


def _config_option(help_text):
    return click.option(
        "--instance-config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=str),
        help=help_text,
    )


@click.command("backup")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=str))
@click.option("--include-secrets", is_flag=True, help="Keep SECRET_KEY, passwords and tokens.")
@click.option("--force", is_flag=True, help="Replace DEST if it exists.")
@_config_option("Instance config file to include (default: instance/config.py).")
def backup_command(dest, include_secrets, force, config_path):
    """Write the database, uploads and instance config into one archive, DEST (.tar.gz)."""
    try:
        report = make_backup(dest, include_secrets, force, config_path, _progressbar)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    manifest = report.manifest
    click.echo(
        f"Backed up {_counts(manifest['counts'])} and {_config_summary(manifest['config'])} "
        f"to {report.path}: {_megabytes(report.size)} in {report.seconds:.1f} s."
    )
    if manifest["config"]["secrets"] == "included":
        click.echo("The archive holds secrets: store it where only administrators can read it.")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--force", is_flag=True,
              help="Restore over existing content (the old database and uploads are kept, "
                   "renamed *.before-restore-<time>; PostgreSQL tables are replaced).")  # fmt: skip
@click.option("--replace-config", is_flag=True,
              help="Put the backup's config in place of an existing instance config.")  # fmt: skip
@_config_option("Instance config file to write (default: instance/config.py).")
@database.writes(saved=RESTORE_SAVED)
def restore_command(archive, force, replace_config, config_path):
    """Restore ARCHIVE (made by `flask backup`) into an empty instance, then rebuild search."""
    try:
        report = restore_backup(archive, force, config_path, replace_config, _progressbar)
    except BackupError as error:
        raise click.ClickException(f"{error}. Nothing was restored.") from error
    manifest = report.manifest
    indexed = "" if report.search_problem else (
        f"; the search index holds {report.documents} documents"
    )  # fmt: skip
    click.echo(
        f"Restored {_counts(manifest['counts'])} from {archive} (made {manifest['created']} "
        f"by HLHR {manifest.get('app_version', '?')}) in {report.seconds:.1f} s{indexed}."
    )
    for kept in report.kept:
        click.echo(f"Kept what was replaced: {kept}")
    click.echo(report.config_note)
    if report.search_problem:
        raise click.ClickException(
            f"the search index was not rebuilt: {report.search_problem}. Everything else is "
            "restored; free some space and run `flask search rebuild`."
        )


def _counts(counts: dict) -> str:
    order = ("posts", "pages", "comments", "users", "media", "upload_files")
    return ", ".join(f"{counts.get(name, 0)} {name.replace('_', ' ')}" for name in order)


def _config_summary(config: dict) -> str:
    if not config["included"]:
        return "no instance config (none found)"
    if config["secrets"] == "included":
        return "the instance config with its secrets"
    removed = ", ".join(config["removed"]) or "none found"
    return f"the instance config without secrets (removed: {removed})"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
