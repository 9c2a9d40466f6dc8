"""Pictures made for the demo's case studies, drawn with Pillow when the demo is built: simple
scenes of the work, with no people in them and nothing photographed or downloaded. Each says in
its corner that it is an illustration made for the demo."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image, ImageDraw

SIZE = WIDTH, HEIGHT = 1200, 800
SKY, GROUND, INK = "#cfe6f3", "#7fb069", "#1d2b36"
MARK = "Illustration made for the Social Ledger demo"


def picture(scene: str) -> bytes:
    """The scene as a JPEG: a drawing, marked as one."""
    image = Image.new("RGB", SIZE, SKY)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, WIDTH, HEIGHT), fill=GROUND)
    SCENES[scene](draw)
    draw.rectangle((0, HEIGHT - 44, WIDTH, HEIGHT), fill=INK)
    draw.text((20, HEIGHT - 32), MARK, fill="white", font_size=22)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()


def _retrofit_house(draw: ImageDraw.ImageDraw) -> None:
    """A terraced house in section: a thick yellow layer of new loft insulation under the roof,
    solar panels on it and a heat pump beside the wall."""
    draw.rectangle((300, 300, 800, 600), fill="#c9744a", outline=INK, width=4)
    draw.polygon([(270, 300), (550, 120), (830, 300)], fill="#5b4a3f", outline=INK)
    draw.rectangle((330, 270, 770, 300), fill="#f2c14e")  # the new loft insulation
    for x in range(420, 700, 70):
        draw.polygon([(x, 220), (x + 60, 182), (x + 80, 196), (x + 20, 234)], fill="#27476e")
    for left in (350, 620):
        draw.rectangle((left, 360, left + 130, 470), fill="#e8f4fb", outline=INK, width=4)
    draw.rectangle((505, 480, 595, 600), fill="#2f6690", outline=INK, width=4)
    _heat_pump(draw, 860, 470, 150)


def _heat_pump(draw: ImageDraw.ImageDraw, left: int, top: int, side: int) -> None:
    draw.rectangle((left, top, left + side, top + side * 3 // 4), fill="#eeeeee", outline=INK)
    middle = (left + side // 2, top + side * 3 // 8)
    radius = side // 4
    draw.ellipse(
        (middle[0] - radius, middle[1] - radius, middle[0] + radius, middle[1] + radius),
        outline=INK,
        width=5,
    )
    draw.line((middle[0] - radius, middle[1], middle[0] + radius, middle[1]), fill=INK, width=4)
    draw.line((middle[0], middle[1] - radius, middle[0], middle[1] + radius), fill=INK, width=4)


def _workshop(draw: ImageDraw.ImageDraw) -> None:
    """A training workshop: a bench with a heat pump on it, a hard hat, a toolbox and a
    certificate on the wall."""
    draw.rectangle((0, 0, WIDTH, 560), fill="#e9e3d5")
    draw.rectangle((0, 560, WIDTH, HEIGHT), fill="#9e9e9e")  # the workshop floor
    draw.rectangle((150, 420, 1050, 450), fill="#8a5a3b", outline=INK, width=3)
    for leg in (180, 1000):
        draw.rectangle((leg, 450, leg + 24, 620), fill="#8a5a3b")
    _heat_pump(draw, 230, 230, 250)
    draw.chord((620, 330, 780, 450), 180, 360, fill="#f2c14e", outline=INK, width=3)
    draw.rectangle((600, 388, 800, 404), fill="#f2c14e", outline=INK, width=2)
    draw.rectangle((840, 350, 1010, 420), fill="#c0392b", outline=INK, width=3)
    draw.rectangle((895, 330, 955, 350), outline=INK, width=4)
    draw.rectangle((820, 90, 1040, 250), fill="white", outline=INK, width=4)
    for y in (130, 165, 200):
        draw.line((850, y, 1010, y), fill="#9aa5ad", width=6)


def _school_garden(draw: ImageDraw.ImageDraw) -> None:
    """A school garden rebuilt by volunteers: raised beds of vegetables, a tree, a bench and a
    wheelbarrow, with the school behind."""
    draw.ellipse((980, 60, 1100, 180), fill="#f6d55c")
    draw.rectangle((120, 250, 1080, 560), fill="#d9a066", outline=INK, width=3)
    for x in range(170, 1060, 130):
        draw.rectangle((x, 310, x + 80, 400), fill="#e8f4fb", outline=INK, width=3)
    for left in (120, 480, 840):
        draw.rectangle((left, 600, left + 260, 680), fill="#8a5a3b", outline=INK, width=3)
        for x in range(left + 25, left + 260, 45):
            draw.ellipse((x - 16, 570, x + 16, 610), fill="#3c8d2f")
    draw.rectangle((40, 380, 70, 600), fill="#6b4226")
    draw.ellipse((-30, 250, 140, 420), fill="#2e7d32")
    draw.polygon([(1060, 700), (1160, 700), (1140, 740), (1080, 740)], fill="#607d8b")
    draw.ellipse((1090, 728, 1120, 756), fill=INK)


SCENES: dict[str, Callable[[ImageDraw.ImageDraw], None]] = {
    "retrofit-house": _retrofit_house,
    "workshop": _workshop,
    "school-garden": _school_garden,
}
