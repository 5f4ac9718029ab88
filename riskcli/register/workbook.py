"""A sheet of an XLSX workbook read as rows of cells, in bounded time and memory.

``import`` reads CSV itself; a workbook is a file format like YAML, so it is read in this package.
A cell comes back as text or a number: booleans as ``TRUE``/``FALSE``, dates and times in ISO 8601
(a number is a date when its cell's number format is one, as openpyxl and Excel read it).

A workbook is a zip of XML parts. Only the parts a table needs are read — the package's and the
workbook's relationships, the list of sheets, the shared strings, the styles (which numbers are
dates) and the one sheet — each streamed through expat a chunk at a time, so a zip bomb is refused
when it passes a limit rather than unpacked: no part may declare a DTD (so no entity is declared,
expanded or fetched), no tag or comment may be longer than ``TOKEN_BYTES`` (expat holds each
whole in memory, and reads it again with every chunk), and a row is handed on as soon as it ends. ``Limits`` holds what a
table may hold, for CSV too; every refusal is one line, naming the row where there is one.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from riskcli.model import UserError
from riskcli.records import mutable

if TYPE_CHECKING:
    from zipfile import ZipFile

Value = str | int | float | None  # a cell: text (CSV, XLSX) or a number (XLSX)

# What a table may hold (README: "Limits"). Excel's own limits where it has one.
MAX_CELL_CHARS = 32_767  # characters in a cell (Excel's limit)
MAX_COLUMNS = 16_384  # columns, A to XFD (Excel's limit)
MAX_SHEET_ROWS = 1_048_576  # the last row number (Excel's limit)
MAX_ROWS = 100_000  # rows with something in them, the header included
MAX_CELLS = 5_000_000  # cells in all, each row counted to its last filled cell
MAX_TABLE_BYTES = 256 * 2**20  # the file imported (CSV or XLSX)
# A workbook's own.
MAX_UNPACKED = 256 * 2**20  # bytes of XML unpacked from the parts read, all together
MAX_PARTS = 10_000  # entries in the zip
MAX_SHARED = 1_000_000  # shared strings
TOKEN_BYTES = 2**20  # bytes of one tag, comment or declaration (expat holds each whole)
CHUNK = 2**16  # bytes fed to expat at a time

_MAIN = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")


def _limit(n: int) -> str:
    return f"{n:,}"


def column_letter(index: int) -> str:
    """A spreadsheet's column letter for a 0-based index: A … Z, AA …"""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _column_index(letters: str) -> int:
    """A column's 1-based index from its letters (A is 1)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@mutable
class Limits:
    """What a table read so far holds; ``row`` refuses the first row past a limit, with its number."""

    path: Path
    rows: int = 0  # rows with something in them
    cells: int = 0

    def row(self, number: int, cells: list[Value]) -> None:
        where = f"{self.path}: row {number}"
        if number > MAX_SHEET_ROWS:
            raise UserError(f"{where}: past the last row riskcli reads (row {_limit(MAX_SHEET_ROWS)}, as in Excel)")
        if len(cells) > MAX_COLUMNS:
            raise UserError(f"{where}: more than {_limit(MAX_COLUMNS)} columns (Excel's limit)")
        for i, c in enumerate(cells):
            if isinstance(c, str) and len(c) > MAX_CELL_CHARS:
                raise UserError(f"{where}, column {column_letter(i)}: {_too_long()}")
        if any(c is not None and c != "" for c in cells):
            self.rows += 1
            if self.rows > MAX_ROWS:
                raise UserError(f"{where}: more than {_limit(MAX_ROWS)} rows of risks; riskcli imports at most that")
        self.cells += len(cells)
        if self.cells > MAX_CELLS:
            raise UserError(f"{where}: more than {_limit(MAX_CELLS)} cells in all; riskcli imports at most that")


def _too_long() -> str:
    return f"a cell of more than {_limit(MAX_CELL_CHARS)} characters (Excel's limit)"


# --------------------------------------------------------------------------- the workbook


class _TooLong:
    """A shared string past the cell limit: refused where a cell uses it, naming that cell."""


TOO_LONG = _TooLong()


@mutable
class _Book:
    path: Path
    zf: ZipFile
    unpacked: int = 0
    sheets: list[tuple[str, str, str]] = field(default_factory=list)  # name, part, relationship type
    date1904: bool = False
    shared: list[str | _TooLong] = field(default_factory=list)
    dates: set[int] = field(default_factory=set)  # styles whose number format is a date or time
    durations: set[int] = field(default_factory=set)  # … or a duration ([h]:mm)

    def fail(self, message: str) -> UserError:
        return UserError(f"{self.path}: {message}")

    def parse(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
        after_chunk: Callable[[], Iterator[tuple[int, list[Value]]]] | None = None,
    ) -> Iterator[tuple[int, list[Value]]]:
        """Stream one part through expat: element names without their namespace (attributes keep
        theirs as ``namespace}name``); what ``after_chunk`` yields after each chunk is passed on."""
        parser = expat.ParserCreate(namespace_separator="}")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

        def doctype(*_: object) -> None:
            raise self.fail(f"{part} declares a DTD (<!DOCTYPE …>), which no workbook needs; riskcli does not read it")

        parser.StartDoctypeDeclHandler = doctype
        parser.StartElementHandler = lambda name, attrs: start(name[name.rfind("}") + 1 :], attrs)
        if end is not None:
            parser.EndElementHandler = lambda name: end(name[name.rfind("}") + 1 :])
        parser.CharacterDataHandler = text if text is not None else _ignore
        try:
            with self.zf.open(part) as f:
                fed = 0
                while chunk := f.read(CHUNK):
                    fed += len(chunk)
                    self.unpacked += len(chunk)
                    if self.unpacked > MAX_UNPACKED:
                        raise self.fail(
                            f"unpacks to more than {MAX_UNPACKED // 2**20} MiB of XML; riskcli reads at most that"
                        )
                    parser.Parse(chunk, False)
                    # expat keeps an unfinished tag, comment or declaration whole, and reads it all
                    # again with every chunk: what it has not reported yet stays under TOKEN_BYTES
                    if fed - max(parser.CurrentByteIndex, 0) > TOKEN_BYTES:
                        raise self.fail(
                            f"{part}: a tag or comment of more than {TOKEN_BYTES // 2**20} MiB; riskcli reads at most that"
                        )
                    if after_chunk is not None:
                        yield from after_chunk()
                parser.Parse(b"", True)
                if after_chunk is not None:
                    yield from after_chunk()
        except KeyError:
            raise self.fail(f"not a readable XLSX workbook (it has no part {part})") from None
        except expat.ExpatError as e:
            raise self.fail(
                f"{part}: not well-formed XML (line {e.lineno}, column {e.offset}: {expat.ErrorString(e.code)})"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as e:
            raise self.fail(f"not a readable XLSX workbook ({part}: {e})") from None

    def read(
        self,
        part: str,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        text: Callable[[str], None] | None = None,
    ) -> None:
        for _ in self.parse(part, start, end, text):
            pass


def _ignore(_: str) -> None:
    """Text that is not read is still reported, so that expat never holds it whole."""


def _open(path: Path, data: bytes) -> _Book:
    # Each entry of the zip's directory begins with this signature: a bound on the entries that
    # zipfile would read into memory before any check of ours.
    if data.count(b"PK\x01\x02") > MAX_PARTS:
        raise UserError(f"{path}: more than {_limit(MAX_PARTS)} parts in the workbook; riskcli reads at most that")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError) as e:
        raise UserError(f"{path}: not a readable XLSX workbook ({e})") from None
    return _Book(path, zf)


def _relationships(book: _Book, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, the part it names)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    out: dict[str, tuple[str, str]] = {}

    def start(tag: str, a: dict[str, str]) -> None:
        if tag == "Relationship" and a.get("TargetMode") != "External" and "Target" in a:
            target = a["Target"]
            resolved = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out[a.get("Id", "")] = (a.get("Type", ""), resolved)

    if rels in book.zf.NameToInfo:
        book.read(rels, start)
    return out


def _kind(rel_type: str) -> str:
    return rel_type.rstrip("/").rsplit("/", 1)[-1]


def _workbook(book: _Book) -> None:
    """The list of sheets, the date system, the shared strings and the styles."""
    main = next((p for t, p in _relationships(book, "").values() if _kind(t) == "officeDocument"), "xl/workbook.xml")
    rels = _relationships(book, main)
    sheets: list[tuple[str, str]] = []

    def start(tag: str, a: dict[str, str]) -> None:
        if tag == "sheet":
            rid = next((v for k, v in a.items() if k.endswith("relationships}id")), "")
            sheets.append((a.get("name", ""), rid))
        elif tag == "workbookPr":
            book.date1904 = a.get("date1904", "").strip().lower() in ("1", "true")

    book.read(main, start)
    for name, rid in sheets:
        if rid in rels:
            book.sheets.append((name, rels[rid][1], _kind(rels[rid][0])))
    for rel_type, part in rels.values():
        if _kind(rel_type) == "sharedStrings":
            _shared_strings(book, part)
        elif _kind(rel_type) == "styles":
            _styles(book, part)


def _shared_strings(book: _Book, part: str) -> None:
    """The shared strings, as openpyxl reads them: a string's text runs, without its phonetic
    guides; one past the cell limit is kept as TOO_LONG, unread."""
    buf: list[str] = []
    size = 0
    depth = {"si": 0, "rPh": 0, "t": 0}

    def start(tag: str, _: dict[str, str]) -> None:
        nonlocal size
        if tag in depth:
            depth[tag] += 1
        if tag == "si":
            buf.clear()
            size = 0

    def end(tag: str) -> None:
        if tag in depth:
            depth[tag] -= 1
        if tag == "si":
            if len(book.shared) >= MAX_SHARED:
                raise book.fail(f"more than {_limit(MAX_SHARED)} shared strings; riskcli reads at most that")
            book.shared.append(TOO_LONG if size > MAX_CELL_CHARS else "".join(buf).replace("x005F_", ""))

    def text(data: str) -> None:
        nonlocal size
        if depth["si"] and depth["t"] and not depth["rPh"] and size <= MAX_CELL_CHARS:
            size += len(data)
            if size <= MAX_CELL_CHARS:
                buf.append(data)

    book.read(part, start, end=end, text=text)


def _styles(book: _Book, part: str) -> None:
    """Which cell styles show a number as a date, a time or a duration (openpyxl's reading)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    custom: dict[int, str] = {}
    xfs: list[int] = []
    in_xfs = False

    def number(a: dict[str, str], key: str) -> int:
        try:
            return int(a.get(key, "0"))
        except ValueError:
            raise book.fail(f"{part}: {key} {a.get(key)!r} is not a number") from None

    def start(tag: str, a: dict[str, str]) -> None:
        nonlocal in_xfs
        if tag == "numFmt":
            custom[number(a, "numFmtId")] = a.get("formatCode", "")
        elif tag == "cellXfs":
            in_xfs = True
        elif tag == "xf" and in_xfs:
            xfs.append(number(a, "numFmtId"))

    def end(tag: str) -> None:
        nonlocal in_xfs
        if tag == "cellXfs":
            in_xfs = False

    book.read(part, start, end=end)
    for i, fmt_id in enumerate(xfs):
        fmt = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id)
        if is_date_format(fmt):
            book.dates.add(i)
        if is_timedelta_format(fmt):
            book.durations.add(i)


