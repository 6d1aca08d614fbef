"""The reader site in Debian's Chromium: navigation, the mobile menu, axe, the HTML validator."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ROOT

pytestmark = pytest.mark.browser

DEFAULT_VNU = ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"


def reader_paths(client):
    """Home, an article, a section archive, a static page and a 404, from the demo site."""
    home = client.get("/").text
    article = home.split('<h2 class="lead-title" dir="auto"><a href="', 1)[1].split('"', 1)[0]
    return {
        "home": "/",
        "article": article,
        "archive": "/category/news/",
        "page": "/who-we-are/",
        "not found": "/no-such-page/",
    }


def test_reader_follows_article_breadcrumb_and_tag(demo_server, page):
    page.goto(demo_server + "/")
    lead = page.locator(".lead-title a")
    title = lead.inner_text()
    with page.expect_navigation():
        lead.click()
    assert page.locator("h1").inner_text() == title
    with page.expect_navigation():
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").nth(1).click()
    assert "/category/" in page.url and page.locator(".archive-kind").text_content() == "Section"
    page.go_back()
    tag = page.locator(".tags a").first
    tag_name = tag.inner_text()
    with page.expect_navigation():
        tag.click()
    assert "/tag/" in page.url and page.locator("h1").inner_text() == tag_name
    assert page.locator(".archive-list .card").count() >= 1


def test_mobile_menu_works_without_javascript(browser, demo_server):
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_server + "/")
    assert not page.get_by_role("navigation", name="Main", exact=True).is_visible()
    small = page.get_by_role("navigation", name="Main (small screens)")
    assert not small.is_visible()
    page.get_by_text("Menu", exact=True).click()
    with page.expect_navigation():
        small.get_by_role("link", name="RESEARCH").click()
    assert page.url.endswith("/category/research/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, "nothing overflows sideways at 320 px"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_reports_no_violations(browser, demo_server, demo_app, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    found = {}
    for name, path in reader_paths(demo_app.test_client()).items():
        page.goto(demo_server + path)
        result = axe.run(page)
        if result.violations_count:
            found[name] = result.generate_report()
    context.close()
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


def test_pages_are_valid_html(demo_app, tmp_path):
    jar = Path(os.environ.get("HLHR_VNU_JAR", DEFAULT_VNU))
    if not jar.exists() or not shutil.which("java"):
        pytest.fail(f"the HTML validator ({jar}) or java is missing: run `make test`")
    client = demo_app.test_client()
    files = []
    for name, path in reader_paths(client).items():
        target = tmp_path / f"{name.replace(' ', '-')}.html"
        target.write_text(client.get(path).text, encoding="utf-8")
        files.append(str(target))
    run = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert errors == []
