"""Results of import and export: a spreadsheet read into a register, and a register written out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from riskcli.model import Confidence
from riskcli.results.shapes.common import Cell, Output, RegisterInfo, Score
from riskcli.results.shapes.matrix import Grid

# --------------------------------------------------------------------------- the export's columns

# The columns of an exported table (CSV and the workbook's risks sheet), before the risks' extra
# fields. ``likelihood`` and ``impact`` are the current cells, so that an export imports back as a
# register of the current state; the COMPUTED columns are scores riskcli works out, recognised
# (all together) and not read back by import; the inherent ones appear when responses are applied.
EXPORT_COLUMNS = (
    "id", "title", "category", "owner", "actors", "likelihood", "impact", "rating", "score", "rank",
    "confidence", "baseline likelihood", "baseline impact",
)  # fmt: skip
INHERENT_COLUMNS = ("inherent likelihood", "inherent impact", "inherent rating")
TEXT_COLUMNS = ("description", "rationale", "evidence")
COMPUTED = ("rating", "score", "rank", "baseline likelihood", "baseline impact")
EXTRA_PREFIX = "extra."  # an extra field whose name is one of the columns above is written as extra.NAME


# --------------------------------------------------------------------------- import


class ColumnUse(StrEnum):
    """How import used a column."""

    MAPPED = "mapped"  # named with --map
    GUESSED = "guessed"  # found by its header
    EXTRA = "extra"  # kept under each risk's ``extra:``
    COMPUTED = "computed"  # a score riskcli's own export computed (rating, rank, …): not read back
    EMPTY = "empty"  # no header and no value


@dataclass(frozen=True)
class ColumnView:
    column: str  # the spreadsheet's letter: A, B, …
    header: str
    field: str | None  # the risk field it fills (id, title, likelihood, …); None unless mapped or guessed
    use: ColumnUse
    also: str | None  # a field it looks like too, taken by another column


@dataclass(frozen=True)
class RowProblem:
    """A value import could not use; nothing is written while there is one."""

    row: int  # as the spreadsheet numbers it (the header is a row too)
    column: str | None  # the spreadsheet's letter
    header: str | None
    field: str | None
    message: str


@dataclass(frozen=True)
class AssignedId:
    row: int
    id: str


@dataclass(frozen=True, kw_only=True)
class ImportResult:
    """A CSV or XLSX table read into a register: how each column was used, the ids riskcli gave,
    and every problem (then nothing is written)."""

    SCHEMA: ClassVar[str] = "import"
    source: str  # the file read
    format: str  # csv or xlsx
    sheet: str | None  # the worksheet read (xlsx)
    delimiter: str | None  # the separator found (csv)
    header_row: int
    rows: int  # data rows read (blank rows skipped)
    columns: tuple[ColumnView, ...]
    assigned: tuple[AssignedId, ...]  # ids riskcli gave (no id column, or a blank cell)
    problems: tuple[RowProblem, ...]
    ok: bool
    output: str | None  # the register file written; None when printed (or, with problems, nothing)
    register: RegisterInfo | None  # the register written, read back and valid; None with problems
    yaml: str | None  # the register's text, when it was not written to a file


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportRisk:
    rank: int  # by the current score, highest first
    id: str
    title: str
    category: str | None
    owner: str | None
    actors: tuple[str, ...]
    confidence: Confidence | None
    baseline: Cell
    current: Score  # with the journal replayed: the residual score when responses are applied
    inherent: Score | None  # as if no response were applied; None when none is
    description: str | None
    rationale: str | None
    evidence: str | None
    extra: dict[str, str | int | float]


@dataclass(frozen=True, kw_only=True)
class ExportData(Output):
    """The register's risks with their current scores, the current matrix and — when responses
    are applied — the inherent one: what ``export`` writes as CSV, XLSX or JSON."""

    SCHEMA = "export"
    applied: tuple[str, ...]  # responses applied in the current state
    risks: tuple[ExportRisk, ...]  # in register order
    matrix: Grid  # the current matrix (residual, when responses are applied)
    inherent: Grid | None  # with no response applied; None when none is


@dataclass(frozen=True, kw_only=True)
class ExportResult(Output):
    """A register exported to a file."""

    SCHEMA = "export-file"
    format: str  # csv, xlsx, json or yaml
    output: str
    risks: int
    sheets: tuple[str, ...]  # xlsx: the workbook's sheets
