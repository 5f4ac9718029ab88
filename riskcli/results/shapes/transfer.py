"""Results of import and export: a spreadsheet read into a register, and a register written out."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from riskcli.model import Confidence, Status, Strategy
from riskcli.rebaseline import NotCarried
from riskcli.records import frozen
from riskcli.results.shapes.common import Cell, Output, RegisterInfo, ResolvedView, Score
from riskcli.results.shapes.events import EventView
from riskcli.results.shapes.matrix import Grid

# --------------------------------------------------------------------------- the export's columns

# The columns of an exported table (CSV and the workbook's risks sheet), before the risks' extra
# fields. ``likelihood`` and ``impact`` are the current cells, so that an export imports back as a
# register of the current state; the COMPUTED columns, all together, say a table is riskcli's own
# export, and import does not read its scores back (its ratings it reads, as any sheet's, and gives
# them back); the inherent ones appear when responses are applied.
EXPORT_COLUMNS = (
    "id", "title", "category", "owner", "status", "treatment", "review by", "actors", "likelihood", "impact", "rating",
    "score", "rank", "confidence", "baseline likelihood", "baseline impact",
)  # fmt: skip
INHERENT_COLUMNS = ("inherent likelihood", "inherent impact", "inherent rating")
# A register's own stated assessments (from a sheet), written when a risk has one; import reads them back.
STATED_COLUMNS = (
    "stated inherent likelihood", "stated inherent impact", "stated residual likelihood", "stated residual impact",
)  # fmt: skip
# ``score`` is the product of the cells, as a spreadsheet's own =L*I gives it; where a risk's current
# levels are not whole, these give them unrounded, with their product (what ``rank`` orders by).
UNROUNDED_COLUMNS = ("unrounded likelihood", "unrounded impact", "unrounded score")
TEXT_COLUMNS = ("description", "rationale", "evidence")
# Written after ``status`` when a risk is resolved: what happened, and on what day ("occurred on
# 2026-12-01"). A resolved risk's status is written as closed (unless it is retired), so that import
# reads it back out of the live views; import keeps this column's text under the risk's ``extra:``.
OUTCOME_COLUMN = "outcome"
COMPUTED = ("rating", "score", "rank", "baseline likelihood", "baseline impact")
EXTRA_PREFIX = "extra."  # an extra field whose name is one of the columns above is written as extra.NAME


# --------------------------------------------------------------------------- import


class ColumnUse(StrEnum):
    """How import used a column."""

    MAPPED = "mapped"  # named with --map (or --rating-column)
    GUESSED = "guessed"  # found by its header
    EXTRA = "extra"  # kept under each risk's ``extra:``
    COMPUTED = "computed"  # a score riskcli's own export computed (score, rank, …): not read back
    EMPTY = "empty"  # no header and no value


@frozen
class ColumnView:
    column: str  # the spreadsheet's letter: A, B, …
    header: str
    # What it fills: a field (id, title, owner, …), likelihood, impact or rating, or an other
    # assessment's ("inherent likelihood", "residual rating"); None unless mapped or guessed
    field: str | None
    use: ColumnUse
    also: str | None  # a field it looks like too, taken by another column
    date: bool  # a column of dates (kept under extra), read for the register's as_of


class SkipReason(StrEnum):
    """Why a row of the sheet is not a risk (rows with a bad cell are problems instead)."""

    BANNER = "banner"  # above the header: a title, an owner, a date
    BLANK = "blank"
    HEADING = "heading"  # one cell among the risks, outside the title column: a section's name
    FOOTER = "footer"  # a total, a count, a note under the table
    BELOW = "below"  # under an "end of register" or a note: no longer the table


@frozen
class SkippedRow:
    row: int
    reason: SkipReason
    text: str  # what the row says, its cells joined (shortened)


@frozen
class RowProblem:
    """A cell import could not use: its row is left out (``--strict``: nothing is written)."""

    row: int  # as the spreadsheet numbers it (the header is a row too)
    column: str | None  # the spreadsheet's letter
    header: str | None
    field: str | None
    value: str | None  # the cell as the sheet has it
    message: str


@frozen
class AssignedId:
    row: int
    id: str


class ScaleSource(StrEnum):
    """Where an axis's scale comes from."""

    RULES = "rules"  # riskcli's, or the --rules file's
    NAMED = "named"  # the sheet's own level names ("3 - Credible"), over riskcli's scale
    VERBAL = "verbal"  # a verbal scale the sheet writes in (Low, Medium, High)
    NUMBERED = "numbered"  # as many levels as its header says ("Likelihood (1-4)"), numbered
    EXPORTED = "exported"  # the Scales sheet of riskcli's own workbook: the register's scale, exported


