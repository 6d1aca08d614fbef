"""The reader's search request, read from URL arguments without trusting any of them."""

import re
from dataclasses import dataclass, field, replace
from datetime import date

SORTS = ("relevance", "newest")
MAX_FILTER_LENGTH = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PAGE = re.compile(r"[0-9]{1,5}")


@dataclass(frozen=True)
class SearchFilters:
    """Narrowing a search: section and tag slugs, a year, a date range, and the order."""

    section: str = ""
    tag: str = ""
    year: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"

    def narrows(self) -> bool:
        return any((self.section, self.tag, self.year, self.date_from, self.date_to))

    def args(self) -> dict:
        """URL arguments that reproduce these filters (empty ones left out)."""
        values = {
            "section": self.section,
            "tag": self.tag,
            "year": self.year,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "sort": "" if self.sort == "relevance" else self.sort,
        }
        return {k: v for k, v in values.items() if v}

    def without(self, name: str) -> "SearchFilters":
        return replace(self, **{name: None if name.startswith("date_") else ""})


@dataclass
class SearchRequest:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    page: int = 1
    problems: list[str] = field(default_factory=list)
    too_long: bool = False


def clean_text(value) -> str:
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def parse_request(args, max_length: int) -> SearchRequest:
    """Read ``q``, filters and ``page``; what cannot be used is dropped with a message."""
    problems: list[str] = []
    q = clean_text(args.get("q"))
    too_long = len(q) > max_length
    if too_long:
        problems.append(
            f"Your search is {len(q)} characters long; please use at most {max_length}."
        )
    filters = SearchFilters(
        section=_slug(args.get("section"), problems),
        tag=_slug(args.get("tag"), problems),
        year=_year(args.get("year"), problems),
        date_from=_date(args.get("from"), "From", problems),
        date_to=_date(args.get("to"), "To", problems),
        sort=args.get("sort") if args.get("sort") in SORTS else "relevance",
    )
    return SearchRequest(q, filters, _page(args.get("page")), problems, too_long)


def _slug(value, problems) -> str:
    text = clean_text(value)
    if len(text) > MAX_FILTER_LENGTH:
        problems.append("A filter value was too long and has been ignored.")
        return ""
    return text


def _year(value, problems) -> str:
    text = clean_text(value)
    if text and not _YEAR.fullmatch(text):
        problems.append("The year must have four digits; it has been ignored.")
        return ""
    return text


def _date(value, label, problems) -> date | None:
    text = clean_text(value)
    if not text:
        return None
    try:
        if _DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    problems.append(f"“{label}” dates look like 2024-05-31; that one has been ignored.")
    return None


def _page(value) -> int:
    text = clean_text(value)
    return max(1, int(text)) if _PAGE.fullmatch(text) else 1
