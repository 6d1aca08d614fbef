"""Images: detected by content, re-encoded (no EXIF, GPS or trailing bytes), renditions.

Every image a reader is served went through ``store_image``.
"""

import hashlib
import io
import os
import secrets
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from . import diskfull
from .models import Media

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (320, 640, 1024)
NO_SPACE_MESSAGE = (
    "The server has no disk space left for uploads, so the image was not saved. "
    "Please tell the site's administrator; try again once space is freed."
)


class MediaError(ValueError):
    """The upload is not an image we accept; the message says why."""


def store_image(data: bytes, original_name="", alt_text="", caption="", credit="", user=None):
    """Validate, re-encode and write an image with its renditions; return an unsaved Media.

    :raise MediaError: not PNG/JPEG/WebP/GIF by content, too many pixels, unreadable, or
        the disk is full (nothing is left behind).
    """
    image, mime = _open_checked(data)
    try:
        name, size, renditions = _write_files(image, mime)
    except OSError as exc:
        if diskfull.is_out_of_space(exc):
            raise MediaError(NO_SPACE_MESSAGE) from exc
        raise
    return Media(
        stored_name=name,
        original_name=original_name[:255],
        mime=mime,
        size=size,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(data).hexdigest(),
        alt_text=alt_text,
        caption=caption,
        credit=credit,
        renditions=renditions,
        uploaded_by_id=user.id if user else None,
    )


def _open_checked(data):
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in FORMATS:
                raise MediaError("Only PNG, JPEG, WebP and GIF images can be uploaded.")
            if probe.width * probe.height > MAX_PIXELS:
                raise MediaError(
                    f"The image is {probe.width} × {probe.height} pixels; "
                    f"the limit is {MAX_PIXELS // 1_000_000} megapixels."
                )
            probe.load()
            image = ImageOps.exif_transpose(probe)
    except Image.DecompressionBombError as exc:
        limit = MAX_PIXELS // 1_000_000
        raise MediaError(
            f"The image has too many pixels; the limit is {limit} megapixels."
        ) from exc
    except (UnidentifiedImageError, SyntaxError, EOFError) as exc:
        raise MediaError("The file is not a readable image.") from exc
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P") and kind != "JPEG" else "RGB"
    return image.convert(mode), FORMATS[kind]


def _write_files(image, mime):
    """Write the image and its renditions: all of them, or none (removed on any OSError)."""
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    upload_dir.mkdir(parents=True, exist_ok=True)
    stem = secrets.token_hex(8)
    written = []
    try:
        name = f"{stem}.{EXTENSIONS[mime]}"
        size = _write(image, upload_dir / name, mime)
        written.append(name)
        renditions = list(_renditions(image, upload_dir, stem, mime, written))
    except OSError:
        for leftover in written:
            (upload_dir / leftover).unlink(missing_ok=True)
        raise
    return name, size, renditions


def _write(image, path, mime):
    """Encode without metadata; write to a temporary name, then rename (no half files)."""
    kind = {v: k for k, v in FORMATS.items()}[mime]
    options = {"quality": 82, "optimize": True} if kind in ("JPEG", "WEBP") else {}
    if kind == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as handle:
            image.save(handle, format=kind, **options)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves a half-written temporary file
        raise
    return path.stat().st_size


def _renditions(image, upload_dir, stem, mime, written):
    widths = [w for w in RENDITION_WIDTHS if w < image.width] + [image.width]
    for width in widths:
        height = max(1, round(image.height * width / image.width))
        scaled = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for out_mime in dict.fromkeys(("image/webp", mime)):
            name = f"{stem}-{width}.{EXTENSIONS[out_mime]}"
            _write(scaled, upload_dir / name, out_mime)
            written.append(name)
            yield {"width": width, "name": name, "mime": out_mime}


def remove_files(item: Media) -> None:
    """Delete an image's original and renditions from the uploads folder."""
    folder = Path(current_app.config["UPLOAD_DIR"])
    for name in (item.stored_name, *(r["name"] for r in item.renditions or ())):
        (folder / Path(name).name).unlink(missing_ok=True)
