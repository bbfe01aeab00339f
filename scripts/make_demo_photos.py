"""Draw the demo force's photo of the day pictures with Pillow: invented scenes, no people.

    python scripts/make_demo_photos.py   # writes static/images/gallery/*.jpg

Seeded, so a rerun draws the same pictures.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

W, H = 1440, 960
OUT = Path(__file__).resolve().parents[1] / "static" / "images" / "gallery"


def sky(top, bottom) -> Image.Image:
    image = Image.new("RGB", (W, H))
    draw = ImageDraw.Draw(image)
    for y in range(H):
        t = y / H
        draw.line([(0, y), (W, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return image


def hills(draw, rng, base, amplitude, colour, waves=3):
    phase = [rng.uniform(0, 6.28) for _ in range(waves)]
    points = [(x, base - sum(amplitude / (i + 1) * math.sin(x / (180 + 90 * i) + phase[i]) for i in range(waves)))
              for x in range(0, W + 8, 8)]
    draw.polygon(points + [(W, H), (0, H)], fill=colour)


def sunset_hills(rng):
    image = sky((250, 170, 90), (120, 60, 110))
    draw = ImageDraw.Draw(image)
    draw.ellipse((900, 330, 1060, 490), fill=(255, 220, 150))
    for base, colour in ((560, (95, 60, 95)), (660, (70, 45, 80)), (770, (45, 30, 55)), (880, (25, 18, 35))):
        hills(draw, rng, base, 60, colour)
    return image


def canal_dusk(rng):
    image = sky((30, 50, 100), (230, 140, 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 600, W, H), fill=(40, 50, 80))
    for i in range(40):  # brick warehouses as blocks along the towpath
        x = i * 40 + rng.randint(-10, 10)
        h = rng.randint(120, 300)
        draw.rectangle((x, 600 - h, x + 38, 600), fill=(60 + rng.randint(0, 20), 35, 40))
        if rng.random() < 0.5:
            draw.rectangle((x + 12, 600 - h + 30, x + 24, 600 - h + 50), fill=(250, 210, 120))
    mirror = image.crop((0, 240, W, 600)).transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.GaussianBlur(6))
    image.paste(Image.blend(mirror, Image.new("RGB", mirror.size, (30, 40, 70)), 0.45), (0, 600))
    draw = ImageDraw.Draw(image)
    for y in range(610, H, 14):  # ripples
        draw.line([(0, y), (W, y)], fill=(70, 80, 110), width=1)
    return image


def moorland_clouds(rng):
    image = sky((110, 150, 200), (210, 225, 235))
    clouds = Image.new("L", (W, H), 0)
    draw = ImageDraw.Draw(clouds)
    for _ in range(60):
        x, y, r = rng.randint(-100, W), rng.randint(40, 380), rng.randint(40, 120)
        draw.ellipse((x - r, y - r // 2, x + r, y + r // 2), fill=rng.randint(150, 230))
    clouds = clouds.filter(ImageFilter.GaussianBlur(25))
    image = Image.composite(Image.new("RGB", (W, H), (245, 245, 250)), image, clouds)
    draw = ImageDraw.Draw(image)
    for base, colour in ((600, (120, 110, 80)), (700, (105, 95, 60)), (820, (85, 100, 50))):
        hills(draw, rng, base, 40, colour, waves=4)
    for _ in range(400):  # heather
        x, y = rng.randint(0, W), rng.randint(760, H)
        draw.ellipse((x, y, x + 6, y + 4), fill=(140, 80, 130))
    return image


def night_skyline(rng):
    image = sky((10, 15, 40), (50, 40, 90))
    draw = ImageDraw.Draw(image)
    for _ in range(150):
        x, y = rng.randint(0, W), rng.randint(0, 420)
        draw.point((x, y), fill=(230, 230, 255))
    x = 0
    while x < W:
        w, h = rng.randint(50, 130), rng.randint(180, 520)
        draw.rectangle((x, H - 120 - h, x + w, H), fill=(20, 22, 35))
        for wy in range(H - 100 - h, H - 130, 26):
            for wx in range(x + 8, x + w - 10, 18):
                if rng.random() < 0.35:
                    draw.rectangle((wx, wy, wx + 8, wy + 12), fill=(255, 215, 120))
        x += w + rng.randint(2, 14)
    draw.rectangle((0, H - 120, W, H), fill=(15, 15, 25))
    return image


def autumn_wood(rng):
    image = sky((200, 210, 190), (150, 120, 70))
    draw = ImageDraw.Draw(image)
    for _ in range(900):  # canopy
        x, y, r = rng.randint(0, W), rng.randint(0, 620), rng.randint(10, 40)
        draw.ellipse((x - r, y - r, x + r, y + r),
                     fill=rng.choice([(200, 90, 30), (220, 150, 40), (170, 60, 30), (140, 120, 40)]))
    for _ in range(14):  # trunks
        x = rng.randint(0, W)
        draw.rectangle((x, 300, x + rng.randint(18, 40), H), fill=(60, 45, 35))
    draw.polygon([(560, H), (880, H), (740, 640), (700, 640)], fill=(170, 130, 80))  # a path
    return image.filter(ImageFilter.GaussianBlur(1.2))


SCENES = {
    "sunset-hills": sunset_hills, "canal-at-dusk": canal_dusk, "moorland-clouds": moorland_clouds,
    "city-at-night": night_skyline, "autumn-wood": autumn_wood,
}

if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw_scene in SCENES.items():
        draw_scene(random.Random(name)).save(OUT / f"{name}.jpg", quality=85, optimize=True)
        print(OUT / f"{name}.jpg")


def video_still(title: str, colour) -> Image.Image:
    """A title card for a demo video's local still (never fetched from YouTube)."""
    image = Image.new("RGB", (1280, 720), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 1280, 64):
        draw.line([(i, 720), (i + 360, 0)], fill=tuple(min(255, c + 18) for c in colour), width=20)
    draw.rectangle((0, 560, 1280, 720), fill=(11, 47, 91))
    draw.text((60, 600), title, fill=(255, 255, 255), font_size=64)
    return image


STILLS = {"bike-marking": ("Bike marking: how it works", (230, 160, 40)),
          "join-the-specials": ("Life as a special constable", (40, 110, 170))}

if __name__ == "__main__":
    folder = OUT.parent / "videos"
    folder.mkdir(parents=True, exist_ok=True)
    for name, (title, colour) in STILLS.items():
        video_still(title, colour).save(folder / f"{name}.jpg", quality=82, optimize=True)
        print(folder / f"{name}.jpg")
