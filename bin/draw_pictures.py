"""Draw the portal's own pictures (no stock photos): run ``python bin/draw_pictures.py``.

Every picture is drawn here with Pillow from shapes, so the project holds only what this
team made. Licence: CC0 1.0 (public domain dedication), like the rest of the demo
content's pictures. The outputs are committed; this script says how they were made.
"""

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent


def _gradient(size, top, bottom) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def horizon(size, sky, land, sun, hills) -> Image.Image:
    """A calm landscape: a sky, a low sun and rolling hills (the home pages' heroes)."""
    width, height = size
    image = _gradient(size, sky[0], sky[1])
    mask = Image.new("L", size, 0) if sun else None
    box = [width * 0.62, height * 0.18, width * 0.82, height * 0.18 + width * 0.2]
    if mask is not None:
        ImageDraw.Draw(mask).ellipse(box, fill=255)
        blurred = mask.filter(ImageFilter.GaussianBlur(4))
        image.paste(Image.new("RGB", size, sun[:3]), (0, 0), blurred)
    draw = ImageDraw.Draw(image)
    for index, colour in enumerate(hills):
        base = height * (0.58 + 0.12 * index)
        amplitude = height * (0.07 - 0.015 * index)
        phase = index * 1.7
        points = [(0, height)]
        for x in range(0, width + 10, 10):
            y = base - amplitude * math.sin(x / width * math.pi * (1.4 + index * 0.5) + phase)
            points.append((x, y))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    draw.rectangle([0, height * 0.94, width, height], fill=land)
    return image


def night(size) -> Image.Image:
    """Hills under a crescent moon and a few stars (the sleep explainer)."""
    width, height = size
    image = horizon(
        size,
        sky=((28, 40, 78), (70, 88, 132)),
        land=(20, 28, 48),
        sun=None,  # night: the moon is drawn below
        hills=[(52, 66, 104), (40, 52, 86), (30, 40, 68)],
    )
    draw = ImageDraw.Draw(image)
    moon = [width * 0.68, height * 0.14, width * 0.68 + height * 0.22, height * 0.36]
    draw.ellipse(moon, fill=(246, 236, 200))
    shift = height * 0.06
    cut = [moon[0] + shift, moon[1] - shift * 0.4, moon[2] + shift, moon[3] - shift * 0.4]
    sky_there = image.getpixel((int(cut[2] - 2), int((cut[1] + cut[3]) / 2)))
    draw.ellipse(cut, fill=sky_there)
    for x, y in [(0.12, 0.12), (0.25, 0.3), (0.4, 0.1), (0.52, 0.26), (0.85, 0.45), (0.9, 0.12)]:
        cx, cy = width * x, height * y
        draw.ellipse([cx - 3, cy - 3, cx + 3, cy + 3], fill=(250, 246, 226))
    return image


def portrait(size, background, skin, hair, clothing, hair_style) -> Image.Image:
    """A drawn head-and-shoulders figure (the demo clinicians' portraits)."""
    width, height = size
    image = _gradient(size, background[0], background[1])
    draw = ImageDraw.Draw(image)
    cx = width / 2
    # Shoulders and clothing.
    draw.ellipse(
        [cx - width * 0.42, height * 0.68, cx + width * 0.42, height * 1.35], fill=clothing
    )
    draw.polygon(
        [
            (cx - width * 0.08, height * 0.68),
            (cx + width * 0.08, height * 0.68),
            (cx, height * 0.8),
        ],
        fill=(245, 245, 245),
    )
    # Neck and head.
    draw.rectangle([cx - width * 0.07, height * 0.52, cx + width * 0.07, height * 0.7], fill=skin)
    head = [cx - width * 0.17, height * 0.2, cx + width * 0.17, height * 0.6]
    if hair_style == "long":
        draw.rounded_rectangle(
            [cx - width * 0.21, height * 0.16, cx + width * 0.21, height * 0.72],
            radius=60,
            fill=hair,
        )
    draw.ellipse(head, fill=skin)
    if hair_style in ("short", "long"):
        draw.chord(
            [head[0] - 4, head[1] - 8, head[2] + 4, head[3] - height * 0.12], 180, 360, fill=hair
        )
    elif hair_style == "bun":
        draw.ellipse(
            [cx - width * 0.08, height * 0.08, cx + width * 0.08, height * 0.22], fill=hair
        )
        draw.chord(
            [head[0] - 2, head[1] - 4, head[2] + 2, head[3] - height * 0.16], 180, 360, fill=hair
        )
    # A stethoscope, the clinic's sign.
    draw.arc(
        [cx - width * 0.16, height * 0.7, cx + width * 0.16, height * 0.95],
        200,
        340,
        fill=(60, 60, 70),
        width=5,
    )
    return image


