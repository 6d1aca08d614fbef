"""Attachments: files come from a local copy of wp-content/uploads (``--uploads DIR``),
since nothing is downloaded; each goes through ``store_image`` like any upload."""

import re
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from flask import current_app

from .. import diskfull
from ..extensions import db
from ..media import MediaError, store_image
from ..models import Media
from .markup import plain_excerpt

UPLOADS_MARKER = "/wp-content/uploads/"
# The reader route for uploads (hlhr.public.views.media); the CLI has no request to route.
MEDIA_PREFIX = "/media/"
_OWN_MEDIA_PATH = re.compile(r"/media/[A-Za-z0-9._%-]+")


class Attachments:
    """Attachment items -> Media rows; remembers our URL for each old upload path."""

    def __init__(self, uploads: Path | None, dry_run: bool, report):
        self.uploads, self.dry_run, self.report = uploads, dry_run, report
        self.links = None  # set once the source site is known
        self.ids: dict[int, int] = {}  # WordPress attachment id -> Media id
        self._by_path: dict[str, str] = {}
        self._written: list[str] = []

    def url_for_path(self, path: str) -> str | None:
        """Our URL for an old upload path such as /wp-content/uploads/2023/04/a.jpg."""
        return self._by_path.get(unquote(path))

    def relink(self, text: str) -> str:
        """Our own ``/media/NAME`` paths in a body source, pointed at the files stored now."""
        return _OWN_MEDIA_PATH.sub(lambda m: self.url_for_path(m.group(0)) or m.group(0), text)

    def add(self, item) -> None:
        known = self.links.get("attachment", item.wp_id)
        media = db.session.get(Media, known[0]) if known else None
        if media is not None:
            self.report.count("attachment", "unchanged")
            self._remember(item, media)
            return
        what = f"attachment {item.wp_id} “{item.title.strip()}”"
        file, reason = self._find_file(item)
        if file is None:
            self.report.skip(what, reason)
        elif self.dry_run:
            self.report.count("attachment", "created")
        else:
            self._store(item, file, what)

    def _store(self, item, file: Path, what: str) -> None:
        try:
            media = store_image(
                file.read_bytes(),
                original_name=file.name,
                alt_text=item.meta.get("_wp_attachment_image_alt", "")[:300],
                caption=plain_excerpt(item.excerpt)[:500],
            )
        except (MediaError, OSError) as exc:
            if diskfull.is_out_of_space(exc):
                raise  # a full disk is not this file's fault: the whole import stops
            self.report.skip(what, str(exc))
            return
        self._written += [media.stored_name, *(r["name"] for r in media.renditions)]
        db.session.add(media)
        db.session.flush()
        self.links.put("attachment", item.wp_id, media.id)
        self.report.count("attachment", "created")
        self._remember(item, media)

    def _relative_path(self, item) -> str:
        relative = item.meta.get("_wp_attached_file", "").strip()
        if not relative:
            path = unquote(urlsplit(item.attachment_url).path)
            relative = path.partition(UPLOADS_MARKER)[2]
        return relative

    def _find_file(self, item) -> tuple[Path | None, str]:
        relative = self._relative_path(item)
        if not relative:
            return None, "no file name in the export"
        if self.uploads is None:
            return None, f"{relative}: give --uploads DIR to bring the file in"
        root = self.uploads.resolve()
        file = (root / relative).resolve()
        if not file.is_relative_to(root):
            return None, f"{relative}: outside the uploads folder"
        if not file.is_file():
            return None, f"{relative}: not found in {self.uploads}"
        return file, ""

    def _remember(self, item, media: Media) -> None:
        ours = MEDIA_PREFIX + quote(media.stored_name)
        self.ids[item.wp_id] = media.id
        self._by_path[unquote(urlsplit(item.attachment_url).path)] = ours
        relative = self._relative_path(item)
        if relative:
            self._by_path[UPLOADS_MARKER + relative] = ours

    def remove_written_files(self) -> None:
        """After a failed import: no file of a rolled-back Media row stays on disk."""
        folder = Path(current_app.config["UPLOAD_DIR"])
        for name in self._written:
            (folder / name).unlink(missing_ok=True)
        self._written.clear()