# --------------------------------------------------------------------------- the sheet


class _Sheet:
    """The state of reading one sheet: the row and cell being read, the rows finished."""

    def __init__(self, book: _Book) -> None:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

        self.book = book
        self.epoch = CALENDAR_MAC_1904 if book.date1904 else WINDOWS_EPOCH
        self.limits = Limits(book.path)
        self.done: list[tuple[int, list[Value]]] = []
        self.row = 0  # the row being read (its number)
        self.shown = 0  # the last row handed on
        self.in_row = False
        self.cells: dict[int, Value] = {}
        self.col = 0
        self.cell: dict[str, str] | None = None  # the attributes of the cell being read
        self.buf: list[str] = []
        self.size = 0
        self.capture = False
        self.inline = 0  # inside <is>
        self.phonetic = 0  # inside <rPh>
        self.has_inline = False

    def where(self) -> str:
        return f"row {self.row}, column {column_letter(self.col - 1)}"

    def start(self, tag: str, a: dict[str, str]) -> None:
        if tag == "row":
            self._start_row(a)
        elif not self.in_row:
            return
        elif tag == "c":
            self._start_cell(a)
        elif self.cell is None:
            return
        elif tag == "v" and not self.inline:
            self.capture = True
        elif tag == "is":
            self.inline += 1
            self.has_inline = True
        elif tag == "rPh":
            self.phonetic += 1
        elif tag == "t" and self.inline and not self.phonetic:
            self.capture = True

    def end(self, tag: str) -> None:
        if tag in ("v", "t"):
            self.capture = False
        elif tag == "is":
            self.inline -= 1
        elif tag == "rPh":
            self.phonetic -= 1
        elif tag == "c" and self.cell is not None:
            self._end_cell()
        elif tag == "row" and self.in_row:
            self._end_row()

    def text(self, data: str) -> None:
        if self.capture:
            self.size += len(data)
            if self.size > MAX_CELL_CHARS:
                raise self.book.fail(f"{self.where()}: {_too_long()}")
            self.buf.append(data)

    def _start_row(self, a: dict[str, str]) -> None:
        number = self.row + 1
        if "r" in a:
            try:
                number = int(a["r"])
            except ValueError:
                raise self.book.fail(f"a row numbered {a['r'][:20]!r}; not a sheet riskcli reads") from None
        if number <= self.row:
            raise self.book.fail(f"row {number} comes after row {self.row}; not a sheet riskcli reads")
        if number > MAX_SHEET_ROWS:
            self.limits.row(number, [])  # refused, with the row
        self.row, self.in_row, self.cells, self.col = number, True, {}, 0

    def _start_cell(self, a: dict[str, str]) -> None:
        ref = a.get("r")
        if ref:
            m = _MAIN.fullmatch(ref)
            if m is None:
                raise self.book.fail(f"row {self.row}: a cell at {ref[:20]!r}; not a sheet riskcli reads")
            self.col = _column_index(m.group(1))
        else:
            self.col += 1
        if self.col > MAX_COLUMNS:
            raise self.book.fail(f"row {self.row}: more than {_limit(MAX_COLUMNS)} columns (Excel's limit)")
        self.cell, self.buf, self.size, self.has_inline = a, [], 0, False

    def _end_cell(self) -> None:
        assert self.cell is not None
        value = self._value(self.cell)
        self.cell, self.buf = None, []
        if value is not None:
            self.cells[self.col] = value
        else:
            self.cells.pop(self.col, None)

    def _value(self, a: dict[str, str]) -> Value:
        """The cell's value as openpyxl's reader gives it (``data_only``: a formula's cached
        value), then as import reads it (``cell_value``)."""
        kind = a.get("t", "n")
        raw = "".join(self.buf)
        if kind == "inlineStr":
            return raw if self.has_inline else None
        if not raw:
            return None
        value: object = raw
        try:
            if kind == "n":
                value = float(raw) if any(c in raw for c in ".Ee") else int(raw)
                style = int(a.get("s") or 0)
                if style in self.book.dates:
                    value = self._date(value, style)
            elif kind == "s":
                index = int(raw)
                if index < 0:
                    raise IndexError(index)
                value = self.book.shared[index]
                if value is TOO_LONG:
                    raise self.book.fail(f"{self.where()}: {_too_long()}")
            elif kind == "b":
                value = bool(int(raw))
            elif kind == "d":
                from openpyxl.utils.datetime import from_ISO8601

                try:
                    value = from_ISO8601(raw)  # type: ignore[no-untyped-call]
                except ValueError:
                    value = raw
        except (ValueError, IndexError):
            what = {"n": "a number", "s": "a shared string of the workbook", "b": "a boolean (0 or 1)"}[kind]
            raise self.book.fail(f"{self.where()}: {raw[:40]!r} is not {what}") from None
        return cell_value(value)

    def _date(self, value: float, style: int) -> object:
        from openpyxl.utils.datetime import from_excel

        try:
            return from_excel(value, self.epoch, timedelta=style in self.book.durations)
        except (OverflowError, ValueError):
            return "#VALUE!"  # as openpyxl: a date past the calendar

    def _end_row(self) -> None:
        self.in_row = False
        if not self.cells:
            return  # blank: given as blank only if a row with something in it follows
        width = max(self.cells)
        row: list[Value] = [None] * width
        for col, v in self.cells.items():
            row[col - 1] = v
        self.limits.row(self.row, row)
        self.done.extend((n, []) for n in range(self.shown + 1, self.row))
        self.done.append((self.row, row))
        self.shown = self.row

    def flush(self) -> Iterator[tuple[int, list[Value]]]:
        done, self.done = self.done, []
        yield from done


