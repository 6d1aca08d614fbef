"""In Chromium: sign in, upload an image, write, preview, schedule, see it go live on time."""

import io
import time
from datetime import timedelta

import pytest
from editor_helpers import PASSWORD, make_user
from PIL import Image

from hlhr.models import Role, utcnow

pytestmark = pytest.mark.browser


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), (180, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_write_schedule_and_find_on_home_page(app, live_server, page):
    make_user("chief@example.org", Role.EDITOR, name="Chief Editor")
    errors = []
    page.on("response", lambda r: errors.append((r.status, r.url)) if r.status >= 400 else None)

    page.goto(f"{live_server}/editor/login")
    page.fill("#email", "chief@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/editor/")

    page.goto(f"{live_server}/editor/media/upload")
    page.set_input_files("#file", {"name": "court.png", "mimeType": "image/png", "buffer": png()})
    page.fill("#alt_text", "The court building at dusk")
    with page.expect_navigation():
        page.click("main button.primary")
    assert "The image is uploaded" in page.content()

    title = "Browser-written report on the tribunal"
    page.goto(f"{live_server}/editor/posts/new")
    page.fill("#title", title)
    page.fill("#body_source", "The tribunal **met** today.\n\nA second paragraph.")
    page.select_option("#featured_media_id", label="The court building at dusk (900×600)")
    with page.expect_navigation():
        page.click("button[name=preview]")
    preview = page.locator(".preview-body")
    assert preview.locator("strong").inner_text() == "met"
    assert page.input_value("#title") == title  # the form keeps the text

    go_live = utcnow() + timedelta(seconds=6)
    page.select_option("#status", "published")
    page.fill("#published_at", go_live.strftime("%Y-%m-%dT%H:%M:%S"))
    with page.expect_navigation():
        page.click("button[name=save]")
    assert "is scheduled" in page.content()

    page.goto(f"{live_server}/")
    assert title not in page.content()
    time.sleep(max(0.0, (go_live - utcnow()).total_seconds()) + 0.5)
    page.goto(f"{live_server}/")
    assert title in page.content()
    with page.expect_navigation():
        page.click(f"text={title}")
    assert page.locator("img[alt='The court building at dusk']").count() >= 1
    assert errors == []
