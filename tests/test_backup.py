"""flask backup and flask restore: a whole site out and back in, through the real CLI."""

import errno
import io
import json
import os
import tarfile
import threading
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from hlhr import create_app, media, search
from hlhr.extensions import db
from hlhr.models import Comment, CommentStatus, Media, Post, PostKind, Role, User

SECRET_CONFIG = """\
SECRET_KEY = "k3y-that-must-not-travel"
SITE_NAME = "Restored Newsroom"
MAIL_PASSWORD = "mail-pass-that-must-not-travel"
API_TOKEN: str = "token-that-must-not-travel"
DATABASE_URL = "postgresql+psycopg://hlhr:db-pass-that-must-not-travel@db/hlhr"
SQLALCHEMY_ENGINE_OPTIONS = {"connect_args": {"password": "engine-pass-that-must-not-travel"}}
if SITE_NAME:
    UPLOAD_TOKEN = "nested-token-that-must-not-travel"
POSTS_PER_PAGE = 12
"""
SECRET_VALUES = [line.split('"')[-2] for line in SECRET_CONFIG.splitlines() if "must-not" in line]


def png_bytes(color="red", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def site(app, staff, make_post):
    """A small site: articles, a page, comments in two states, an image and two accounts."""
    picture = media.store_image(png_bytes(), "protest.png", alt_text="A protest", user=staff)
    db.session.add(picture)
    db.session.commit()
    article = make_post("Torture inquiry reopens", body="The **torture** inquiry reopens.",
                        featured=picture)  # fmt: skip
    make_post("Detention figures", tags=("detention", "figures"), days_ago=3)
    make_post("About us", kind=PostKind.PAGE, section=None, tags=())
    db.session.add_all([
        Comment(post_id=article.id, author_name="Amal", author_email="amal@example.org",
                body="Thank you for this report.", status=CommentStatus.APPROVED),
        Comment(post_id=article.id, author_name="Ben", author_email="ben@example.org",
                body="Waiting for moderation.", status=CommentStatus.PENDING),
    ])  # fmt: skip
    editor = User(email="editor@example.org", display_name="Eda Editor", slug="eda",
                  role=Role.EDITOR)  # fmt: skip
    editor.set_password("a long editor password")
    db.session.add(editor)
    db.session.commit()
    return app


def site_content(app) -> dict:
    """Everything a restore must bring back, read from the app's database and uploads."""
    posts = db.session.scalars(select(Post).order_by(Post.slug))
    comments = db.session.scalars(select(Comment).order_by(Comment.body))
    users = db.session.scalars(select(User).order_by(User.email))
    images = db.session.scalars(select(Media).order_by(Media.stored_name))
    uploads = Path(app.config["UPLOAD_DIR"])
    return {
        "posts": [(p.kind, p.slug, p.title, p.body_source, p.body_html, p.status,
                   p.published_at, [t.slug for t in p.tags],
                   p.featured.stored_name if p.featured else None) for p in posts],
        "comments": [(c.post_id, c.author_name, c.body, c.status) for c in comments],
        "users": [(u.email, u.display_name, u.role, u.password_hash) for u in users],
        "media": [(m.stored_name, m.sha256, m.alt_text, m.renditions) for m in images],
        "files": {p.relative_to(uploads).as_posix(): p.read_bytes()
                  for p in sorted(uploads.rglob("*")) if p.is_file()},
    }  # fmt: skip


def _config(base: Path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SEARCH_INDEX_DIR": str(base / "search-index"),
        "UPLOAD_DIR": str(base / "uploads"),
    }


@pytest.fixture
def empty_instance(app, tmp_path, request):
    """``empty_instance()``: a new app over an empty database and no uploads."""
    made = []

    def new(name="restored", **config):
        base = tmp_path / name
        base.mkdir()
        if db.engine.dialect.name == "sqlite":
            url = f"sqlite:///{base / 'hlhr.sqlite3'}"  # no file at all: the emptiest instance
        else:
            url = _empty_postgresql_database(request, name)
        made.append(create_app({**_config(base, url), **config}))
        return made[-1]

    yield new
    for other in made:
        with other.app_context():
            db.engine.dispose()


def _empty_postgresql_database(request, name) -> str:
    try:
        databases = request.getfixturevalue("databases")
    except pytest.FixtureLookupError:
        pytest.skip("restoring into PostgreSQL needs conftest's `databases` fixture")
    url = databases.empty(name)

    def drop():
        db.session.remove()  # drop() disposes every engine: return the source's connection first
        databases.drop(url)

    request.addfinalizer(drop)
    return url


def run(app, *args):
    """The command in ``app``'s context (the CLI reuses an app context already pushed)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=[str(a) for a in args])


def backup(app, dest, *options, config=None):
    config = config or Path(app.config["UPLOAD_DIR"]).parent / "no-config.py"
    return run(app, "backup", dest, "--instance-config", config, *options)


def restore(app, archive, *options, config=None):
    config = config or Path(app.config["UPLOAD_DIR"]).parent / "config.py"
    return run(app, "restore", archive, "--instance-config", config, *options)


def members(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def write_archive(path: Path, contents: dict) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def assert_nothing_restored(target):
    with target.app_context():
        assert post_count() == 0
        uploads = Path(target.config["UPLOAD_DIR"])
        assert not uploads.exists() or not any(uploads.iterdir())
    assert not (Path(target.config["UPLOAD_DIR"]).parent / "config.py").exists()


def post_count() -> int:
    try:
        return db.session.scalar(select(func.count(Post.id)))
    except DBAPIError:  # no tables at all
        db.session.rollback()
        return 0


# -- the round trip ----------------------------------------------------------------------------


def test_a_restored_site_has_the_same_content(site, tmp_path, empty_instance):
    archive = tmp_path / "site.tar.gz"
    before = site_content(site)
    made = backup(site, archive)
    assert made.exit_code == 0, made.output
    assert "2 posts, 1 pages, 2 comments, 2 users, 1 media" in made.output
    manifest = json.loads(members(archive)["manifest.json"])
    assert manifest["counts"] == {"posts": 2, "pages": 1, "comments": 2, "users": 2, "media": 1,
                                  "upload_files": len(before["files"])}  # fmt: skip
    assert manifest["database"]["backend"] == db.engine.dialect.name

    target = empty_instance()
    umask = os.umask(0o022)  # a usual umask: files would come out world-readable
    try:
        done = restore(target, archive)
    finally:
        os.umask(umask)
    assert done.exit_code == 0, done.output
    assert "the search index holds 3 documents" in done.output
    with target.app_context():
        assert site_content(target) == before
        if db.engine.dialect.name == "sqlite":  # password hashes, commenters' e-mail addresses
            assert Path(db.engine.url.database).stat().st_mode & 0o777 == 0o600
        uploads = [p for p in Path(target.config["UPLOAD_DIR"]).rglob("*") if p.is_file()]
        assert uploads and {p.stat().st_mode & 0o777 for p in uploads} == {0o644}  # public
        found = search.search("torture")
        assert [hit.post.slug for hit in found.hits] == ["torture-inquiry-reopens"]
        page = target.test_client().get("/torture-inquiry-reopens/")
        assert page.status_code == 200 and "Thank you for this report." in page.text


def test_a_full_index_disk_keeps_the_restore_and_says_to_rebuild(
    site, tmp_path, empty_instance, disks
):
    archive = tmp_path / "site.tar.gz"
    before = site_content(site)
    assert backup(site, archive).exit_code == 0
    target = empty_instance(SEARCH_INDEX_DIR=str(disks["index"].path / "search-index"))
    disks["index"].fill()
    done = restore(target, archive)
    assert done.exit_code == 1, done.output
    assert "Traceback" not in done.output
    assert "Restored 2 posts, 1 pages, 2 comments" in done.output
    assert "the search index was not rebuilt: no space left on the disk holding" in done.output
    assert disks["index"].files() == []  # the failed build left nothing
    with target.app_context():
        assert site_content(target) == before
        disks["index"].empty()
        rebuilt = target.test_cli_runner().invoke(args=["search", "rebuild"])
        assert rebuilt.exit_code == 0, rebuilt.output
        assert [hit.post.slug for hit in search.search("torture").hits] == [
            "torture-inquiry-reopens"
        ]
        target.extensions["hlhr_search"].close()


def test_backup_refuses_to_replace_a_file_unless_forced(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"an older backup")
    refused = backup(site, archive)
    assert refused.exit_code != 0
    assert "already exists; add --force" in refused.output
    assert archive.read_bytes() == b"an older backup"
    assert backup(site, archive, "--force").exit_code == 0
    assert "manifest.json" in members(archive)


def test_backup_into_a_missing_folder_says_so(site, tmp_path):
    result = backup(site, tmp_path / "nowhere" / "site.tar.gz")
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_a_full_disk_leaves_no_archive_behind(site, tmp_path, monkeypatch):
    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    folder = tmp_path / "backups"
    folder.mkdir()
    monkeypatch.setattr(os, "fsync", disk_full)
    result = backup(site, folder / "site.tar.gz")
    assert result.exit_code != 0
    assert "no space left" in result.output and "nothing was written" in result.output
    assert list(folder.iterdir()) == []


# -- secrets -----------------------------------------------------------------------------------


def test_secrets_stay_out_unless_asked_for(site, tmp_path, empty_instance):
    config = tmp_path / "config.py"
    config.write_text(SECRET_CONFIG)
    plain, full = tmp_path / "plain.tar.gz", tmp_path / "full.tar.gz"
    assert backup(site, plain, config=config).exit_code == 0
    made = backup(site, full, "--include-secrets", config=config)
    assert made.exit_code == 0 and "holds secrets" in made.output

    kept = members(plain)["instance/config.py"].decode()
    assert 'SITE_NAME = "Restored Newsroom"' in kept and "POSTS_PER_PAGE = 12" in kept
    for value in SECRET_VALUES:
        assert value not in kept
    compile(kept, "config.py", "exec")  # still Python
    assert json.loads(members(plain)["manifest.json"])["config"]["removed"] == [
        "SECRET_KEY", "MAIL_PASSWORD", "API_TOKEN", "DATABASE_URL",
        "SQLALCHEMY_ENGINE_OPTIONS", "UPLOAD_TOKEN",
    ]  # fmt: skip
    assert members(full)["instance/config.py"].decode() == SECRET_CONFIG

    target = empty_instance()
    target_config = tmp_path / "restored" / "config.py"
    assert restore(target, plain, config=target_config).exit_code == 0
    written = target_config.read_text()
    assert 'SITE_NAME = "Restored Newsroom"' in written
    assert "k3y-that-must-not-travel" not in written
    assert "SECRET_KEY = '" in written  # a fresh one, so the site can start
    assert target_config.stat().st_mode & 0o077 == 0


def test_an_existing_instance_config_is_kept_unless_replacing_is_asked(site, tmp_path,
                                                                       empty_instance):  # fmt: skip
    config = tmp_path / "config.py"
    config.write_text(SECRET_CONFIG)
    archive = tmp_path / "site.tar.gz"
    assert backup(site, archive, "--include-secrets", config=config).exit_code == 0
    target = empty_instance()
    target_config = tmp_path / "restored" / "config.py"
    target_config.write_text('SECRET_KEY = "the-new-machine-key"\n')
    done = restore(target, archive, config=target_config)
    assert done.exit_code == 0, done.output
    assert target_config.read_text() == 'SECRET_KEY = "the-new-machine-key"\n'
    assert (tmp_path / "restored" / "config.from-backup.py").read_text() == SECRET_CONFIG
    again = empty_instance("again")
    again_config = tmp_path / "again" / "config.py"
    again_config.write_text('SECRET_KEY = "the-new-machine-key"\n')
    assert restore(again, archive, "--replace-config", config=again_config).exit_code == 0
    assert again_config.read_text() == SECRET_CONFIG
    assert [p.name for p in again_config.parent.glob("config.py.before-restore-*")]


# -- consistency under writes --------------------------------------------------------------


def test_a_backup_taken_while_another_thread_writes_is_consistent(site, tmp_path, empty_instance):
    """Comments are written in pairs, one transaction each: a snapshot holds whole pairs."""
    post_id = db.session.scalar(select(Post.id).where(Post.kind == PostKind.POST).limit(1))
    engine = create_engine(db.engine.url, poolclass=NullPool)
    pairs, stop, started = [0], threading.Event(), threading.Event()

    def write_pairs():
        while not stop.is_set():
            with engine.begin() as connection:
                for half in ("a", "b"):
                    connection.execute(Comment.__table__.insert().values(
                        post_id=post_id, author_name="Writer", author_email="w@example.org",
                        body=f"pair {pairs[0]} {half}", status=CommentStatus.APPROVED))  # fmt: skip
            pairs[0] += 1
            if pairs[0] >= 5:
                started.set()

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        assert started.wait(30)
        made = backup(site, tmp_path / "busy.tar.gz")
        during = pairs[0]
        while pairs[0] < during + 5 and writer.is_alive():
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join(30)
        engine.dispose()
    assert made.exit_code == 0, made.output
    manifest = json.loads(members(tmp_path / "busy.tar.gz")["manifest.json"])

    target = empty_instance()
    assert restore(target, tmp_path / "busy.tar.gz").exit_code == 0
    with target.app_context():
        bodies = db.session.scalars(select(Comment.body).where(Comment.body.like("pair %"))).all()
        assert manifest["counts"]["comments"] == db.session.scalar(select(func.count(Comment.id)))
    halves = {}
    for body in bodies:
        _, number, half = body.split()
        halves.setdefault(int(number), set()).add(half)
    assert 5 <= len(halves) < pairs[0]  # written before the backup, not everything after
    assert all(found == {"a", "b"} for found in halves.values())
    assert sorted(halves) == list(range(len(halves)))  # no gaps: one moment of the database


# -- refusals: nothing is restored -------------------------------------------------------------


def test_restore_refuses_an_instance_with_content(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    assert backup(site, archive).exit_code == 0
    refused = restore(site, archive)
    assert refused.exit_code != 0
    assert (
        "not empty (3 posts and pages" in refused.output
        and "Nothing was restored" in refused.output
    )


@pytest.mark.sqlite_only(reason="PostgreSQL keeps no renamed copy of the tables it replaces")
def test_a_forced_restore_keeps_what_it_replaced(site, tmp_path, make_post):
    archive = tmp_path / "site.tar.gz"
    before = site_content(site)
    assert backup(site, archive).exit_code == 0
    make_post("Written after the backup")
    done = restore(site, archive, "--force")
    assert done.exit_code == 0, done.output
    assert "Kept what was replaced" in done.output
    db.session.remove()
    assert site_content(site) == before
    assert list(tmp_path.glob("hlhr.sqlite3.before-restore-*"))
    assert list(tmp_path.glob("uploads.before-restore-*"))


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75, -8])  # -8: gzip's CRC and length
def test_a_damaged_archive_restores_nothing(site, tmp_path, empty_instance, where):
    archive = tmp_path / "site.tar.gz"
    assert backup(site, archive).exit_code == 0
    data = bytearray(archive.read_bytes())
    start = where if where < 0 else int(len(data) * where)
    end = start + 8 if where < 0 else start + 64
    data[start : end or None] = bytes(b ^ 0xFF for b in data[start : end or None])
    archive.write_bytes(bytes(data))
    target = empty_instance()
    result = restore(target, archive)
    assert result.exit_code != 0
    assert "not a readable HLHR backup" in result.output
    assert_nothing_restored(target)


def test_a_changed_member_fails_its_checksum_and_restores_nothing(site, tmp_path, empty_instance):
    archive = tmp_path / "site.tar.gz"
    assert backup(site, archive).exit_code == 0
    contents = members(archive)
    upload = next(name for name in contents if name.startswith("uploads/"))
    contents[upload] = png_bytes("blue")
    forged = tmp_path / "forged.tar.gz"
    write_archive(forged, contents)
    target = empty_instance()
    result = restore(target, forged)
    assert result.exit_code != 0
    assert f"checksum mismatch for {upload}" in result.output
    assert_nothing_restored(target)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pop("manifest.json"), "has no manifest.json"),
        (lambda c: c.update({"../escape.txt": b"x"}), "unexpected entry: '../escape.txt'"),
        (lambda c: c.update({"uploads/extra.png": b"x"}), "not listed: ['uploads/extra.png']"),
        (lambda c: c.update({"manifest.json": _manifest_with(c, format_version=99)}),
         "upgrade HLHR first"),
        (lambda c: c.update({"manifest.json": _manifest_with(c, format="tarball")}),
         "not an HLHR backup"),
    ],
)  # fmt: skip
def test_archives_that_are_not_our_backups_are_refused(site, tmp_path, empty_instance, change,
                                                        message):  # fmt: skip
    archive = tmp_path / "site.tar.gz"
    assert backup(site, archive).exit_code == 0
    contents = members(archive)
    change(contents)
    odd = tmp_path / "odd.tar.gz"
    write_archive(odd, contents)
    target = empty_instance()
    result = restore(target, odd)
    assert result.exit_code != 0
    assert message in result.output
    assert_nothing_restored(target)


def _manifest_with(contents, **fields) -> bytes:
    return json.dumps(json.loads(contents["manifest.json"]) | fields).encode()


def test_a_backup_from_a_newer_schema_is_refused(site, tmp_path, empty_instance):
    archive = tmp_path / "site.tar.gz"
    assert backup(site, archive).exit_code == 0
    contents = members(archive)
    manifest = json.loads(contents["manifest.json"])
    manifest["database"]["schema_revision"] = "9999_from_the_future"
    contents["manifest.json"] = json.dumps(manifest).encode()
    future = tmp_path / "future.tar.gz"
    write_archive(future, contents)
    target = empty_instance()
    result = restore(target, future)
    assert result.exit_code != 0
    assert "made by a newer version" in result.output
    assert_nothing_restored(target)


def test_backup_refuses_an_instance_config_it_cannot_read(site, tmp_path):
    config = tmp_path / "config.py"
    config.write_text("SECRET_KEY = 'unfinished\n")
    result = backup(site, tmp_path / "site.tar.gz", config=config)
    assert result.exit_code != 0
    assert "secrets cannot be removed" in result.output
    assert not (tmp_path / "site.tar.gz").exists()


@pytest.mark.sqlite_only(reason="checks the SQLite file in the archive")
def test_the_archived_database_file_is_whole_on_sqlite(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    assert backup(site, archive).exit_code == 0
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(members(archive)["database.sqlite3"])
    engine = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA integrity_check")) == "ok"
        assert connection.scalar(text("PRAGMA journal_mode")) == "delete"
    engine.dispose()


def test_restore_into_an_instance_that_ran_init_db(site, tmp_path, empty_instance):
    """The usual new machine: schema created and an admin made, but no posts or uploads."""
    archive = tmp_path / "site.tar.gz"
    before = site_content(site)
    assert backup(site, archive).exit_code == 0
    target = empty_instance()
    assert run(target, "init-db").exit_code == 0
    assert (
        run(target, "create-user", "--email", "admin@example.org", "--role", "admin").exit_code == 0
    )
    done = restore(target, archive)
    assert done.exit_code == 0, done.output
    with target.app_context():
        assert site_content(target) == before
