"""The search facade on a real on-disk index: matching, visibility, consistency, rebuild."""

import time
from datetime import timedelta

import pytest
from search_support import LockHolder, found_titles, index, live_generation, log_rows
from sqlalchemy import delete, update

from hlhr import search
from hlhr.extensions import db
from hlhr.models import Post, PostKind, PostStatus, SearchLog, Tag, utcnow
from hlhr.publishing import ensure_category, save_post

__all__ = ["index"]  # the fixture, imported for pytest


# -- matching ------------------------------------------------------------------------------


def test_stemming_finds_other_forms(index, make_post):
    make_post("Reports of detention", body="Guards detained the reporters for days.")
    assert found_titles("report") == ["Reports of detention"]
    assert found_titles("detaining") == ["Reports of detention"]


@pytest.mark.parametrize("typed", ["geneve", "GENÈVE", "Genève", "genève"])
def test_accent_folding(index, make_post, typed):
    make_post("Talks in Genève", body="Delegates met by the lake.")
    assert found_titles(typed) == ["Talks in Genève"]


@pytest.mark.parametrize(
    "word",
    ["التعذيب", "السجون", "زندان", "حقوق"],
)
def test_arabic_and_persian_words_match_exactly(index, make_post, word):
    make_post("تقرير عن التعذيب في السجون", body="گزارش درباره زندان و حقوق بشر.", tags=())
    make_post("An English report", body="Nothing in other scripts.")
    assert found_titles(word) == ["تقرير عن التعذيب في السجون"]


def test_arabic_diacritics_are_folded(index, make_post):
    make_post("حُقُوق الإنسان", body="نص", tags=())
    assert found_titles("حقوق") == ["حُقُوق الإنسان"]


def test_phrase_keeps_stop_words(index, make_post):
    make_post("On life", body="Everyone has the right to life and liberty.")
    make_post("On rights", body="The life of a right to appeal.")
    assert found_titles('"right to life"') == ["On life"]
    assert found_titles('"the right"') == ["On life"]


def test_who_is_not_a_stop_word(index, make_post):
    make_post("Statement by WHO", body="The World Health Organization spoke.")
    assert found_titles("WHO") == ["Statement by WHO"]


def test_exclusion_or_and_fields(index, make_post):
    make_post("Prison report", body="Torture in prisons.", tags=("torture",), section="NEWS")
    make_post("Prison visit", body="Visiting prisons.", tags=("visits",), section="RESEARCH")
    make_post("Water rights", body="Clean water.", tags=("water",), section="NEWS")
    assert found_titles("prisons -torture") == ["Prison visit"]
    assert sorted(found_titles("torture OR water")) == ["Prison report", "Water rights"]
    assert found_titles("tag:visits") == ["Prison visit"]
    assert sorted(found_titles("section:news")) == ["Prison report", "Water rights"]
    assert found_titles("well-being") == [], "a hyphen inside a word is not an exclusion"


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "(unclosed", "a OR", "NOT", "AND OR NOT", ":", "tag:", "title:(", ")))",
     "*e*", "e* s* t*", "[a TO z]", "body:[a TO z]", "^2", "id:1", "published:>0", "\x00",
     "-", "--", "+", "\\", "'", "a^", "*:*", "~", "foo~2", "x" * 200],
)  # fmt: skip
def test_malformed_and_runaway_queries_are_answered_fast(index, make_post, query):
    make_post("Everyone sees the sea")
    started = time.perf_counter()
    results = search.search(query)
    assert time.perf_counter() - started < 0.5
    assert results.total >= 0


def test_fifty_or_terms_finish_quickly(index, make_post):
    make_post("Everyone sees the sea")
    query = " OR ".join(f"word{n}" for n in range(49)) + " OR sea"
    started = time.perf_counter()
    assert found_titles(query) == ["Everyone sees the sea"]
    assert time.perf_counter() - started < 0.5


def test_title_is_boosted_over_body(index, make_post):
    make_post("Floods and farms", body="A short note about elections.")
    make_post("Elections", body="A short note about floods.")
    assert found_titles("elections")[0] == "Elections"


def test_highlights_are_marked_and_escaped(index, make_post):
    make_post("<script>alert(1)</script> torture", body="Torture & <b>abuse</b> in cells.")
    hit = search.search("torture").hits[0]
    assert "<mark>torture</mark>" in hit.title
    assert "&lt;script&gt;" in hit.title and "<script>" not in hit.title
    assert "<mark>Torture</mark> &amp;" in hit.snippet
    assert "<b>" not in hit.snippet


