"""The search pages over HTTP, the suggest JSON, the CLI, and hostile input."""

import io
import json
import re
from datetime import timedelta

import pytest
from conftest import CORPORA
from PIL import Image
from search_support import index, live_generation

from hlhr import media, search
from hlhr.extensions import db
from hlhr.models import PostStatus, utcnow

__all__ = ["index"]

HAND_WRITTEN_NAUGHTY = [
    "", " ", "\x00", "%00", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --", "*e*", "e* s* t*", "title:(", '"', "((((", "\\", "\u202etxt", "\u200b",
    "🏳️‍🌈", "ﷺ", "Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ ̖t̝͕̳̣̻̪͞h̼͓̲̦̳̘̲e͇̣̰̦̬͎ ̢̼̻̱̘h͚͎͙̜̣̲ͅi̦̲̣̰̤v̻͍e̺̭̳̪̰-m̢iͅn̖̺̞̲̯̰d̵̼̟͙̩̼̘̳",
    "2024-13-45", "-1", "99999999999999999999", "NaN", "../../etc/passwd", "a" * 5000,
    "ا" * 300, "tag:" + "x" * 300, "%ff%fe", "AND", "OR OR OR", "NOT NOT",
]  # fmt: skip
FILTERS = ("section", "tag", "year", "from", "to", "sort", "page")


def naughty_strings():
    path = CORPORA / "blns.json"
    if not path.exists():
        pytest.skip(f"SKIPPED LOUDLY: hostile-input corpus {path} is missing on this machine")
    return json.loads(path.read_text(encoding="utf-8"))


def assert_never_500(client, value):
    checks = [
        client.get("/search/", query_string={"q": value}),
        client.get("/search/", query_string={"q": "torture", **dict.fromkeys(FILTERS, value)}),
        client.get("/search/suggest", query_string={"q": value}),
    ]
    for response in checks:
        assert response.status_code < 500, (value, response.request.url)
        assert "<script>alert" not in response.text


@pytest.fixture
def corpus(index, make_post):
    for n in range(12):
        make_post(f"Torture report {n}", body=f"Findings on torture in prisons, part {n}.",
                  tags=("torture", "prisons") if n % 2 else ("torture",),
                  section="NEWS" if n < 8 else "RESEARCH", days_ago=n * 40 + 1)  # fmt: skip
    make_post("Water and sanitation", body="Clean water is a right.", tags=("water",))


# -- the results page ------------------------------------------------------------------------


def test_results_page_lists_hits_with_highlights_and_count(client, corpus):
    page = client.get("/search/?q=torture")
    assert page.status_code == 200
    assert "12 results" in page.text and "page 1 of 2" in page.text
    assert page.text.count('class="card search-hit"') == 10
    assert "<mark>Torture</mark> report" in page.text
    assert 'id="search-page-q"' in page.text and 'value="torture"' in page.text
    assert 'rel="next" href="/search/?q=torture&amp;page=2"' in page.text
    assert "Set-Cookie" not in page.headers


def test_second_page_and_past_the_end(client, corpus):
    second = client.get("/search/?q=torture&page=2")
    assert second.text.count('class="card search-hit"') == 2
    assert 'rel="prev"' in second.text
    assert client.get("/search/?q=torture&page=3").status_code == 404


def test_facet_links_filter_and_can_be_removed(client, corpus):
    page = client.get("/search/?q=torture")
    assert re.search(r'href="/search/\?q=torture&amp;section=research".*?>4<', page.text, re.S)
    assert 'href="/search/?q=torture&amp;tag=prisons"' in page.text
    filtered = client.get("/search/?q=torture&section=research")
    assert "4 results" in filtered.text
    assert 'aria-current="true"' in filtered.text
    assert 'href="/search/?q=torture"' in filtered.text, "a link removes the active filter"


def test_date_range_and_newest_order(client, corpus):
    today = utcnow().date()
    recent = client.get(f"/search/?q=torture&from={today - timedelta(days=100)}&sort=newest")
    assert "3 results" in recent.text
    titles = re.findall(r'card-title" dir="auto"><a href="[^"]+">(.*?)</a>', recent.text)
    assert titles[0].startswith("<mark>Torture</mark> report 0")


def test_bad_filters_are_explained_not_fatal(client, corpus):
    page = client.get("/search/?q=torture&from=yesterday&year=20x4&page=abc")
    assert page.status_code == 200
    assert "dates look like 2024-05-31" in page.text
    assert "four digits" in page.text
    assert "12 results" in page.text


def test_did_you_mean_and_corrected_results(client, corpus):
    corrected = client.get("/search/?q=tortrue")
    assert 'No results for “<del dir="auto">tortrue</del>”' in corrected.text
    assert "12 results" in corrected.text
    few = client.get("/search/?q=water+OR+sanitatoin")
    assert "Did you mean" in few.text and "water OR sanitation" in few.text


def test_a_search_past_its_time_limit_is_cut_short_and_says_so(app, client, corpus):
    app.config["SEARCH_TIME_LIMIT"] = 0  # every search that finds anything is past it at once
    page = client.get("/search/?q=torture")
    assert page.status_code == 200
    assert "This search was cut short" in page.text
    assert search.search("torture").cut_short
    app.config["SEARCH_TIME_LIMIT"] = 30
    page = client.get("/search/?q=torture")
    assert "This search was cut short" not in page.text and "12 results" in page.text


def test_too_long_query_gets_a_clear_message(client, index):
    page = client.get("/search/", query_string={"q": "word " * 100})
    assert page.status_code == 400
    assert "please use at most 200" in page.text
    assert 'id="search-page-q"' in page.text


def test_empty_query_shows_the_form(client, index):
    page = client.get("/search/")
    assert page.status_code == 200 and "Type a word" in page.text


def test_drafts_never_reach_any_search_output(client, index, make_post):
    make_post("Secret torture draft", status=PostStatus.DRAFT)
    make_post("Future torture story", days_ago=-2, status=PostStatus.SCHEDULED)
    assert "Secret" not in client.get("/search/?q=torture").text
    assert "Future" not in client.get("/search/?q=torture").text
    assert client.get("/search/suggest?q=secr").json["results"] == []
    assert client.get("/search/suggest?q=futu").json["results"] == []


# -- the suggest JSON --------------------------------------------------------------------


def test_suggest_json(client, corpus):
    data = client.get("/search/suggest?q=tort").json
    assert len(data["results"]) == 5
    first = data["results"][0]
    assert first["parts"][0] == {"text": "Tort", "mark": True}
    assert first["url"].startswith("/torture-report-")
    assert first["section"] == "NEWS" and first["date"] and first["datetime"]
    assert data["all_url"] == "/search/?q=tort"


def stored_picture(staff, size=(1200, 800)):
    """An image through the real upload path (re-encoded, with its renditions), saved."""
    data = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(data, "JPEG")
    picture = media.store_image(data.getvalue(), "protest.jpg", alt_text="A protest", user=staff)
    db.session.add(picture)
    db.session.commit()
    return picture


def test_suggest_thumbnail_is_the_smallest_rendition_and_is_served(client, index, make_post, staff):
    make_post("Prison visit photographed", featured=stored_picture(staff))
    response = client.get("/search/suggest?q=prison")
    assert response.status_code == 200
    thumbnail = response.json["results"][0]["thumbnail"]
    assert re.fullmatch(r"/media/[0-9a-f]{16}-320\.webp", thumbnail), thumbnail
    with client.get(thumbnail) as image:
        assert image.status_code == 200 and image.mimetype == "image/webp"
        with Image.open(io.BytesIO(image.data)) as served:
            assert served.size == (320, 213)
    results = client.get("/search/?q=prison")
    assert results.status_code == 200 and '<source type="image/webp"' in results.text


def test_suggest_thumbnail_of_a_small_image_is_its_own_size(client, index, make_post, staff):
    make_post("Small picture story", featured=stored_picture(staff, size=(64, 48)))
    thumbnail = client.get("/search/suggest?q=small").json["results"][0]["thumbnail"]
    assert re.fullmatch(r"/media/[0-9a-f]{16}-64\.webp", thumbnail), thumbnail
    with client.get(thumbnail) as image:
        assert image.status_code == 200 and image.mimetype == "image/webp"


def test_suggest_thumbnail_is_null_without_a_featured_image(client, index, make_post):
    make_post("Prison visit without pictures")
    result = client.get("/search/suggest?q=prison").json["results"][0]
    assert result["title"] == "Prison visit without pictures"
    assert result["thumbnail"] is None


def test_suggest_needs_two_characters_and_says_nothing_found(client, corpus):
    assert client.get("/search/suggest?q=t").json["results"] == []
    assert client.get("/search/suggest?q=zzzz").json["results"] == []


# -- an unavailable index ----------------------------------------------------------------


def test_missing_index_gives_503_with_the_form_and_other_pages_work(client, make_post):
    post = make_post("Torture report")
    page = client.get("/search/?q=torture")
    assert page.status_code == 503
    assert "Search is temporarily unavailable" in page.text
    assert 'id="search-page-q"' in page.text
    assert client.get("/search/suggest?q=tor").status_code == 503
    for path in ("/", f"/{post.slug}/", "/category/news/", "/tag/detention/"):
        assert client.get(path).status_code == 200, path


def test_corrupt_index_gives_503_and_rebuild_restores(client, runner, app, index, make_post):
    make_post("Torture report")
    for segment in live_generation(app).glob("*.seg"):
        segment.write_bytes(b"garbage")
    index.close()
    assert client.get("/search/?q=torture").status_code == 503
    assert client.get("/").status_code == 200
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "<mark>Torture</mark>" in client.get("/search/?q=torture").text


# -- the CLI -------------------------------------------------------------------------------


def test_cli_rebuild_sync_check_stats(runner, app, make_post):
    make_post("Torture report")
    make_post("Water report")
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 2 posts and pages" in result.output and "/s)" in result.output
    assert runner.invoke(args=["search", "sync"]).exit_code == 0
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0 and "matches" in check.output
    stats = runner.invoke(args=["search", "stats"])
    assert stats.exit_code == 0 and "documents: 2" in stats.output


