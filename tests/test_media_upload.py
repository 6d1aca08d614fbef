"""Uploads through the editor: the attack set, alt text, friendly 413, nothing left behind."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from conftest import corpus_lines
from editor_helpers import csrf, post_fields, signed_in, submit
from PIL import Image

from hlhr.extensions import db
from hlhr.models import Media, Post, Role


@pytest.fixture
def author(app):
    client, _ = signed_in(app, Role.AUTHOR)
    return client


def image_bytes(kind="PNG", size=(64, 48), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, kind, **save)
    return buffer.getvalue()


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPSInfo
    return image_bytes("JPEG", exif=exif.tobytes())


def huge_png_header(width=50_000, height=50_000):
    """A valid PNG signature and IHDR claiming 2.5 gigapixels, with almost no data."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def upload(client, data, name="photo.png", alt="Protesters outside the court", **fields):
    token = csrf(client, "/editor/media/upload")
    form = {"csrf_token": token, "alt_text": alt, "file": (io.BytesIO(data), name), **fields}
    return client.post("/editor/media/upload", data=form, content_type="multipart/form-data")


def stored_files(app):
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_png_upload_makes_renditions(app, author):
    response = upload(author, image_bytes(size=(1200, 800)), caption="Outside", credit="HLHR")
    assert response.status_code == 302
    item = db.session.scalar(db.select(Media))
    assert item.alt_text == "Protesters outside the court"
    assert item.original_name == "photo.png"
    assert len(item.stored_name) < 40 and "photo" not in item.stored_name
    widths = sorted({r["width"] for r in item.renditions})
    assert widths == [320, 640, 1024, 1200]
    assert {r["mime"] for r in item.renditions} == {"image/webp", "image/png"}
    assert set(stored_files(app)) == {item.stored_name, *(r["name"] for r in item.renditions)}
    served = app.test_client().get(f"/media/{item.stored_name}")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    # Random, never reused names: a year's cache without revalidation is safe.
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    served.close()
    rendition = app.test_client().get(f"/media/{item.renditions[0]['name']}")
    assert (rendition.status_code, rendition.headers["Cache-Control"]) == (
        200, "public, max-age=31536000, immutable"
    )  # fmt: skip
    rendition.close()


def test_jpeg_metadata_is_stripped(app, author):
    data = jpeg_with_gps()
    assert b"SpyCam" in data
    assert upload(author, data, name="camera.jpg").status_code == 302
    item = db.session.scalar(db.select(Media))
    stored = (Path(app.config["UPLOAD_DIR"]) / item.stored_name).read_bytes()
    assert b"SpyCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_script_appended_after_jpeg_end_is_dropped(app, author):
    data = image_bytes("JPEG") + b"<script>alert(document.cookie)</script>"
    assert upload(author, data, name="evil.jpg").status_code == 302
    for name in stored_files(app):
        assert b"<script" not in (Path(app.config["UPLOAD_DIR"]) / name).read_bytes()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"<html><script>alert(1)</script></html>", "page.png", "not a readable image"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "not a readable image",
        ),
        (huge_png_header(), "bomb.png", "image"),
        (b"GIF89a" + b"\x00" * 20, "broken.gif", "not a readable image"),
        (b"", "empty.png", "image"),
    ],
    ids=["html-as-png", "svg-with-script", "50000x50000-header", "truncated-gif", "empty"],
)
def test_rejected_uploads_say_why_and_leave_no_file(app, author, data, name, reason):
    response = upload(author, data, name=name)
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert reason in text
    assert stored_files(app) == []
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0


def test_bmp_is_refused_by_content(app, author):
    response = upload(author, image_bytes("BMP"), name="photo.png")
    assert response.status_code == 422
    assert "Only PNG, JPEG, WebP and GIF" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_alt_text_is_required(app, author):
    response = upload(author, image_bytes(), alt="   ")
    assert response.status_code == 422
    assert "Describe the image" in response.get_data(as_text=True)
    assert stored_files(app) == []


def multipart(fields: dict, file_name: str, file_data: bytes, boundary="hlhr-boundary"):
    """A multipart body built in memory (the test client would spool it to a temp file)."""
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{file_name}"\r\nContent-Type: image/png\r\n\r\n'
    ).encode()
    body = b"".join(parts) + head + file_data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_oversize_body_gets_a_friendly_413(app, author):
    token = csrf(author, "/editor/media/upload")
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    body, content_type = multipart({"csrf_token": token, "alt_text": "x"}, "a.png", b"\0" * 2**21)
    response = author.post("/editor/media/upload", data=body, content_type=content_type)
    assert response.status_code == 413
    assert "at most 1 MB" in response.get_data(as_text=True)
    assert stored_files(app) == []


def test_traversal_file_names_are_only_metadata(app, author):
    names = [*corpus_lines("patt/directory_traversal.txt")[:25], "../../etc/passwd.png"]
    for name in names:
        response = upload(author, image_bytes(size=(8, 8)), name=name)
        assert response.status_code in (302, 422), name
    folder = Path(app.config["UPLOAD_DIR"])
    assert all(p.parent == folder for p in folder.iterdir())
    for item in db.session.scalars(db.select(Media)):
        assert "/" not in item.stored_name and ".." not in item.stored_name
        page = author.get(f"/editor/media/{item.id}").get_data(as_text=True)
        assert "<script" not in page.split("<main", 1)[1]


def test_image_without_alt_text_cannot_be_featured(app):
    client, _user = signed_in(app, Role.EDITOR)
    item = Media(stored_name="x.png", mime="image/png", size=1, width=1, height=1, sha256="0")
    db.session.add(item)
    db.session.commit()
    data = post_fields(title="Illustrated", featured_media_id=str(item.id))
    response = submit(client, "/editor/posts/new", data)
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_editing_alt_text_and_deleting_an_image(app):
    client, _ = signed_in(app, Role.EDITOR)
    upload(client, image_bytes())
    item = db.session.scalar(db.select(Media))
    url = f"/editor/media/{item.id}"
    response = submit(client, url, {"alt_text": "A new description", "caption": "", "credit": ""})
    assert response.status_code == 302
    assert db.session.get(Media, item.id).alt_text == "A new description"
    assert submit(client, url, {"alt_text": ""}).status_code == 422
    delete = client.post(f"{url}/delete", data={"csrf_token": csrf(client)})
    assert delete.status_code == 302
    assert stored_files(app) == []
