"""Demo content: our own sample site, and generated articles for benchmarks."""

import io
import random
import secrets
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from . import demo_content as text
from .extensions import db
from .media import store_image
from .models import (
    Category,
    Comment,
    CommentStatus,
    MenuItem,
    Post,
    PostKind,
    PostStatus,
    Role,
    Setting,
    User,
    utcnow,
)
from .publishing import ensure_category, make_slug, save_post, tags_from_names

DEMO_MARK = "demo_loaded"
ADMIN_EMAIL = "admin@example.org"
SECTION_COLOURS = {
    "NEWS": (150, 24, 30),
    "RESEARCH": (22, 78, 120),
    "IMPACT": (26, 110, 70),
    "RESOURCES": (110, 70, 20),
    "Important": (80, 40, 110),
}
BATCH = 500


def load_demo_site():
    """Load the demo once; return (email, password) of the new admin, or None if loaded."""
    if db.session.get(Setting, DEMO_MARK) is not None:
        return None
    password = secrets.token_urlsafe(12)
    admin = _user(ADMIN_EMAIL, "Site Admin", Role.ADMIN)
    admin.set_password(password)
    sections = _sections()
    authors = {}
    for article in text.ARTICLES:
        name = article["author"]
        if name not in authors:
            authors[name] = _user(f"{make_slug(name)}@example.org", name, Role.AUTHOR)
    posts = [_article(a, sections, authors[a["author"]]) for a in text.ARTICLES]
    pages = [_page(p, admin) for p in text.PAGES]
    _menu(pages, sections)
    db.session.add_all(
        [Setting(key="about", value=text.ABOUT), Setting(key=DEMO_MARK, value=utcnow().isoformat())]
    )
    db.session.commit()
    return (ADMIN_EMAIL, password) if posts else None


def _user(email, name, role):
    from .cli import new_user

    existing = db.session.scalar(select(User).where(User.email == email))
    return existing or new_user(email, name, role)


def _sections():
    sections = {}
    for position, spec in enumerate(text.SECTIONS):
        sections[spec["name"]] = ensure_category(
            spec["name"],
            description=spec["description"],
            position=position,
            on_home=spec["name"] != "Important",
        )
    return sections


def _article(spec, sections, author):
    published = utcnow() - timedelta(days=spec["days_ago"], hours=spec["days_ago"] % 9)
    post = Post(
        kind=PostKind.POST,
        title=spec["title"],
        excerpt=spec["excerpt"],
        body_source=spec["body"],
        status=PostStatus.PUBLISHED,
        published_at=published,
        author=author,
        category=sections[spec["section"]],
        tags=tags_from_names(spec["tags"]),
        editors_pick=spec["pick"],
        sticky=spec["sticky"],
    )
    if spec["image"]:
        alt = f"Illustration for “{spec['title']}”"
        post.featured = store_image(
            demo_image(spec["title"], spec["section"]),
            original_name="illustration.jpg",
            alt_text=alt,
            caption=spec["caption"],
            credit="Illustration: HLHR",
        )
    save_post(post, author, note="Demo content", commit=False)
    _comments(post, spec.get("comments", ()), published)
    return post


def _comments(post, specs, published):
    made = []
    for n, spec in enumerate(specs):
        parent = made[spec["reply_to"]] if spec.get("reply_to") is not None else None
        comment = Comment(
            post=post,
            parent_id=parent.id if parent else None,
            author_name=spec["name"],
            author_email=spec["email"],
            body=spec["body"],
            status=CommentStatus.APPROVED,
            created_at=published + timedelta(hours=3 + n * 5),
        )
        db.session.add(comment)
        db.session.flush()
        made.append(comment)


def _page(spec, admin):
    page = Post(
        kind=PostKind.PAGE,
        title=spec["title"],
        slug=spec["slug"],
        body_source=spec["body"],
        status=PostStatus.PUBLISHED,
        published_at=utcnow() - timedelta(days=1000),
        author=admin,
        comments_open=False,
    )
    return save_post(page, admin, note="Demo content", commit=False)


def _menu(pages, sections):
    items = [MenuItem(label="HOME", kind="home")]
    items += [MenuItem(label=p.title, kind="page", post=p) for p in pages]
    items += [
        MenuItem(label=c.name, kind="category", category=c)
        for name, c in sections.items()
        if name != "Important"
    ]
    for position, item in enumerate(items):
        item.position = position
    db.session.add_all(items)


def demo_image(title, section, size=(1200, 675)) -> bytes:
    """A calm abstract illustration in the section's colour, drawn here (no downloads)."""
    rng = random.Random(title)
    base = SECTION_COLOURS.get(section, (60, 60, 60))
    image = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(image)
    for _ in range(9):
        shade = tuple(min(255, max(0, c + rng.randint(-60, 90))) for c in base)
        x, y = rng.randint(-200, size[0]), rng.randint(-200, size[1])
        r = rng.randint(80, 420)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    draw.rectangle((0, size[1] - 90, size[0], size[1]), fill=tuple(c // 2 for c in base))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def generate_posts(count, seed=2024, progress=lambda n: None):
    """Add ``count`` realistic generated articles (for benchmarks), committing in batches."""
    rng = random.Random(seed)
    vocab = text.VOCABULARY
    sections = list(db.session.scalars(select(Category)))
    authors = list(db.session.scalars(select(User).where(User.role != Role.ADMIN))) or list(
        db.session.scalars(select(User))
    )
    if not sections or not authors:
        raise RuntimeError("Load the demo site first: `flask demo`.")
    tag_pool = [tags_from_names([t])[0] for t in vocab["tags"]]
    start = utcnow() - timedelta(days=3650)
    for n in range(count):
        post = _generated_post(rng, vocab, sections, authors, tag_pool, start)
        save_post(post, post.author, note="Generated", commit=False)
        if (n + 1) % BATCH == 0:
            db.session.commit()
            progress(BATCH)
    db.session.commit()
    progress(count % BATCH)
    return count


def _generated_post(rng, vocab, sections, authors, tag_pool, start):
    subject = rng.choice(vocab["subjects"])
    title = (
        f"{subject[0].upper()}{subject[1:]} {_agree(subject, rng.choice(vocab['verbs']))} "
        f"{rng.choice(vocab['objects'])} in {rng.choice(vocab['places'])}"
    )
    paragraphs = [
        " ".join(rng.choice(vocab["sentences"]) for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(4, 9))
    ]
    return Post(
        kind=PostKind.POST,
        title=title,
        body_source="\n\n".join(paragraphs),
        status=PostStatus.PUBLISHED,
        published_at=start + timedelta(minutes=rng.randint(0, 3650 * 24 * 60)),
        author=rng.choice(authors),
        category=rng.choice(sections),
        tags=rng.sample(tag_pool, rng.randint(1, 4)),
    )


def _agree(subject, verb):
    """Third-person agreement: "a UN panel documents", "rights groups document"."""
    if subject.split()[0].lower() not in ("a", "an", "the"):
        return verb
    first, _, rest = verb.partition(" ")
    if first.endswith(("s", "sh", "ch", "x")):
        first += "es"
    elif first.endswith("y") and first[-2:-1] not in "aeiou":
        first = first[:-1] + "ies"
    else:
        first += "s"
    return f"{first} {rest}".strip()
