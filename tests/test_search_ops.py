"""Operating the index: pruning the change log, and a rebuild killed with SIGKILL."""

import os
import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from search_support import (
    ROOT,
    flask_env,
    found_titles,
    index,
    live_generation,
    log_rows,
    run_flask,
)
from sqlalchemy import insert, select, update

from hlhr import search
from hlhr.extensions import db
from hlhr.models import SearchLog, utcnow

__all__ = ["index"]


def log_ids():
    return list(db.session.scalars(select(SearchLog.id).order_by(SearchLog.id)))


def age_log_rows(days, up_to_id=None):
    """Pretend the log rows (up to ``up_to_id``) were written ``days`` ago."""
    rows = update(SearchLog).values(created_at=utcnow() - timedelta(days=days))
    if up_to_id is not None:
        rows = rows.where(SearchLog.id <= up_to_id)
    db.session.execute(rows)
    db.session.commit()


# -- flask search prune ----------------------------------------------------------------------


def test_prune_deletes_old_applied_rows_and_keeps_what_a_cursor_needs(index, runner, make_post):
    for n in range(5):
        make_post(f"Report {n}")
    applied = log_ids()
    age_log_rows(days=30)
    unapplied_old = db.session.execute(  # an old change this node has not applied yet
        insert(SearchLog).values(post_id=applied[0], created_at=utcnow() - timedelta(days=30))
    ).inserted_primary_key[0]
    db.session.commit()
    result = runner.invoke(args=["search", "prune", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert f"Deleted {len(applied)} change-log rows" in result.output
    assert log_ids() == [unapplied_old], "never a row above this node's cursor"
    search.sync()
    assert search.check().ok


def test_prune_keeps_young_rows_and_the_newest(index, runner, make_post):
    for n in range(4):
        make_post(f"Report {n}")
    ids = log_ids()
    age_log_rows(days=10, up_to_id=ids[1])
    plan = search.plan_prune(days=7)
    assert plan.count == 2 and plan.has_index
    assert search.prune(plan) == 2
    assert log_ids() == ids[2:]
    age_log_rows(days=10)
    assert search.prune(search.plan_prune(days=7)) == 1
    assert log_ids() == ids[-1:], "the newest row stays, so new ids stay above every cursor"
    make_post("Written after the prune")
    assert log_ids()[-1] > ids[-1]
    assert found_titles("prune") == ["Written after the prune"]


def test_prune_without_an_index_keeps_only_the_newest(app, runner, make_post):
    for n in range(3):
        make_post(f"Report {n}")
    age_log_rows(days=30)
    newest = log_ids()[-1]
    result = runner.invoke(args=["search", "prune"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 change-log rows" in result.output
    assert "no search index here" in result.output
    assert log_ids() == [newest]


def test_prune_refuses_a_retention_under_a_day(index, runner):
    result = runner.invoke(args=["search", "prune", "--days", "0"])
    assert result.exit_code == 2 and "--days" in result.output


# -- kill -9 during flask search rebuild -----------------------------------------------------

# `flask search rebuild` that stops for good after indexing a few documents and says so,
# so the test can kill it with SIGKILL in the middle of a rebuild, every time.
STALLED_REBUILD = textwrap.dedent(
    """
    import sys, time
    from flask.cli import main
    from hlhr.search import bulk

    added = bulk.BulkWriter.add_document

    def add_then_stall(writer, **fields):
        added(writer, **fields)
        if writer.docnum == 3:
            print("STALLED", flush=True)
            time.sleep(600)

    bulk.BulkWriter.add_document = add_then_stall
    sys.argv = ["flask", "search", "rebuild"]
    main()
    """
)


def kill_mid_rebuild(app):
    process = subprocess.Popen(
        [sys.executable, "-c", STALLED_REBUILD], cwd=ROOT, env=flask_env(app),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    said = []
    try:
        for line in process.stdout:
            said.append(line)
            if "STALLED" in line:
                break
        else:
            raise AssertionError("the rebuild ended before it stalled:\n" + "".join(said))
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.stdout.close()
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def test_kill_9_during_rebuild_old_index_serves_and_next_rebuild_succeeds(app, index, make_post):
    for n in range(6):
        make_post(f"Prison report {n}", body=f"Findings on torture, part {n}.")
    live = live_generation(app)
    kill_mid_rebuild(app)

    root = Path(app.config["SEARCH_INDEX_DIR"])
    abandoned = [p for p in root.glob("gen-*") if p != live]
    assert len(abandoned) == 1, "killed midway: a new generation without its cursor"
    assert not (abandoned[0] / "search-state.json").exists()
    assert live_generation(app) == live
    assert len(found_titles("torture")) == 6, "the old index keeps serving"
    store = app.extensions["hlhr_search"].store
    with store.write_lock(store.open(), timeout=0.1):  # no lock left behind for writers
        pass
    make_post("Water rights", body="Written after the kill.")
    assert log_rows() and found_titles("water") == ["Water rights"]

    result = run_flask(app, "search", "rebuild")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Indexed 7 posts and pages" in result.stdout
    assert live_generation(app) != live
    assert not abandoned[0].exists(), "the next rebuild removes what the killed one left"
    assert search.check().ok
    assert len(found_titles("torture")) == 6 and found_titles("water") == ["Water rights"]
