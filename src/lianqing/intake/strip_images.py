"""Pictures re-encoded from their pixels alone: no EXIF (GPS, camera, owner), no XMP, no comment,
no PNG text chunk, no ICC profile (its text can name the device; colours are converted to sRGB
first). Phone HEIC/HEIF photos become JPEG. Oversized pictures (decompression bombs) are refused
from their header, before their pixels are decoded.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import pillow_heif
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

from lianqing.intake import conf
from lianqing.intake.errors import IntakeError

pillow_heif.register_heif_opener(thumbnails=False)

# What a picture keeps besides its pixels: only what changes how it looks.
_KEEP_INFO = ("transparency",)
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _refuse(name: str) -> IntakeError:
    return IntakeError(
        _("附件 %(name)s：图片已损坏或尺寸过大（超过 %(pixels)d 万像素），无法读取")
        % {"name": name, "pixels": conf.max_image_pixels() // 10_000},
        field="attachments",
    )


def _in_srgb(frame: Image.Image) -> Image.Image:
    """Colours converted to sRGB when the picture carries its own profile (a phone's Display P3)."""
    icc = frame.info.get("icc_profile")
    if not icc or frame.mode not in {"RGB", "RGBA", "CMYK"}:
        return frame
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            frame, source, _SRGB, outputMode="RGBA" if frame.mode == "RGBA" else "RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return frame.convert("RGB") if frame.mode == "CMYK" else frame  # a broken profile: pixels as they are
    return converted or frame


def _pixels_only(frame: Image.Image) -> Image.Image:
    clean = _in_srgb(frame)
    clean = clean.copy() if clean is frame else clean
    clean.info = {key: frame.info[key] for key in _KEEP_INFO if key in frame.info}
    return clean


def _animation(image: Image.Image, fmt: str, name: str) -> bytes:
    frames, durations = [], []
    budget = conf.max_image_pixels()
    for frame in ImageSequence.Iterator(image):
        budget -= frame.width * frame.height
        if budget < 0:
            raise _refuse(name)
        durations.append(int(frame.info.get("duration", 100)))
        frames.append(_pixels_only(frame))
    out = io.BytesIO()
    options: dict[str, Any] = {"save_all": True, "append_images": frames[1:], "duration": durations}
    if "loop" in image.info:
        options["loop"] = image.info["loop"]
    frames[0].save(out, format=fmt, **options)
    return out.getvalue()


def image_strip(data: bytes, name: str, extension: str) -> tuple[bytes, str]:
    """The cleaned picture and its extension (HEIC comes back as JPEG). IntakeError if unreadable."""
    fmt = {"jpg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP", "heic": "JPEG"}[extension]
    Image.MAX_IMAGE_PIXELS = conf.max_image_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if getattr(image, "n_frames", 1) > 1 and fmt in {"GIF", "WEBP"}:
                    return _animation(image, fmt, name), extension
                ImageOps.exif_transpose(image, in_place=True)  # the opened picture is ours: no copy
                upright = _in_srgb(image)
                upright.info = {key: image.info[key] for key in _KEEP_INFO if key in image.info}
                out = io.BytesIO()
                if fmt == "JPEG":
                    rgb = upright if upright.mode == "RGB" else upright.convert("RGB")
                    rgb.info = {}
                    rgb.save(out, format="JPEG", quality=90)
                    return out.getvalue(), "jpg"
                upright.save(out, format=fmt, **({"quality": 90} if fmt == "WEBP" else {}))
                return out.getvalue(), extension
    except IntakeError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        EOFError,
        Image.DecompressionBombError,
        Warning,
    ):
        raise _refuse(name) from None