def iter_sheet(path: Path, data: bytes, sheet: str | None) -> tuple[str, Iterator[tuple[int, list[Value]]]]:
    """The sheet's name and its rows as (row number, cells), streamed: the first sheet, or the one
    named (exactly, else ignoring case and surrounding spaces). Every row from the first to the last
    with something in it, blank ones as no cells (blank rows after the last are not read as rows at
    all, however many the file has); a row's cells run from column A to its last filled one."""
    book = _open(path, data)
    _workbook(book)
    names = [n for n, _, _ in book.sheets]
    if not names:
        raise UserError(f"{path}: not a readable XLSX workbook (it lists no sheet)")
    if sheet is None:
        chosen = book.sheets[0]
    else:
        chosen = next((s for s in book.sheets if s[0] == sheet), None) or next(
            (s for s in book.sheets if s[0].strip().lower() == sheet.strip().lower()), ("", "", "")
        )
        if not chosen[0]:
            raise UserError(f"{path}: no sheet {sheet!r}; the workbook has: {', '.join(map(repr, names))}")
    name, part, kind = chosen
    if kind != "worksheet":
        raise UserError(f"{path}: sheet {name!r} is a {'chart' if kind == 'chartsheet' else kind}, not a table")
    reader = _Sheet(book)
    return name, book.parse(part, reader.start, end=reader.end, text=reader.text, after_chunk=reader.flush)


def read_sheet(path: Path, data: bytes, sheet: str | None) -> tuple[str, list[tuple[int, list[Value]]]]:
    """The sheet's name and all its rows (see ``iter_sheet``)."""
    name, rows = iter_sheet(path, data, sheet)
    return name, list(rows)


def sheet_names(path: Path, data: bytes) -> list[str]:
    """The names of the workbook's sheets, in its order."""
    book = _open(path, data)
    _workbook(book)
    return [n for n, _, _ in book.sheets]


def cell_value(v: object) -> Value:
    """A workbook cell's value as import reads it: text or a number."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() and abs(v) < 2**53 else v
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    return str(v)