def test_snippet_comes_from_the_matching_passage(index, make_post):
    body = "Opening words. " * 200 + "The verdict on torture was read aloud. " + "Filler. " * 50
    make_post("Court day", body=body)
    snippet = search.search("verdict").hits[0].snippet
    assert "<mark>verdict</mark>" in snippet and len(snippet) < 600


# -- pages, facets, order, typos -----------------------------------------------------------


def test_pages_of_ten_with_total(index, make_post):
    for n in range(25):
        make_post(f"Detention report {n}", days_ago=n + 1)
    first = search.search("detention")
    assert first.total == 25 and first.pages == 3 and len(first.hits) == 10
    last = search.search("detention", page=3)
    assert len(last.hits) == 5
    shown = {h.post.id for p in (1, 2, 3) for h in search.search("detention", page=p).hits}
    assert len(shown) == 25


def test_newest_first(index, make_post):
    make_post("Old report on water", days_ago=30)
    make_post("New report on water water water", days_ago=1)
    make_post("Middle report on water", days_ago=10)
    newest = search.SearchFilters(sort="newest")
    assert found_titles("water", filters=newest) == [
        "New report on water water water",
        "Middle report on water",
        "Old report on water",
    ]


def test_facets_count_and_filter(index, make_post):
    make_post("Water one", tags=("water", "health"), section="NEWS", days_ago=1)
    make_post("Water two", tags=("water",), section="NEWS", days_ago=400)
    make_post("Water three", tags=("health",), section="RESEARCH", days_ago=800)
    results = search.search("water")
    counts = {name: {v.label: v.count for v in values} for name, values in results.facets.items()}
    assert counts["section"] == {"NEWS": 2, "RESEARCH": 1}
    assert counts["tag"] == {"water": 2, "health": 2}
    assert sum(counts["year"].values()) == 3
    assert found_titles("water", filters=search.SearchFilters(tag="health")) == [
        "Water one",
        "Water three",
    ]
    assert found_titles("water", filters=search.SearchFilters(section="research")) == [
        "Water three"
    ]
    year = str((utcnow() - timedelta(days=800)).year)
    assert "Water three" in found_titles("water", filters=search.SearchFilters(year=year))


def test_date_range(index, make_post):
    make_post("Water recent", days_ago=2)
    make_post("Water old", days_ago=60)
    today = utcnow().date()
    recent = search.SearchFilters(date_from=today - timedelta(days=10))
    assert found_titles("water", filters=recent) == ["Water recent"]
    older = search.SearchFilters(date_to=today - timedelta(days=30))
    assert found_titles("water", filters=older) == ["Water old"]


def test_nothing_found_shows_corrected_results(index, make_post):
    make_post("Torture in prisons", body="Independent monitors visited prisons.")
    results = search.search("tortrue prisnos")
    assert results.corrected_from == "tortrue prisnos"
    assert results.query == "torture prisons"
    assert [h.post.title for h in results.hits] == ["Torture in prisons"]


def test_few_results_offer_did_you_mean(index, make_post):
    make_post("Torture in prisons", tags=())
    make_post("Detention centres", tags=())
    results = search.search("detention OR tortrue")
    assert results.total == 1 and results.corrected_from is None
    assert results.suggestion == "detention OR torture"


@pytest.mark.parametrize("typo", ["orture", "rorture", "otrture", "ttorture", "torturre"])
def test_any_single_edit_is_corrected_even_the_first_letter(index, make_post, typo):
    make_post("Torture in prisons", body="Monitors visited.")
    results = search.search(typo)
    assert (results.corrected_from, results.query) == (typo, "torture")


def test_a_long_query_corrects_its_first_unknown_words_only(index, make_post):
    words = ["prisons", "monitors", "visited", "detention", "witness", "appeal", "courts"]
    make_post("Many words", body=" ".join(words))
    typos = [w[1:] for w in words]  # each word without its first letter
    results = search.search(" OR ".join([*typos, "zzqqxx"]))
    assert results.corrected_from is not None
    assert results.query.split(" OR ") == words[:6] + typos[6:] + ["zzqqxx"]


def test_known_words_are_not_corrected(index, make_post):
    make_post("Torture in prisons")
    assert search.search("torture").suggestion is None