@frozen
class ScaleView:
    axis: str  # likelihood or impact
    source: ScaleSource
    levels: tuple[str, ...]  # the level names, level 1 first


class SchemeSource(StrEnum):
    """Where the imported register's rating grid comes from."""

    RULES = "rules"  # riskcli's or the --rules file's; the sheet has no ratings
    AGREES = "agrees"  # riskcli's: every rating in the sheet is the one its grid gives
    IMPOSED = "imposed"  # --rules: ratings that disagree are listed
    LEARNED = "learned"  # the sheet's own scheme, learned from its rated rows


class FindingKind(StrEnum):
    """A published rating the imported register does not give back, or gives back out of order."""

    CONTRADICTS = "contradicts"  # another row in the same cell has another rating (most rows win)
    NOT_MONOTONE = "not-monotone"  # rated below a cell that is no more likely nor severe (kept)
    DISAGREES = "disagrees"  # the --rules give the cell another band
    UNKNOWN = "unknown"  # no band of the --rules has this name


@frozen
class RatingFinding:
    row: int
    column: str  # the rating's column
    assessment: str  # inherent, current or residual
    cell: Cell  # where its levels place it
    rating: str  # as the sheet has it
    kind: FindingKind
    expected: str | None  # the band the register gives the cell (not-monotone: the other row's)
    other_row: int | None  # the row it conflicts with


@frozen
class SchemeBand:
    id: str
    name: str
    color: str
    rows: int  # rated rows that gave it


@frozen
class Scheme:
    """The imported register's rating scheme: its bands, and — learned from the sheet — the cells
    no row determines (inferred), and every published rating not given back or out of order."""

    source: SchemeSource
    columns: tuple[str, ...]  # the rating columns read
    bands: tuple[SchemeBand, ...]
    inferred: tuple[Cell, ...]  # cells of a learned grid that no row determines
    findings: tuple[RatingFinding, ...]


class AsOfSource(StrEnum):
    GIVEN = "given"  # --as-of
    COLUMN = "column"  # the newest date in a column of dates
    BANNER = "banner"  # a date above the table ("Last updated: …")
    TODAY = "today"  # no date found


@frozen
class AsOfView:
    date: str
    source: AsOfSource
    row: int | None
    column: str | None
    note: str | None  # why it is today


@frozen(kw_only=True)
class ImportResult:
    """A CSV or XLSX table read into a register: where the table is, how each column was used, the
    scales and rating scheme it carries, the rows that are not risks, the ids riskcli gave, and
    every bad cell (its row left out; with ``--strict``, nothing written)."""

    SCHEMA: ClassVar[str] = "import"
    # 2: partial imports, the table found, scales and scheme kept; 3: unassessed; 4: what an export did not
    # hold, and the scales of riskcli's own workbook
    SCHEMA_VERSION: ClassVar[int] = 4
    source: str  # the file read
    format: str  # csv or xlsx
    sheet: str | None  # the worksheet read (xlsx)
    delimiter: str | None  # the separator found (csv)
    header_row: int
    group_row: int | None  # a row of group labels over the header ("Inherent risk"), read with it
    header_found: bool  # given with --header-row or found by its column names (else the first row: a guess)
    rows: int  # rows of risks read (blank, heading and footer rows aside)
    columns: tuple[ColumnView, ...]
    skipped: tuple[SkippedRow, ...]  # rows that are not risks
    assigned: tuple[AssignedId, ...]  # ids riskcli gave (no id column, or a blank cell)
    problems: tuple[RowProblem, ...]  # bad cells: their rows are left out
    imported: int  # risks in the register, assessed
    unassessed: tuple[str, ...]  # risks in it not yet assessed (a level N/A, TBD, - or empty): never plotted
    scales: tuple[ScaleView, ...]
    scheme: Scheme
    as_of: AsOfView
    strict: bool
    ok: bool  # every row of risks imported and every published rating given back
    output: str | None  # the register file written; None when printed (or when nothing is written)
    register: RegisterInfo | None  # the register written, read back and valid
    yaml: str | None  # the register's text, when it was not written to a file
    # riskcli's own export (its computed columns): what of the register exported the table does not hold
    # and no option gave — "title", "as_of", "scales" (their level names): the register has its own
    not_held: tuple[str, ...] = ()


# --------------------------------------------------------------------------- export


