#!/usr/bin/env python3
"""Render the Rejection Journal SVG icon into PNG, ICO and ICNS files.

Outputs (all derived from ``resources/icons/org.rejectionjournal.RejectionJournal.svg``):

* freedesktop "hicolor" PNGs:
  ``rejection_journal/resources/desktop/hicolor/<N>x<N>/apps/<app id>.png``
  (package data: ``rejection-journal --install-desktop-entry`` and the .deb install them)
* ``resources/icons/<app id>.ico``  (Windows; PNG-compressed entries 16-256 px)
* ``resources/icons/<app id>.icns`` (macOS; PNG entries 16-1024 px)
* ``rejection_journal/resources/icon.png`` (256 px) and ``icon.svg``: the copies
  the app itself loads for its window icon via importlib.resources.

Needs only PySide6 (QtGui + QtSvg, both in PySide6-Essentials). Runs headless:
the Qt platform is forced to ``offscreen`` unless QT_QPA_PLATFORM is already set.

Usage::

    python resources/make_icons.py            # render everything
    python resources/make_icons.py --check    # exit 1 if any output is missing
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

APP_ID = "org.rejectionjournal.RejectionJournal"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types that hold PNG data, by pixel size (ic11-ic14 are the @2x
# variants of a smaller point size but carry the same pixels).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)
PACKAGE_ICON_SIZE = 256

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ICONS = HERE / "icons"
SVG = ICONS / f"{APP_ID}.svg"
ICO = ICONS / f"{APP_ID}.ico"
ICNS = ICONS / f"{APP_ID}.icns"
PACKAGE_RESOURCES = REPO / "rejection_journal" / "resources"
HICOLOR = PACKAGE_RESOURCES / "desktop" / "hicolor"


def hicolor_png(size: int) -> Path:
    return HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def expected_outputs() -> list[Path]:
    outputs = [hicolor_png(s) for s in SIZES]
    outputs += [ICO, ICNS, PACKAGE_RESOURCES / "icon.png", PACKAGE_RESOURCES / "icon.svg"]
    return outputs


def _drop_faint_pixels(image: QImage, threshold: int = 4) -> QImage:
    """Clear nearly invisible edge pixels.

    Antialiasing leaves a few pixels with alpha 1-3 whose colour, once
    un-premultiplied, is garbage (e.g. bright yellow). They are invisible when
    composited but show up in viewers that ignore alpha, so zero them.
    """
    for y in range(image.height()):
        for x in range(image.width()):
            if 0 < (image.pixel(x, y) >> 24) < threshold:
                image.setPixel(x, y, 0)
    return image


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNG streams (supported since Vista)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns made only of PNG-typed elements."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render(svg: Path = SVG) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"could not parse {svg}")

    def png(size: int) -> bytes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        renderer.render(painter)
        painter.end()
        image = _drop_faint_pixels(image.convertToFormat(QImage.Format.Format_ARGB32))
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):
            raise SystemExit(f"could not encode a {size} px PNG")
        buffer.close()
        return bytes(data.data())

    all_sizes = sorted(set(SIZES) | set(ICO_SIZES) | {s for _, s in ICNS_TYPES})
    pngs = {size: png(size) for size in all_sizes}

    written: list[Path] = []
    for size in SIZES:
        out = hicolor_png(size)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pngs[size])
        written.append(out)

    ICO.write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    ICNS.write_bytes(icns_bytes(pngs))
    written += [ICO, ICNS]

    PACKAGE_RESOURCES.mkdir(parents=True, exist_ok=True)
    (PACKAGE_RESOURCES / "icon.png").write_bytes(pngs[PACKAGE_ICON_SIZE])
    shutil.copyfile(svg, PACKAGE_RESOURCES / "icon.svg")
    written += [PACKAGE_RESOURCES / "icon.png", PACKAGE_RESOURCES / "icon.svg"]
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify that every output exists")
    args = parser.parse_args(argv)

    if args.check:
        missing = [p for p in expected_outputs() if not p.is_file()]
        for p in missing:
            print(f"missing: {p.relative_to(REPO)}", file=sys.stderr)
        return 1 if missing else 0

    for path in render():
        print(path.relative_to(REPO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
