"""``flask search rebuild | sync | check | stats | prune`` for operators."""

import click
from sqlalchemy.orm import Session

from .. import database
from ..extensions import db
from . import check, indexing, plan_prune, prune, rebuild, stats, sync
from .store import IndexBusy, IndexDiskFull, SearchUnavailable


@click.group("search")
def search_group():
    """Build, update and inspect the full-text search index."""


@search_group.command("rebuild")
def rebuild_command():
    """Build a complete new index from the database and switch to it atomically."""
    with Session(db.engine) as session:
        total = indexing.count_indexed(session)
    try:
        with click.progressbar(length=total, label="Indexing posts and pages") as bar:
            report = rebuild(progress=bar.update)
    except IndexDiskFull as error:
        raise click.ClickException(
            f"{error}. The unfinished index was removed and the old one still serves; "
            "free some space and run `flask search rebuild` again."
        ) from None
    click.echo(
        f"Indexed {report.documents} posts and pages in {report.seconds:.1f} s "
        f"({report.rate:.0f}/s) into {report.path}"
    )


@search_group.command("sync")
@click.option("--wait", default=30.0, show_default=True, help="Seconds to wait for the lock.")
def sync_command(wait):
    """Apply the change log to the index (what requests do after each commit)."""
    try:
        count = sync(lock_timeout=wait)
    except IndexBusy as error:
        raise click.ClickException(f"{error}; nothing is lost, try again later.") from error
    except IndexDiskFull as error:
        raise click.ClickException(
            f"{error}. Nothing is lost: the change log keeps every change and the index still "
            "serves what it held; free some space and run `flask search sync` again."
        ) from None
    except SearchUnavailable as error:
        raise click.ClickException(f"{error}; run `flask search rebuild`.") from error
    click.echo(f"Search index is up to date ({count} posts re-read from the database).")


@search_group.command("check")
def check_command():
    """Compare the database with the index; exit code 1 and a list when they differ."""
    try:
        report = check()
    except SearchUnavailable as error:
        raise click.ClickException(f"{error}; run `flask search rebuild`.") from error
    for label, ids in (("missing", report.missing), ("extra", report.extra),
                       ("stale", report.stale)):  # fmt: skip
        for post_id in ids:
            click.echo(f"{label}: post {post_id}")
    if report.pending:
        click.echo(f"{report.pending} change-log rows are not applied yet (`flask search sync`).")
    if not report.ok:
        click.echo("The index differs from the database: run `flask search sync` or rebuild.")
        raise SystemExit(1)
    click.echo("The index matches the database.")


@search_group.command("stats")
def stats_command():
    """Documents, segments, size on disk, cursor and change-log backlog."""
    try:
        numbers = stats()
    except SearchUnavailable as error:
        raise click.ClickException(f"{error}; run `flask search rebuild`.") from error
    for name, value in numbers.items():
        click.echo(f"{name.replace('_', ' ')}: {value}")


@search_group.command("prune")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep rows this many days [default: SEARCH_LOG_RETENTION_DAYS, 7].")  # fmt: skip
@database.writes(saved="rows deleted before it stopped stay deleted; the rest go next run")
def prune_command(days):
    """Delete change-log rows older than the retention that this node has applied.

    Every node must apply a change within the retention; one offline longer needs
    `flask search rebuild`. Run it daily (cron or a systemd timer).
    """
    plan = plan_prune(days)
    with click.progressbar(length=plan.count, label="Pruning the search change log") as bar:
        deleted = prune(plan, progress=bar.update)
    kept = "" if plan.has_index else " (no search index here: kept only the newest row)"
    click.echo(
        f"Deleted {deleted} change-log rows logged before {plan.cutoff:%Y-%m-%d %H:%M} UTC{kept}."
    )
