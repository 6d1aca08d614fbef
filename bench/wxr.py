"""Benchmark (not a test): import a generated 10,000-post WXR file.

    .venv/bin/python bench/wxr.py [--posts 10000] [--keep DIR]

Prints the file size, posts per second, the time the search index took to catch up and
peak RSS (VmHWM from /proc/self/status, else ru_maxrss). The import must stream: peak
RSS stays under 300 MB whatever the file size.
"""

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from hlhr import create_app, search
from hlhr.database import MIGRATIONS_DIR
from hlhr.extensions import db
from hlhr.wordpress.importer import import_wxr

WORDS = [
    *("court", "hearing", "detention", "rights", "lawyer", "family", "witness", "report"),
    *("appeal", "judge", "release", "prison", "journalist", "freedom", "assembly"),
    *("protest", "statement", "evidence", "chamber", "ruling", "law", "investigation"),
    *("complaint", "minister", "border", "refugee", "asylum", "camp", "water", "school"),
]
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><link>https://bench.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://bench.example</wp:base_site_url>
<wp:author><wp:author_login><![CDATA[desk]]></wp:author_login>
 <wp:author_email><![CDATA[desk@bench.example]]></wp:author_email>
 <wp:author_display_name><![CDATA[The Desk]]></wp:author_display_name></wp:author>
"""


def sentence(rng):
    words = rng.choices(WORDS, k=rng.randint(8, 18))
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def comment(n, parent, day):
    return (
        f"<wp:comment><wp:comment_id>{n}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>"
        f"<wp:comment_author_email><![CDATA[r{n}@bench.example]]></wp:comment_author_email>"
        f"<wp:comment_date_gmt><![CDATA[{day} 12:00:00]]></wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[Thank you for report {n}.]]></wp:comment_content>"
        f"<wp:comment_approved><![CDATA[1]]></wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def item(n, rng):
    day = f"20{10 + n % 14:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
    body = "\n\n".join(paragraph(rng) for _ in range(5))
    tags = "".join(
        f'<category domain="post_tag" nicename="tag-{t}"><![CDATA[Tag {t}]]></category>'
        for t in rng.sample(range(200), 2)
    )
    return (
        f"<item><title>Report number {n}: {sentence(rng)[:60]}</title>"
        f"<link>https://bench.example/{day[:4]}/{day[5:7]}/report-{n}/</link>"
        f"<dc:creator><![CDATA[desk]]></dc:creator>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded>"
        f"<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
        f"<wp:post_id>{n}</wp:post_id>"
        f"<wp:post_date_gmt><![CDATA[{day} 09:00:00]]></wp:post_date_gmt>"
        f"<wp:post_name><![CDATA[report-{n}]]></wp:post_name>"
        f"<wp:status><![CDATA[publish]]></wp:status>"
        f"<wp:post_type><![CDATA[post]]></wp:post_type>"
        f'<category domain="category" nicename="section-{n % 20}">'
        f"<![CDATA[Section {n % 20}]]></category>"
        f"{tags}<wp:postmeta><wp:meta_key><![CDATA[post_views_count]]></wp:meta_key>"
        f"<wp:meta_value><![CDATA[{rng.randint(0, 5000)}]]></wp:meta_value></wp:postmeta>"
        f"{comment(2 * n, 0, day)}{comment(2 * n + 1, 2 * n, day)}</item>\n"
    )


def write_export(path: Path, posts: int) -> None:
    rng = random.Random(2024)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(1, posts + 1):
            out.write(item(n, rng))
        out.write("</channel></rss>\n")


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--keep", help="Work in this folder and keep it.")
    args = parser.parse_args(argv)
    base = Path(args.keep or tempfile.mkdtemp(prefix="hlhr-bench-wxr-"))
    base.mkdir(parents=True, exist_ok=True)
    export = base / "export.xml"
    started = time.perf_counter()
    write_export(export, args.posts)
    print(f"generated {args.posts} posts: {export.stat().st_size / 1e6:.1f} MB "
          f"in {time.perf_counter() - started:.1f} s; peak RSS {peak_rss_mb():.0f} MB")  # fmt: skip
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'hlhr.sqlite3'}",
        "SEARCH_INDEX_DIR": str(base / "search-index"), "UPLOAD_DIR": str(base / "uploads"),
    })  # fmt: skip
    try:
        with app.app_context():
            upgrade(directory=str(MIGRATIONS_DIR))
            run(export, args.posts)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


def run(export, posts):
    # No index yet: the commit's best-effort sync finds none, so the import is timed
    # alone; the index is then built from the database and timed on its own.
    started = time.perf_counter()
    report = import_wxr(export)
    seconds = time.perf_counter() - started
    print(f"import: {posts / seconds:.0f} posts/s ({seconds:.1f} s for {posts} posts, "
          f"{report.total('comment')} comments); peak RSS {peak_rss_mb():.0f} MB")  # fmt: skip
    started = time.perf_counter()
    report = import_wxr(export)
    seconds = time.perf_counter() - started
    print(f"re-import (unchanged): {posts / seconds:.0f} posts/s ({seconds:.1f} s); "
          f"peak RSS {peak_rss_mb():.0f} MB")  # fmt: skip
    started = time.perf_counter()
    search.rebuild()
    print(f"search index rebuild: {time.perf_counter() - started:.1f} s; "
          f"peak RSS {peak_rss_mb():.0f} MB")  # fmt: skip
    db.session.remove()
    db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