def link_preview() -> Image.Image:
    """The link-preview picture of any page without one of its own."""
    image = horizon(
        (1200, 630),
        sky=((214, 234, 238), (247, 242, 232)),
        land=(70, 112, 110),
        sun=(255, 214, 160, 255),
        hills=[(150, 190, 182), (108, 156, 150), (78, 126, 122)],
    )
    return image


def main(out=ROOT) -> None:
    static = out / "static" / "img"
    static.mkdir(parents=True, exist_ok=True)
    link_preview().save(static / "link-preview.png", optimize=True)
    demo = out / "clinic" / "demo_pictures"
    demo.mkdir(parents=True, exist_ok=True)
    horizon(
        (1600, 900),
        sky=((202, 224, 240), (250, 238, 224)),
        land=(42, 87, 120),
        sun=(255, 206, 150, 255),
        hills=[(140, 178, 206), (92, 138, 176), (58, 104, 142)],
    ).save(demo / "ignite-hero.jpg", quality=82, optimize=True)
    horizon(
        (1600, 900),
        sky=((236, 226, 240), (252, 244, 236)),
        land=(74, 60, 98),
        sun=(250, 196, 170, 255),
        hills=[(196, 176, 214), (150, 128, 176), (108, 88, 138)],
    ).save(demo / "kmd-hero.jpg", quality=82, optimize=True)
    night((1600, 900)).save(demo / "article-sleep.jpg", quality=82, optimize=True)
    horizon(
        (1600, 900),
        sky=((250, 214, 190), (255, 240, 220)),
        land=(96, 84, 70),
        sun=(255, 180, 120, 255),
        hills=[(214, 176, 150), (170, 138, 118), (128, 104, 90)],
    ).save(demo / "article-dawn.jpg", quality=82, optimize=True)
    horizon(
        (1600, 900),
        sky=((196, 226, 214), (238, 246, 240)),
        land=(44, 96, 80),
        sun=(255, 236, 170, 255),
        hills=[(150, 200, 172), (104, 164, 136), (66, 128, 104)],
    ).save(demo / "article-day.jpg", quality=82, optimize=True)
    figures = [
        (
            "maya-okafor",
            ((226, 236, 242), (198, 218, 230)),
            (120, 84, 60),
            (30, 24, 22),
            (44, 92, 128),
            "bun",
        ),
        (
            "jordan-lee",
            ((232, 240, 232), (206, 224, 206)),
            (222, 186, 150),
            (28, 26, 30),
            (70, 120, 100),
            "short",
        ),
        (
            "priya-natarajan",
            ((244, 234, 236), (226, 208, 214)),
            (160, 112, 82),
            (24, 20, 20),
            (132, 64, 88),
            "long",
        ),
        (
            "luis-serrano",
            ((238, 230, 244), (214, 200, 226)),
            (196, 150, 118),
            (54, 40, 32),
            (92, 70, 130),
            "short",
        ),
        (
            "ana-beltran",
            ((236, 240, 246), (212, 220, 236)),
            (206, 160, 126),
            (92, 56, 36),
            (56, 84, 140),
            "long",
        ),
        (
            "samuel-reyes",
            ((244, 236, 226), (226, 212, 196)),
            (150, 104, 74),
            (20, 18, 18),
            (120, 86, 60),
            "short",
        ),
    ]
    for slug, background, skin, hair, clothing, style in figures:
        portrait((800, 1000), background, skin, hair, clothing, style).save(
            demo / f"{slug}.jpg", quality=85, optimize=True
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
