"""The memory of earlier imports: WordPress id -> local row id, with a fingerprint."""

import hashlib
import json
from dataclasses import asdict, is_dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import WordPressLink
from ..syndication.urls import xml_text


def fingerprint(value, leave_out=()) -> str:
    """A stable hash of an item as read from the file (what decides 'unchanged')."""
    data = asdict(value) if is_dataclass(value) else dict(value)
    for key in leave_out:
        data.pop(key, None)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def body_sha256(content: str) -> str:
    """Hash of a body as XML delivers it (line ends normalised), to spot later edits."""
    text = xml_text(content).replace("\r\n", "\n").replace("\r", "\n")
    return hashlib.sha256(text.encode()).hexdigest()


class LinkStore:
    """All links of one source site, loaded once (ids only: small even for 100k rows)."""

    def __init__(self, site: str):
        self.site = site
        rows = db.session.execute(
            select(WordPressLink.kind, WordPressLink.wp_id, WordPressLink.id,
                   WordPressLink.local_id, WordPressLink.fingerprint)
            .where(WordPressLink.site == site)
        )  # fmt: skip
        self._rows = {(kind, wp_id): (row_id, local, fp) for kind, wp_id, row_id, local, fp in rows}

    def get(self, kind: str, wp_id) -> tuple[int, str] | None:
        """(local id, fingerprint) of an item imported before, or None."""
        found = self._rows.get((kind, str(wp_id)))
        return found[1:] if found else None

    def put(self, kind: str, wp_id, local_id: int, print_: str = "") -> None:
        """Remember (or update) a link; written with the transaction's next flush."""
        key = (kind, str(wp_id))
        found = self._rows.get(key)
        if found is None:
            row = WordPressLink(
                site=self.site, kind=kind, wp_id=key[1], local_id=local_id, fingerprint=print_
            )
            db.session.add(row)
            self._rows[key] = (row, local_id, print_)
        elif found[1:] != (local_id, print_):
            self._update(found[0], local_id, print_)
            self._rows[key] = (found[0], local_id, print_)

    @staticmethod
    def _update(row, local_id, print_):
        if isinstance(row, WordPressLink):  # added in this run, maybe not flushed yet
            row.local_id, row.fingerprint = local_id, print_
            return
        db.session.execute(
            db.update(WordPressLink)
            .where(WordPressLink.id == row)
            .values(local_id=local_id, fingerprint=print_)
        )
