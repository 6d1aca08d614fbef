"""``flask import-wxr FILE`` and ``flask export-wxr FILE``."""

import os

import click
from flask import current_app

from .. import database, search
from ..publishing import PublishingError
from .exporter import export_wxr
from .importer import import_wxr
from .reader import WxrError


@click.command("import-wxr")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--uploads",
    type=click.Path(exists=True, file_okay=False),
    help="A local copy of wp-content/uploads: attachments are taken from it.",
)
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@database.writes(saved="nothing was imported (the import is one transaction)")
def import_command(file, uploads, dry_run):
    """Import a WordPress export (WXR 1.0-1.2): authors, sections, tags, posts, pages,
    comments, attachments. Run it again with a newer export to update in place."""
    size = os.path.getsize(file)
    with click.progressbar(length=2 * size, label="Reading the export", file=None) as bar:
        try:
            report = import_wxr(file, uploads, dry_run, progress=lambda _label, n: bar.update(n))
        except WxrError as exc:
            raise click.ClickException(f"{file}: {exc} Nothing was imported.") from exc
        except PublishingError as exc:
            raise click.ClickException(f"{file}: {exc} Nothing was imported.") from exc
    for line in report.lines():
        click.echo(line)
    if not dry_run:
        click.echo(_sync_search())


def _sync_search() -> str:
    try:
        search.sync()
    except search.IndexBusy as exc:
        return f"Search index not updated yet ({exc}): run `flask search sync`."
    except search.IndexDiskFull as exc:
        return f"Search index not updated ({exc}): free some space, then `flask search sync`."
    except search.SearchUnavailable as exc:
        return f"Search index unavailable ({exc}): run `flask search rebuild`."
    return "Search index is up to date."


@click.command("export-wxr")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@click.option(
    "--site-url",
    help="Absolute address of this site for links in the file (default: SITE_URL).",
)
def export_command(file, site_url):
    """Write everything to a WordPress export (WXR 1.2) that WordPress can import."""
    site_url = (site_url or current_app.config.get("SITE_URL") or "").rstrip("/")
    if not site_url.startswith(("http://", "https://")):
        raise click.ClickException("Give --site-url https://… or set SITE_URL.")
    counts = export_wxr(file, site_url)
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    click.echo(f"Wrote {file}: {summary}.")
