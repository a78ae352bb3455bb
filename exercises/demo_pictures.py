"""Simple line drawings of exercise positions for the demo library, made with Pillow.

Each drawing is a figure on a plain background (no words in the picture: its description is
the alt text). Coordinates are on a 400 x 300 canvas.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

Point = tuple[int, int]
Line = tuple[Point, Point]

BACKGROUND = (243, 238, 228)
INK = (13, 90, 97)
PROP = (95, 107, 112)
FLOOR_Y = 260


@dataclass(frozen=True)
class Pose:
    """The head's centre and the body's lines; props (chair, wall) are drawn in grey."""

    head: Point
    body: list[Line]
    props: list[Line]


POSES: dict[str, Pose] = {
    "standing_chair": Pose(
        head=(170, 60),
        body=[
            ((170, 80), (170, 160)),
            ((170, 100), (230, 130)),
            ((170, 160), (160, 255)),
            ((170, 160), (185, 255)),
        ],
        props=[((230, 130), (230, 255)), ((230, 130), (290, 130)), ((290, 130), (290, 255))],
    ),
    "leg_swing": Pose(
        head=(170, 60),
        body=[
            ((170, 80), (170, 160)),
            ((170, 100), (230, 130)),
            ((170, 160), (165, 255)),
            ((170, 160), (110, 235)),
        ],
        props=[((230, 130), (230, 255)), ((230, 130), (290, 130)), ((290, 130), (290, 255))],
    ),
    "lunge": Pose(
        head=(200, 55),
        body=[
            ((200, 75), (200, 150)),
            ((200, 95), (270, 120)),
            ((200, 150), (250, 200)),
            ((250, 200), (255, 255)),
            ((200, 150), (130, 215)),
            ((130, 215), (100, 255)),
        ],
        props=[((270, 120), (340, 120)), ((340, 120), (340, 255))],
    ),
    "bridge": Pose(
        head=(70, 240),
        body=[
            ((90, 245), (190, 200)),
            ((190, 200), (250, 205)),
            ((250, 205), (265, 255)),
            ((110, 245), (170, 255)),
        ],
        props=[],
    ),
    "side_lying": Pose(
        head=(70, 225),
        body=[
            ((90, 230), (200, 235)),
            ((200, 235), (250, 200)),
            ((250, 200), (300, 240)),
            ((200, 235), (255, 250)),
            ((255, 250), (300, 248)),
            ((90, 245), (60, 255)),
        ],
        props=[],
    ),
    "sitting": Pose(
        head=(160, 70),
        body=[
            ((160, 90), (165, 170)),
            ((165, 170), (230, 175)),
            ((230, 175), (235, 255)),
            ((160, 110), (215, 140)),
        ],
        props=[
            ((130, 180), (200, 180)),
            ((130, 180), (130, 255)),
            ((200, 180), (200, 255)),
            ((130, 180), (125, 90)),
        ],
    ),
    "wall": Pose(
        head=(200, 70),
        body=[
            ((200, 90), (170, 170)),
            ((200, 100), (280, 100)),
            ((170, 170), (150, 255)),
            ((170, 170), (165, 255)),
        ],
        props=[((290, 20), (290, 255))],
    ),
    "walking": Pose(
        head=(200, 60),
        body=[
            ((200, 80), (200, 160)),
            ((200, 100), (235, 140)),
            ((200, 100), (165, 140)),
            ((200, 160), (240, 255)),
            ((200, 160), (165, 255)),
        ],
        props=[],
    ),
    "lying_front": Pose(
        head=(90, 215),
        body=[((105, 225), (300, 248)), ((110, 230), (120, 255)), ((300, 248), (340, 252))],
        props=[],
    ),
}


def picture_png(pose: str) -> bytes:
    """A PNG drawing of ``pose`` (a key of ``POSES``)."""
    shape = POSES[pose]
    image = Image.new("RGB", (400, 300), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.line(((20, FLOOR_Y + 2), (380, FLOOR_Y + 2)), fill=PROP, width=3)
    for line in shape.props:
        draw.line(line, fill=PROP, width=6)
    for line in shape.body:
        draw.line(line, fill=INK, width=9, joint="curve")
    x, y = shape.head
    draw.ellipse((x - 17, y - 17, x + 17, y + 17), fill=INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
