"""The HTML report in a real browser: headless Chromium draws the matrix cells in their band
colours (read from the screenshot's pixels) and logs nothing to its console.

Skipped only when Chromium is not installed (.ci/run installs Debian's ``chromium``).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest

from riskcli.render.layout import Key
from riskcli.render.report import band_hex

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")

WIDTH, HEIGHT = 1200, 1600


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on a local file, offline, with a fresh profile and its console on stderr."""
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--force-color-profile=srgb",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def console(stderr: str) -> list[str]:
    """What the page logged: Chromium prints every console message (and uncaught error) as a CONSOLE line."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


# --------------------------------------------------------------------------- PNG, with the standard library


def png_rows(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB rows of an 8-bit RGB or RGBA PNG (alpha dropped)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    width = height = bpp = 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        at = y * (stride + 1)
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:  # Average
            for i in range(stride):
                line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = prev[i]
                c = prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        rows.append(bytes(line) if bpp == 3 else bytes(b for i, b in enumerate(line) if i % 4 != 3))
    return width, height, rows


def regions(rows: Sequence[bytes], colour: str, min_run: int = 2) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x, y, width, height) of the connected areas of one exact colour, from its
    horizontal runs of at least ``min_run`` pixels."""
    pattern = re.compile(b"(?:" + re.escape(bytes.fromhex(colour[1:])) + b")+")
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    spans: dict[tuple[int, int], tuple[int, int, int]] = {}
    above: list[tuple[int, int, tuple[int, int]]] = []
    for y, row in enumerate(rows):
        here = []
        for m in pattern.finditer(row):
            start = m.start() + (-m.start()) % 3  # a run that starts mid-pixel starts at the next pixel
            x0, x1 = start // 3, m.end() // 3
            if x1 - x0 < min_run:
                continue
            k = (y, x0)
            parent[k] = k
            spans[k] = (x0, x1, y)
            for a0, a1, ak in above:
                if a0 < x1 and x0 < a1 and root(k) != root(ak):
                    parent[root(k)] = root(ak)
            here.append((x0, x1, k))
        above = here
    boxes: dict[tuple[int, int], list[int]] = {}
    for k, (x0, x1, y) in spans.items():
        b = boxes.setdefault(root(k), [x0, y, x1, y + 1])
        b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], y), max(b[2], x1), max(b[3], y + 1)
    return sorted((x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in boxes.values())


# --------------------------------------------------------------------------- the tests


def test_the_matrix_cells_show_their_band_colours(run, tmp_path: Path) -> None:
    page = tmp_path / "briefing.html"
    assert run("report", "-o", str(page)).exit_code == 0
    data = json.loads(run("report", "--json").stdout)
    key = Key(colours={b["id"]: b["color"] for b in data["matrix"]["bands"]})
    colours = {b["id"]: band_hex(key, b["id"]) for b in data["matrix"]["bands"]}
    assert len(set(colours.values())) == len(colours), colours  # four bands, four colours to tell apart

    shot = tmp_path / "shot.png"
    p = chromium(tmp_path, page, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}")
    assert shot.is_file(), p.stderr[-2000:]
    assert console(p.stderr) == []
    width, height, rows = png_rows(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)

    # Every area of a band's colour at least the size of a cell is a cell (the legend's swatches
    # and the rating badges are far smaller); laid out as the grid, each has its cell's band.
    found = []
    for band, colour in colours.items():
        found += [(y, x, w, h, band) for x, y, w, h in regions(rows, colour) if w >= 60 and h >= 40]
    cells = data["matrix"]["cells"]
    n_impact = len(data["matrix"]["impact"])
    assert len(found) == len(cells), sorted(found)
    found.sort()
    grid_rows = [sorted(found[i : i + n_impact], key=lambda c: c[1]) for i in range(0, len(found), n_impact)]
    for row in grid_rows:  # a row of cells shares its top edge; columns line up
        assert max(c[0] for c in row) - min(c[0] for c in row) <= 2
    for col in range(n_impact):
        assert max(r[col][1] for r in grid_rows) - min(r[col][1] for r in grid_rows) <= 2
    shown = [c[4] for row in grid_rows for c in row]  # top row first, impact 1..N: the order of cells
    assert shown == [c["rating"]["id"] for c in cells]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data


def test_a_hostile_title_stays_text_in_the_browser(run, write, tmp_path: Path) -> None:
    title = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"
    reg = write(
        f"title: {json.dumps(title)}\nrisks:\n  - {{id: R1, title: {json.dumps(title)}, likelihood: 3, impact: 4}}\n"
    )
    page = tmp_path / "hostile.html"
    assert run("-r", str(reg), "report", "-o", str(page)).exit_code == 0
    p = chromium(tmp_path, page, "--dump-dom")
    assert p.returncode == 0, p.stderr[-2000:]
    dom = _Elements()
    dom.feed(p.stdout)
    assert "table" in dom.tags
    assert "script" not in dom.tags and "img" not in dom.tags
    assert dom.h1 == title
    assert console(p.stderr) == []


def test_the_console_check_sees_an_error(tmp_path: Path) -> None:
    """The check above is not vacuous: a page that throws is caught."""
    page = tmp_path / "throws.html"
    page.write_text("<!DOCTYPE html><title>t</title><script>throw new Error('boom')</script>", encoding="utf-8")
    p = chromium(tmp_path, page, "--dump-dom")
    assert any("Uncaught Error: boom" in line for line in console(p.stderr)), p.stderr[-2000:]
