"""Decode an uploaded image safely and prepare it for Tesseract: limits, orientation, scale, grey, polarity."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageChops, ImageFilter, ImageOps

# LINE and Slack deliver images of a few MB; anything larger is not a phone screenshot.
MAX_BYTES = 20 * 1024 * 1024
# A phone screenshot is ~2.5 Mpx and a phone photo ~12-50 Mpx; refuse more before decoding a byte.
MAX_PIXELS = 50_000_000
MAX_SIDE = 16_000
MIN_SIDE = 24
# Formats phones and chat apps produce; other decoders are attack surface we don't need.
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP")
# Tesseract reads best with glyphs ~30-60 px tall: widen small images, shrink huge photos.
MIN_WIDTH = 720
MAX_WIDTH = 1800


class InvalidImage(Exception):
    """The bytes are not an image we accept; the message says why (no image content)."""


def decode(data: bytes) -> Image.Image:
    """Check size and pixel limits from the header, then decode one upright RGB frame."""
    if not data:
        raise InvalidImage("empty")
    if len(data) > MAX_BYTES:
        raise InvalidImage("too many bytes")
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as the error it is here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise InvalidImage("too many pixels")
            image.load()
            image = ImageOps.exif_transpose(image)
    except InvalidImage:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidImage("too many pixels") from exc
    except Exception as exc:  # Pillow raises many types (OSError, SyntaxError, ValueError, struct.error...)
        raise InvalidImage(f"cannot decode: {type(exc).__name__}") from exc
    if min(image.size) < MIN_SIDE:
        raise InvalidImage("too small")
    return _flatten(image)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: transparent PNGs would otherwise turn black behind the text."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def is_dark(grey: Image.Image) -> bool:
    """Dark mode: most of the screen (the background) is dark."""
    histogram = grey.resize((64, 64)).histogram()
    return sum(histogram[:100]) > sum(histogram) / 2


def prepare(image: Image.Image) -> Image.Image:
    """Greyscale, dark text on a light background, at a size Tesseract reads well."""
    grey = ImageOps.grayscale(image)
    width, height = grey.size
    scale = MIN_WIDTH / width if width < MIN_WIDTH else MAX_WIDTH / width if width > MAX_WIDTH else 1.0
    if scale != 1.0:
        grey = grey.resize((round(width * scale), round(height * scale)), Image.Resampling.LANCZOS)
    if is_dark(grey):
        grey = ImageOps.invert(grey)
    # Clip almost nothing: text may cover well under 1% of a mostly empty screen.
    return ImageOps.autocontrast(flatten_background(grey), cutoff=(0.05, 0))


def flatten_background(grey: Image.Image) -> Image.Image:
    """Bubbles and screen both white, text keeps its darkness: subtract the local background.

    The background is the local maximum over a window wider than any stroke, taken at low resolution
    because it is smooth; Tesseract otherwise takes a grey bubble for a picture and skips its text.
    """
    factor = max(2, grey.width // 270)
    background = grey.reduce(factor).filter(ImageFilter.MaxFilter(5)).resize(grey.size, Image.Resampling.BILINEAR)
    return ImageOps.invert(ImageChops.subtract(background, grey))