def test_cli_check_lists_differences_with_exit_code_1(runner, index, make_post):
    post = make_post("Torture report")
    change = db.text("UPDATE posts SET title = 'Changed' WHERE id = :id")
    db.session.execute(change, {"id": post.id})
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"stale: post {post.id}" in result.output


def test_cli_without_an_index_says_to_rebuild(runner, app):
    for command in ("sync", "check", "stats"):
        result = runner.invoke(args=["search", command])
        assert result.exit_code == 1 and "flask search rebuild" in result.output


def test_cli_sync_reports_a_busy_index(runner, app, index, make_post, monkeypatch):
    def busy(*_args, **_kwargs):
        raise search.IndexBusy("the search index is being written by another process")

    monkeypatch.setattr("hlhr.search.indexing.apply_search_log", busy)
    result = runner.invoke(args=["search", "sync", "--wait", "0"])
    assert result.exit_code == 1 and "nothing is lost" in result.output


# -- hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize("value", HAND_WRITTEN_NAUGHTY)
def test_hand_written_naughty_strings_never_500(client, corpus, value):
    assert_never_500(client, value)


def test_invalid_utf8_in_the_url_never_500(client, corpus):
    for raw in ("q=%ED%A0%80", "q=%FF%FE&tag=%C0%AF", "q=torture&section=%ED%A0%80&page=%FF"):
        assert client.get(f"/search/?{raw}").status_code < 500
        assert client.get(f"/search/suggest?{raw}").status_code < 500


def test_suggest_json_never_carries_raw_markup(client, corpus):
    response = client.get("/search/suggest", query_string={"q": "<script>alert(1)</script>"})
    assert response.mimetype == "application/json"
    assert "<" not in response.text
    assert response.json["query"] == "<script>alert(1)</script>"


@pytest.mark.slow
def test_every_blns_string_as_query_and_filter_never_500(client, corpus):
    for value in naughty_strings():
        assert_never_500(client, value)
