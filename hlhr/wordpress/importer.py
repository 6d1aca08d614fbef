"""``flask import-wxr``: a WordPress export into HLHR in one transaction.

Two streaming passes over the file: the first checks the whole file and brings in
authors, sections, tags and attachments; the second posts, pages and comments. Nothing
is committed unless both passes finish, so a bad file leaves the site as it was.
"""

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from ..extensions import db
from .links import LinkStore
from .media import Attachments
from .posts import PostImporter
from .reader import WxrReader
from .report import ImportReport
from .terms import Terms


class _Counting:
    """A binary file that reports how many bytes were read (for the progress bar)."""

    def __init__(self, handle, progress):
        self.handle, self.progress = handle, progress

    def read(self, size=-1):
        data = self.handle.read(size)
        self.progress(len(data))
        return data


Progress = Callable[[str, int], None]


def import_wxr(path, uploads=None, dry_run=False, progress: Progress | None = None):
    """Import ``path``; return an ImportReport.

    :raise WxrError: the file is malformed, hostile or not WXR (nothing is written).
    """
    progress = progress or (lambda _label, _n: None)
    report = ImportReport(dry_run=dry_run)
    run = _Run(Path(path), uploads and Path(uploads), dry_run, report, progress)
    try:
        run.first_pass()
        run.second_pass()
    except BaseException:
        db.session.rollback()
        run.attachments.remove_written_files()
        raise
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


class _Run:
    def __init__(self, path, uploads, dry_run, report, progress):
        self.path, self.report, self.progress = path, report, progress
        self.dry_run, self.uploads = dry_run, uploads
        self.attachments = Attachments(uploads, dry_run, report)
        self.terms = self.posts = None

    def _records(self, label):
        handle = open(self.path, "rb")  # noqa: SIM115 - closed in finally below
        try:
            reader = WxrReader(_Counting(handle, lambda n: self.progress(label, n)))
            for kind, record in reader:
                yield reader.channel, kind, record
        finally:
            handle.close()

    def first_pass(self):
        """Check the whole file; authors, sections, tags, attachments."""
        handlers = {"author": "author", "category": "category", "tag": "tag_record"}
        for channel, kind, record in self._records("Checking and reading terms"):
            if self.terms is None:
                self._start(channel)
            if kind in handlers:
                getattr(self.terms, handlers[kind])(record)
            elif record.post_type == "attachment":
                self.attachments.add(record)
        if self.terms is None:  # a valid export with no content at all
            self.report.note("The export holds no authors, terms or items.")
            return
        self.terms.link_parents()

    def second_pass(self):
        """Posts, pages and their comments, redirects and view counts."""
        if self.terms is None:
            return
        for _channel, kind, record in self._records("Importing posts and pages"):
            if kind == "item" and record.post_type != "attachment":
                self.posts.add(record)
        self.posts.finish()

    def _start(self, channel):
        site = (channel.base_site_url or channel.link or "wordpress").rstrip("/").lower()
        links = LinkStore(site)
        self.attachments.links = links
        self.terms = Terms(links, self.report)
        old_sites = _origins(channel.base_site_url, channel.base_blog_url, channel.link)
        zone = current_app.config["SITE_TIMEZONE"]
        self.posts = PostImporter(links, self.terms, self.attachments, old_sites, zone, self.report)


def _origins(*urls) -> tuple[str, ...]:
    """scheme://host of the old site, in http and https (exports mix them)."""
    found = set()
    for url in urls:
        netloc = urlsplit(url or "").netloc.lower()
        if netloc:
            found |= {f"http://{netloc}", f"https://{netloc}"}
    return tuple(sorted(found))