def test_pages_are_searchable(index, make_post):
    make_post("WHO WE ARE", body="An independent newsroom.", kind=PostKind.PAGE, section=None)
    hit = search.search("newsroom").hits[0]
    assert hit.post.kind == PostKind.PAGE


# -- visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.PENDING, PostStatus.TRASH])
def test_unpublished_posts_never_appear(index, make_post, status):
    post = make_post("Secret draft about torture", status=status)
    assert found_titles("torture") == []
    assert search.suggest("secret") == []
    assert post.id not in {p.id for p in search.related(make_post("Torture elsewhere"))}


def test_expired_posts_never_appear(index, make_post):
    make_post("Expired torture report", expires_at=utcnow() - timedelta(hours=1))
    assert found_titles("torture") == []
    assert search.suggest("expired") == []


def test_scheduled_post_appears_at_its_publish_time_without_a_job(index, make_post):
    post = make_post("Scheduled torture report", days_ago=-1, status=PostStatus.SCHEDULED)
    assert post.status == PostStatus.SCHEDULED
    assert found_titles("torture") == []
    assert search.suggest("sched") == []
    later = utcnow() + timedelta(days=1, minutes=1)
    assert found_titles("torture", now=later) == ["Scheduled torture report"]
    assert [s.post.id for s in search.suggest("sched", now=later)] == [post.id]


def test_did_you_mean_never_reveals_a_word_only_hidden_posts_hold(index, make_post):
    make_post("Embargoed Zanzibarian findings", days_ago=-1, status=PostStatus.SCHEDULED)
    make_post("Public report", body="Monitors visited prisons.")
    results = search.search("zanzibarain OR prisons")
    assert results.total == 1 and results.suggestion is None
    assert search.search("zanzibarain").corrected_from is None
    later = utcnow() + timedelta(days=1, minutes=1)
    assert search.search("zanzibarain OR prisons", now=later).suggestion == "zanzibarian OR prisons"


def test_expiry_is_applied_at_query_time(index, make_post):
    make_post("Expiring torture report", expires_at=utcnow() + timedelta(hours=1))
    assert found_titles("torture") == ["Expiring torture report"]
    assert found_titles("torture", now=utcnow() + timedelta(hours=2)) == []


# -- changes reach the index -------------------------------------------------------------


def test_unpublishing_and_deleting_reach_the_index(index, make_post, staff):
    post = make_post("Torture report")
    other = make_post("Another torture report")
    post.status = PostStatus.DRAFT
    save_post(post, staff)
    assert found_titles("torture") == ["Another torture report"]
    db.session.delete(other)
    db.session.commit()
    assert found_titles("torture") == []


def test_a_searcher_kept_open_sees_deletions_edits_and_merges(index, make_post, staff):
    posts = [make_post(f"Torture report {n}", tags=("torture",)) for n in range(4)]
    assert search.search("torture").total == 4  # this thread's searcher is now open
    posts[0].status = PostStatus.DRAFT
    save_post(posts[0], staff)
    assert search.search("torture").total == 3, "a deletion alone changes the index"
    posts[1].title = "Torture report revised"
    save_post(posts[1], staff)
    results = search.search("torture")
    assert results.total == 3 and results.facets["tag"][0].count == 3
    assert len({hit.post.id for hit in results.hits}) == len(results.hits) == 3
    for n in range(12):  # small segments merge on the way
        make_post(f"Later torture report {n}")
    assert search.search("torture").total == 15
    assert search.stats()["segments"] < 12


def test_slug_title_and_category_changes_reach_the_index(index, make_post, staff):
    post = make_post("Torture report", section="NEWS")
    post.title, post.slug = "Updated torture findings", "updated-torture-findings"
    post.category = ensure_category("RESEARCH")
    save_post(post, staff)
    results = search.search("findings")
    assert [h.post.slug for h in results.hits] == ["updated-torture-findings"]
    assert [v.label for v in results.facets["section"]] == ["RESEARCH"]
    assert found_titles("section:news") == []


def test_renaming_a_tag_reaches_its_posts(index, make_post):
    make_post("Torture report", tags=("abuse",))
    tag = db.session.scalar(db.select(Tag).where(Tag.slug == "abuse"))
    tag.name, tag.slug = "ill-treatment", "ill-treatment"
    db.session.commit()
    assert found_titles("tag:ill-treatment") == ["Torture report"]
    assert found_titles("tag:abuse") == []


def test_renaming_an_author_reaches_their_posts(index, make_post, staff):
    make_post("Torture report")
    staff.display_name = "Samira Qadir"
    db.session.commit()
    assert found_titles("author:samira") == ["Torture report"]


