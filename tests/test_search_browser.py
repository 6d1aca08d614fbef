"""The live search box and the results page in Debian's Chromium."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from search_support import index

from hlhr import media
from hlhr.extensions import db

__all__ = ["index"]
pytestmark = pytest.mark.browser


def stored_picture(staff):
    """A 1200 × 800 image through the real upload path, with its renditions."""
    data = io.BytesIO()
    Image.new("RGB", (1200, 800), (20, 120, 200)).save(data, "JPEG")
    picture = media.store_image(data.getvalue(), "water.jpg", alt_text="A well", user=staff)
    db.session.add(picture)
    db.session.commit()
    return picture


@pytest.fixture
def site(index, make_post, staff, live_server):
    """A small archive, indexed, served on 127.0.0.1; one post has a featured image."""
    for n in range(12):
        make_post(f"Torture report {n}", body=f"Findings on torture in prisons, part {n}.",
                  tags=("torture", "prisons") if n % 2 else ("torture",),
                  section="NEWS" if n < 8 else "RESEARCH", days_ago=n + 1)  # fmt: skip
    make_post("Water and sanitation", body="Clean water is a right.", tags=("water",),
              featured=stored_picture(staff))  # fmt: skip
    return live_server


@pytest.fixture
def watched(page, site):
    """The page, failing the test if it asks any other host for anything."""
    foreign = []
    page.on("request", lambda r: None if r.url.startswith(site) else foreign.append(r.url))
    yield page
    assert not foreign, f"requests to other hosts: {foreign}"


def open_box(page, site, text):
    page.goto(site + "/")
    box = page.locator("#site-search")
    box.click()
    box.press_sequentially(text, delay=30)
    page.locator("#site-search-listbox").wait_for(state="visible")
    return box


def test_typing_shows_up_to_five_suggestions_and_view_all(watched, site):
    box = open_box(watched, site, "tort")
    options = watched.locator("#site-search-listbox [role=option]")
    assert options.count() == 6
    first = options.nth(0)
    assert first.locator("mark").first.inner_text() == "Tort"
    assert "NEWS" in first.inner_text()
    assert options.nth(5).inner_text() == "View All Result"
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("role") == "combobox"
    options.nth(5).click()
    watched.wait_for_url("**/search/?q=tort")
    assert watched.locator("h1").inner_text() == "Search results for “tort”"


def test_a_post_with_a_featured_image_shows_its_thumbnail(watched, site):
    open_box(watched, site, "wat")
    thumb = watched.locator("#site-search-listbox [role=option] img.search-suggestion-thumb")
    assert thumb.count() == 1
    assert thumb.get_attribute("alt") == "", "decorative: the title beside it names the post"
    assert thumb.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320


def test_one_character_shows_nothing(watched, site):
    watched.goto(site + "/")
    watched.locator("#site-search").press_sequentially("t", delay=30)
    watched.wait_for_timeout(500)
    assert watched.locator("#site-search-listbox").is_hidden()


def test_no_match_says_no_result_and_still_offers_view_all(watched, site):
    open_box(watched, site, "zzzz")
    listbox = watched.locator("#site-search-listbox")
    assert listbox.get_by_text("No Result", exact=True).is_visible()
    view_all = listbox.get_by_text("View All Result", exact=True)
    assert view_all.get_attribute("data-url") == "/search/?q=zzzz"
    assert watched.locator("#site-search-status").inner_text() == "No Result"


def test_keyboard_arrows_enter_and_escape(watched, site):
    box = open_box(watched, site, "torture report")
    box.press("ArrowDown")
    first = watched.locator("#site-search-listbox [role=option]").nth(0)
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("ArrowUp")  # wraps to "View All Result"
    assert box.get_attribute("aria-activedescendant") == "site-search-all"
    box.press("Escape")
    assert watched.locator("#site-search-listbox").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")  # reopens
    watched.locator("#site-search-listbox").wait_for(state="visible")
    box.press("ArrowDown")
    target = first.get_attribute("data-url")
    box.press("Enter")
    watched.wait_for_url(site + target)


def test_enter_without_a_choice_submits_the_form(watched, site):
    box = open_box(watched, site, "water")
    box.press("Enter")
    watched.wait_for_url("**/search/?q=water")
    assert "1 result" in watched.locator(".archive-count").inner_text()


def test_without_javascript_the_form_simply_submits(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    page.locator("#site-search").fill("torture")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/search/?q=torture")
    assert page.locator(".search-hit").count() == 10
    context.close()


def test_results_page_facets_and_pagination(watched, site):
    watched.goto(site + "/search/?q=torture")
    assert "12 results" in watched.locator(".archive-count").inner_text()
    watched.get_by_role("link", name="Next →").click()
    watched.wait_for_url("**page=2")
    assert watched.locator(".search-hit").count() == 2
    watched.locator(".facet-list a", has_text="RESEARCH").click()
    watched.wait_for_url("**section=research**")
    assert "4 results" in watched.locator(".archive-count").inner_text()
    watched.get_by_label("Order").select_option("newest")
    watched.get_by_role("button", name="Apply").click()
    watched.wait_for_url("**sort=newest**")
    assert watched.locator(".search-hit h2").first.inner_text() == "Torture report 8"


def test_did_you_mean_and_corrected_results(watched, site):
    watched.goto(site + "/search/?q=tortrue")
    assert "Showing results for" in watched.locator(".search-corrected").inner_text()
    watched.goto(site + "/search/?q=water+OR+sanitatoin")
    watched.locator(".search-suggestion a").click()
    watched.wait_for_url("**q=water+OR+sanitation**")
    assert watched.locator("#search-page-q").input_value() == "water OR sanitation"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_results_and_open_dropdown(browser, site, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    reports = {}
    for name, path in (("results", "/search/?q=torture&tag=prisons"), ("empty", "/search/?q=zz"),
                       ("form", "/search/")):  # fmt: skip
        page.goto(site + path)
        result = axe.run(page)
        if result.violations_count:
            reports[name] = result.generate_report()
    open_box(page, site, "tort")
    page.locator("#site-search").press("ArrowDown")
    result = axe.run(page)
    if result.violations_count:
        reports["dropdown"] = result.generate_report()
    context.close()
    assert not reports, "\n".join(f"{k}: {v}" for k, v in reports.items())
