"""Render SMS-app-like screenshots with Pillow and Noto Sans CJK, for the OCR tests and benchmark."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATHS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
)
PHONE_SIZES = {"android": (1080, 2340), "iphone": (750, 1334)}


@dataclass(frozen=True)
class Palette:
    """Colours of one app theme."""

    background: str
    bubble: str
    text: str
    muted: str


# iOS-like grey bubbles and Android-like blue ones, each in light and dark mode.
PALETTES = {
    ("grey", False): Palette("#ffffff", "#e9e9eb", "#000000", "#8e8e93"),
    ("grey", True): Palette("#000000", "#262628", "#ffffff", "#8e8e93"),
    ("blue", False): Palette("#f8f9fe", "#d3e3fd", "#1f1f1f", "#5f6368"),
    ("blue", True): Palette("#111318", "#2b3a55", "#e3e3e3", "#9aa0a6"),
}


def font_path() -> Path | None:
    """The Noto Sans CJK font from the fonts-noto-cjk package, if installed."""
    return next((p for p in FONT_PATHS if p.exists()), None)


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = font_path()
    if path is None:
        raise RuntimeError("fonts-noto-cjk is not installed")
    return ImageFont.truetype(str(path), size, index=0)  # index 0 is the JP face


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break each paragraph at any character, as phone apps do for Japanese."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for ch in paragraph:
            if line and font.getlength(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
        lines.append(line)
    return lines


def render_sms(text: str, sender: str | None = None, *, size: tuple[int, int] = (1080, 2340),
               dark: bool = False, bubble: str = "grey") -> Image.Image:
    """A messaging-app screen: status bar, sender title, a date line and one received bubble."""
    w, h = size
    pt = w / 375  # device pixels per iOS point
    colours = PALETTES[(bubble, dark)]
    image = Image.new("RGB", size, colours.background)
    draw = ImageDraw.Draw(image)
    small, body, title = _font(round(13 * pt)), _font(round(17 * pt)), _font(round(17 * pt))
    draw.text((round(24 * pt), round(14 * pt)), "9:41", fill=colours.text, font=_font(round(15 * pt)))
    bx = w - round(50 * pt)
    draw.rounded_rectangle((bx, round(17 * pt), bx + round(25 * pt), round(29 * pt)), radius=round(3 * pt),
                           outline=colours.text, width=max(1, round(pt)))
    header_bottom = round(100 * pt)
    draw.text((round(12 * pt), round(55 * pt)), "<", fill="#0a84ff", font=title)
    if sender:
        tw = title.getlength(sender)
        draw.text(((w - tw) / 2, round(58 * pt)), sender, fill=colours.text, font=title)
    draw.line((0, header_bottom, w, header_bottom), fill=colours.muted, width=max(1, round(pt / 2)))
    stamp = "今日 10:23"
    draw.text(((w - small.getlength(stamp)) / 2, header_bottom + round(16 * pt)), stamp, fill=colours.muted, font=small)
    pad, max_text = round(12 * pt), round(250 * pt)
    lines = _wrap(text, body, max_text)
    line_h = round(22 * pt)
    top, left = header_bottom + round(44 * pt), round(14 * pt)
    text_w = max(body.getlength(line) for line in lines)
    bottom = min(h - round(80 * pt), top + 2 * pad + line_h * len(lines))
    draw.rounded_rectangle((left, top, left + text_w + 2 * pad, bottom), radius=round(18 * pt), fill=colours.bubble)
    for i, line in enumerate(lines):
        y = top + pad + i * line_h
        if y + line_h > bottom:
            break
        draw.text((left + pad, y), line, fill=colours.text, font=body)
    bar_top = h - round(60 * pt)
    draw.rounded_rectangle((round(50 * pt), bar_top, w - round(14 * pt), bar_top + round(36 * pt)),
                           radius=round(18 * pt), outline=colours.muted, width=max(1, round(pt / 2)))
    return image


def png(image: Image.Image) -> bytes:
    """Encode as PNG, the way phones save screenshots."""
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()


def jpeg(image: Image.Image, quality: int = 80) -> bytes:
    """Encode as JPEG, the way chat apps often recompress images."""
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def blurred(image: Image.Image, radius: float) -> Image.Image:
    """An out-of-focus copy."""
    return image.filter(ImageFilter.GaussianBlur(radius))


def gradient_photo(size: tuple[int, int] = (1200, 900)) -> Image.Image:
    """A photo-like picture without text: a sky-to-ground gradient with soft shapes."""
    w, h = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    sky = Image.new("RGB", size, "#6fa8dc")
    image = Image.blend(sky, image, 0.4)
    draw = ImageDraw.Draw(image)
    draw.ellipse((w * 0.6, h * 0.1, w * 0.8, h * 0.35), fill="#ffe599")
    draw.polygon([(0, h), (w * 0.4, h * 0.55), (w * 0.8, h)], fill="#38761d")
    return image.filter(ImageFilter.GaussianBlur(6))


def blank(size: tuple[int, int] = (1080, 2340), colour: str = "#ffffff") -> Image.Image:
    """A screen with nothing on it."""
    return Image.new("RGB", size, colour)


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims the given dimensions, with a tiny (wrong) body: a decompression bomb probe."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