def test_rollback_never_indexes(index, make_post, staff):
    before = log_rows()
    post = Post(title="Rolled back torture", slug="rolled-back", body_source="x", author=staff,
                status=PostStatus.PUBLISHED, published_at=utcnow())  # fmt: skip
    db.session.add(post)
    db.session.flush()
    db.session.rollback()
    assert log_rows() == before
    assert search.sync() == 0
    assert found_titles("torture") == []


def test_row_flushed_before_commit_is_indexed(index, staff):
    post = Post(title="Draft title", slug="flushed", body_source="x", author=staff,
                status=PostStatus.PUBLISHED, published_at=utcnow())  # fmt: skip
    db.session.add(post)
    db.session.flush()  # the log row is written now, in this transaction
    post.title = "Flushed torture report"
    db.session.commit()
    assert found_titles("torture") == ["Flushed torture report"]


def test_bulk_delete_and_update_are_removed(index, make_post):
    make_post("Torture report one")
    make_post("Torture report two")
    keep = make_post("Torture report three")
    db.session.execute(delete(Post).where(Post.title == "Torture report one"))
    db.session.execute(
        update(Post).where(Post.title == "Torture report two").values(status=PostStatus.DRAFT)
    )
    db.session.commit()
    assert found_titles("torture") == [keep.title]


def test_a_held_write_lock_delays_but_never_loses_an_update(index, app, make_post):
    app.config["SEARCH_LOCK_TIMEOUT"] = 0.05
    holder = LockHolder(app.config["SEARCH_INDEX_DIR"])
    try:
        make_post("Torture report while locked")  # the commit succeeds regardless
        assert found_titles("torture") == [], "not applied while another process writes"
        assert log_rows() >= 1
        with pytest.raises(search.IndexBusy):
            search.sync()
    finally:
        holder.release()
    assert found_titles("torture") == ["Torture report while locked"]
    assert search.check().ok