@frozen
class ExportRisk:
    rank: int | None  # by the current score, highest first, among the live risks (None: resolved, closed, retired)
    id: str
    title: str
    category: str | None
    owner: str | None  # with the journal's decisions applied
    status: Status  # likewise (derived where the register gives none)
    treatment: Strategy | None  # likewise
    review_by: str | None  # likewise: the day the next review is due
    actors: tuple[str, ...]
    confidence: Confidence | None
    baseline: Cell
    current: Score  # with the journal replayed: the residual score when responses are applied
    inherent: Score | None  # as if no response were applied; None when none is
    description: str | None
    rationale: str | None
    evidence: str | None
    extra: dict[str, str | int | float]
    stated: StatedView  # the inherent and residual assessments the register states (from a sheet)
    resolution: ResolvedView | None  # what happened to it, once resolved (it is out of the matrix); None: live


@frozen
class Levels:
    """An assessment as stated: a level None where it is not assessed."""

    likelihood: int | None
    impact: int | None


@frozen
class StatedView:
    inherent: Levels | None  # before any control
    residual: Levels | None  # after the planned treatment


@frozen
class ExportUnassessed:
    """A risk the register names but has not assessed: no score, no rank, no cell."""

    id: str
    title: str
    category: str | None
    owner: str | None
    status: Status  # as the register gives it, else derived
    treatment: Strategy | None
    review_by: str | None
    actors: tuple[str, ...]
    confidence: Confidence | None
    levels: Levels  # the one level given, if any
    description: str | None
    rationale: str | None
    evidence: str | None
    extra: dict[str, str | int | float]
    stated: StatedView


@frozen(kw_only=True)
class ExportData(Output):
    """The register's risks with their current scores, those not yet assessed, the current matrix
    and — when responses are applied — the inherent one: what ``export`` writes as CSV, XLSX or JSON."""

    SCHEMA = "export"
    # 2: opportunities counted apart; each risk's chances. 3: risks not yet assessed, stated assessments.
    # 4: each risk's status. 5: its treatment and next review. 6: each risk's resolution; the matrices
    # of the live risks only. 7: a rank for the live risks alone (null for a resolved, closed or retired one)
    SCHEMA_VERSION = 7
    applied: tuple[str, ...]  # responses applied in the current state
    risks: tuple[ExportRisk, ...]  # every risk, in register order (resolved, closed and retired ones too)
    unassessed: tuple[ExportUnassessed, ...]  # in register order, after the risks
    # the current matrix (residual, when responses are applied) of the live risks: no resolved,
    # closed or retired risk, as ``matrix`` shows it
    matrix: Grid
    inherent: Grid | None  # with no response applied, of the same risks; None when none is


@frozen
class SourceCarried:
    """The source text of a register written elsewhere (export --format yaml, rebaseline): what its
    ``source.file`` says, relative to the new file's folder, the only place a register reads it."""

    file: str  # source.file as written in the new file; empty: left out (the embedded register's own text)
    was: str  # source.file as the register read gave it
    text: str  # the source text that register named (its path; empty: the embedded register's)
    beside: bool  # it is in the new file's folder (or below); else copy it to ``file`` there


@frozen(kw_only=True)
class ExportResult(Output):
    """A register exported to a file."""

    SCHEMA = "export-file"
    SCHEMA_VERSION = 3  # 2: the risks not yet assessed, counted apart; 3: where its source text is
    format: str  # csv, xlsx, json or yaml
    output: str
    risks: int  # assessed
    unassessed: int  # rows for risks not yet assessed, written too
    sheets: tuple[str, ...]  # xlsx: the workbook's sheets
    source: SourceCarried | None  # yaml: the source text the register names; None: none, or another format


# --------------------------------------------------------------------------- rebaseline


@frozen(kw_only=True)
class RebaselineResult(Output):
    """A register written with the journal's current state as its baseline, and the step recorded
    in the journal (``event``): the new register's identity, what it holds otherwise than the state."""

    SCHEMA = "rebaseline"
    SCHEMA_VERSION = 3  # 2: where its source text is; a risk's last review among what is not carried; 3: a coherence
    # warning the new register gives that the old did not (finding)
    output: str
    identity: str  # the new register's id
    journal: str  # the journal the step is recorded in (the history the new register may adopt)
    new_journal: str  # the new register's own journal, beside it: a copy of ``journal`` adopted there keeps both
    event: EventView
    sha256: str  # the digest of the file written
    risks: int
    assumptions: int
    not_carried: tuple[NotCarried, ...]
    source: SourceCarried | None  # the source text the register names; None: it names none
