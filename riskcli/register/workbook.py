"""A sheet of an XLSX workbook read as rows of cells (openpyxl, imported here only when called).

``import`` reads CSV itself; a workbook is a file format like YAML, so it is read in this package.
A cell comes back as text or a number: booleans as ``TRUE``/``FALSE``, dates and times in ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from riskcli.model import UserError

Value = str | int | float | None  # a cell: text (CSV, XLSX) or a number (XLSX)


def read_sheet(path: Path, data: bytes, sheet: str | None) -> tuple[str, list[tuple[int, list[Value]]]]:
    """The sheet's name and its rows as (row number, cells): the first sheet, or the one named
    (exactly, else ignoring case and surrounding spaces)."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise UserError(f"{path}: not a readable XLSX workbook ({e})") from None
    try:
        names = wb.sheetnames
        if sheet is None:
            name = names[0]
        else:
            name = next((n for n in names if n == sheet), None) or next(
                (n for n in names if n.strip().lower() == sheet.strip().lower()), ""
            )
            if not name:
                raise UserError(f"{path}: no sheet {sheet!r}; the workbook has: {', '.join(map(repr, names))}")
        ws = wb[name]
        if not hasattr(ws, "iter_rows"):
            raise UserError(f"{path}: sheet {name!r} is a chart, not a table")
        ws.reset_dimensions()
        records: list[tuple[int, list[Value]]] = []
        for n, row in enumerate(ws.iter_rows(), start=1):
            number = next((c.row for c in row if getattr(c, "row", None)), None) or n
            records.append((number, [cell_value(c.value) for c in row]))
    finally:
        wb.close()
    return name, records


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