def test_a_failed_write_keeps_the_log_rows(index, make_post, monkeypatch):
    from hlhr.search import indexing

    def broken(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(indexing, "_write_posts", broken)
    make_post("Torture report on a full disk")  # commit succeeds; the hook logs the error
    with pytest.raises(search.SearchUnavailable):
        search.sync()
    monkeypatch.undo()
    assert search.sync() == 1
    assert found_titles("torture") == ["Torture report on a full disk"]


def test_late_commit_with_a_lower_id_is_still_applied(index, make_post):
    """PostgreSQL may commit log id 50 after id 100 was applied: the window re-scans it."""
    early = make_post("Torture report early")
    late = make_post("Torture report late")
    db.session.add(SearchLog(id=100, post_id=late.id))
    db.session.commit()
    search.sync()
    # A transaction that took id 50 commits only now, changing ``early`` behind id 100.
    db.session.execute(
        db.text("UPDATE posts SET title = 'Torture findings' WHERE id = :id"), {"id": early.id}
    )
    db.session.add(SearchLog(id=50, post_id=early.id))
    db.session.commit()
    assert search.sync() == 1
    assert sorted(found_titles("torture")) == ["Torture findings", "Torture report late"]


def test_applying_the_log_twice_is_harmless(index, app, make_post):
    make_post("Torture report")
    path = live_generation(app)
    index.store.write_state(path, {"floor": 0, "applied": []})
    assert search.sync() >= 1
    assert found_titles("torture") == ["Torture report"]
    assert search.check().ok


# -- rebuild, corruption, check --------------------------------------------------------------


def test_rebuild_switches_atomically_and_the_old_index_serves_meanwhile(index, app, make_post):
    make_post("Torture report")
    old = live_generation(app)
    seen_during = []

    def progress(_n):
        seen_during.append((live_generation(app), found_titles("torture")))

    report = search.rebuild(progress=progress)
    assert report.documents == 1
    assert seen_during == [(old, ["Torture report"])]
    assert live_generation(app) == report.path != old
    assert found_titles("torture") == ["Torture report"]


def test_a_rebuild_counts_the_log_rows_it_saw_as_applied(index, app, make_post):
    """After a bulk import and a rebuild, the first search does not re-index the import."""
    for n in range(3):
        make_post(f"Torture report {n}")
    search.rebuild()
    assert search.sync() == 0
    make_post("Sanitation report", tags=("water",))  # applied after its commit, as always
    assert found_titles("sanitation") == ["Sanitation report"]
    assert search.check().ok


@pytest.mark.parametrize("damage", ["toc", "segments", "cursor", "pointer", "folder"])
def test_corrupt_index_degrades_and_rebuild_restores(index, app, make_post, damage):
    make_post("Torture report")
    path = live_generation(app)
    if damage == "toc":
        for toc in path.glob("*.toc"):
            toc.write_bytes(b"\x00garbage" * 10)
    elif damage == "segments":
        for seg in path.glob("*.seg"):
            seg.write_bytes(b"\x00garbage" * 10)
    elif damage == "cursor":
        (path / "search-state.json").write_text("{not json")
    elif damage == "pointer":
        (path.parent / "CURRENT").write_text("gen-nowhere\n")
    else:
        import shutil

        shutil.rmtree(path)
    index.close()
    with pytest.raises(search.SearchUnavailable):
        search.search("torture")
    make_post("Another torture report")  # saving still works while the index is broken
    assert search.related(make_post("Third torture report"), limit=2)  # falls back to SQL
    search.rebuild()
    assert len(found_titles("torture")) == 3


def test_missing_index_is_unavailable_but_saving_works(app, make_post):
    post = make_post("Torture report")  # no index was ever built
    with pytest.raises(search.SearchUnavailable):
        search.search("torture")
    with pytest.raises(search.SearchUnavailable):
        search.suggest("tor")
    assert post.id and log_rows() == 1
    search.rebuild()
    assert found_titles("torture") == ["Torture report"]


def test_check_reports_rows_changed_behind_its_back(index, make_post):
    post = make_post("Torture report")
    assert search.check().ok
    # Raw SQL bypasses the ORM hooks: exactly what ``check`` exists to catch.
    db.session.execute(db.text("UPDATE posts SET title = 'New' WHERE id = :id"), {"id": post.id})
    db.session.commit()
    assert search.check().stale == [post.id]
    db.session.execute(db.text("UPDATE posts SET status = 'draft'"))
    db.session.commit()
    report = search.check()
    assert not report.ok and report.extra == [post.id] and report.missing == []


# -- suggestions and related posts -----------------------------------------------------------


def test_suggest_matches_title_prefixes_and_marks_them(index, make_post):
    make_post("Torture in Genève prisons")
    make_post("Tortoise conservation", body="Unrelated.")
    make_post("A body mention only", body="torture torture torture")
    found = search.suggest("tort")
    assert {s.post.title for s in found} == {"Torture in Genève prisons", "Tortoise conservation"}
    parts = search.suggest("gen pri")[0].parts
    assert parts == (("Torture in ", False), ("Gen", True), ("ève ", False), ("pri", True),
                     ("sons", False))  # fmt: skip


def test_suggest_returns_at_most_five_and_nothing_for_no_match(index, make_post):
    for n in range(8):
        make_post(f"Detention report {n}")
    assert len(search.suggest("deten")) == 5
    assert search.suggest("zzz") == []
    assert search.suggest("d") == [], "two characters at least"


def test_related_uses_the_index_and_falls_back_to_the_section(index, make_post):
    base = make_post("Prison torture findings", body="Torture in prisons and jails. " * 5,
                     section="NEWS")  # fmt: skip
    similar = make_post("Jails and torture", body="Prisons, jails and torture. " * 5,
                        section="RESEARCH")  # fmt: skip
    make_post("Unrelated water story", body="Rivers and rain. " * 5, section="RESEARCH")
    same_section = make_post("Budget notes", body="Numbers. " * 5, section="NEWS")
    related = search.related(base, limit=2)
    assert related[0].id == similar.id
    assert same_section.id in {p.id for p in search.related(base, limit=3)}
    assert base.id not in {p.id for p in related}


def test_related_keeps_the_same_script(index, make_post):
    base = make_post("Torture in prisons", body="torture prisons " * 10, section="NEWS")
    make_post("التعذيب في السجون", body="التعذيب في السجون torture prisons " * 3, section=None)
    assert search.related(base, limit=3) == []


def test_related_is_cached(index, app, make_post):
    base = make_post("Prison torture findings", body="Torture in prisons.")
    make_post("Jails and torture", body="Prisons and torture.")
    first = search.related(base, limit=2)
    assert first
    index.store.close()
    (live_generation(app).parent / "CURRENT").unlink()
    assert search.related(base, limit=2) == first, "served from the cache, not the index"
