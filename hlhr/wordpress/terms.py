"""Authors (inactive staff accounts without a password), sections and tags from WXR."""

from urllib.parse import unquote

from sqlalchemy import select

from ..cli import new_user
from ..extensions import db
from ..models import Category, Role, Tag, User
from ..publishing import make_slug, unique_slug
from .links import LinkStore, fingerprint

FALLBACK_LOGIN = "wordpress"


def wp_slug(value: str) -> str:
    """WordPress stores Unicode slugs percent-encoded ("gen%c3%a8ve" -> "genève")."""
    return make_slug(unquote(value or ""))


class Terms:
    """Local ids of the authors, sections and tags met so far, creating what is missing."""

    def __init__(self, links: LinkStore, report):
        self.links, self.report = links, report
        self.authors: dict[str, int] = {}
        self.categories: dict[str, int] = {}
        self.tags: dict[str, Tag] = {}
        self._parents: dict[int, str] = {}

    # Authors ---------------------------------------------------------------------------

    def author(self, data: dict) -> int:
        login = (data.get("wp:author_login") or "").strip() or FALLBACK_LOGIN
        if login in self.authors:
            return self.authors[login]
        known = self.links.get("author", login)
        user = db.session.get(User, known[0]) if known else None
        if user is None:
            user = self._find_or_create_user(login, data)
        self.links.put("author", login, user.id)
        self.authors[login] = user.id
        return user.id

    def author_id(self, login: str) -> int:
        return self.authors.get(login) or self.author({"wp:author_login": login})

    def _find_or_create_user(self, login, data) -> User:
        email = (data.get("wp:author_email") or "").strip().lower()
        email = email or f"{make_slug(login) or 'author'}@wordpress.invalid"
        user = db.session.scalar(select(User).where(User.email == email[:254]))
        if user is not None:
            self.report.count("author", "matched")
            return user
        name = (data.get("wp:author_display_name") or "").strip() or login
        user = new_user(email[:254], name[:120], Role.AUTHOR)
        user.active = False  # a person to credit, not an account anyone can sign in to
        user.password_hash = None
        db.session.flush()
        self.report.count("author", "created")
        return user

    # Sections --------------------------------------------------------------------------

    def category(self, data: dict) -> int | None:
        raw = data.get("wp:category_nicename") or ""
        name = (data.get("wp:cat_name") or "").strip() or unquote(raw)
        category_id = self.category_id(raw, name, data.get("wp:category_description") or "")
        parent = data.get("wp:category_parent") or ""
        if category_id and parent:
            self._parents[category_id] = parent
        return category_id

    def category_id(self, raw_slug: str, name: str, description: str = "") -> int | None:
        slug = wp_slug(raw_slug) or make_slug(name)
        if not slug:
            self.report.skip(f"section “{name}”", "no usable slug or name")
            return None
        if slug in self.categories:
            return self.categories[slug]
        print_ = fingerprint({"name": name, "description": description})
        known = self.links.get("category", slug)
        category = db.session.get(Category, known[0]) if known else None
        category = category or db.session.scalar(select(Category).where(Category.slug == slug))
        self._store_category(category, slug, name, description, known, print_)
        return self.categories[slug]

    def _store_category(self, category, slug, name, description, known, print_):
        if category is None:
            category = Category(name=name[:120], slug=unique_slug(Category, slug))
            category.description = description
            db.session.add(category)
            db.session.flush()
            self.report.count("section", "created")
        elif known is not None and known[1] != print_:
            category.name, category.description = name[:120], description
            self.report.count("section", "updated")
        else:
            self.report.count("section", "unchanged")
        self.links.put("category", slug, category.id, print_)
        self.categories[slug] = category.id

    def link_parents(self) -> None:
        """Sections point at their parents once every section is known (any order)."""
        for category_id, parent_raw in self._parents.items():
            parent_id = self.categories.get(wp_slug(parent_raw))
            category = db.session.get(Category, category_id)
            if parent_id is None:
                self.report.note(f"section “{category.name}”: parent {parent_raw!r} not found")
            elif parent_id != category.id and category.parent_id != parent_id:
                category.parent_id = parent_id

    # Tags ------------------------------------------------------------------------------

    def tag(self, raw_slug: str, name: str) -> Tag | None:
        slug = wp_slug(raw_slug) or make_slug(name)
        if not slug:
            return None
        if slug not in self.tags:
            self.tags[slug] = self._find_or_create_tag(slug, name.strip() or slug)
        return self.tags[slug]

    def tag_record(self, data: dict) -> None:
        self.tag(data.get("wp:tag_slug") or "", data.get("wp:tag_name") or "")

    def _find_or_create_tag(self, slug, name) -> Tag:
        known = self.links.get("tag", slug)
        tag = db.session.get(Tag, known[0]) if known else None
        tag = tag or db.session.scalar(select(Tag).where(Tag.slug == slug))
        if tag is None:
            tag = Tag(name=name[:120], slug=unique_slug(Tag, slug))
            db.session.add(tag)
            db.session.flush()
            self.report.count("tag", "created")
        else:
            self.report.count("tag", "unchanged")
        self.links.put("tag", slug, tag.id)
        return tag
