"""The only Rich importer: results become Rich views on a terminal, plain lines when piped, or JSON.

``emit`` is the one entry point: JSON comes from ``render.json`` (the result alone), every other
form from the view module of the result's family — ``risks`` (list, show, assumptions, explain),
``matrix`` (matrix, compare, moves), ``journal`` (history, recording, verify, prompts), ``watch``
(indicators, responses, scenarios), ``checks`` (validate, diff). Text safety and consoles are in
``console``, fitting and formats in ``layout``, the English in ``words``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from riskcli.render.streams import Out

if TYPE_CHECKING:
    from riskcli.render.layout import Key
    from riskcli.results.shapes.errors import ErrorInfo

# Result type → (view module, function); a module is imported only when its view is shown.
_VIEWS: dict[str, tuple[str, str]] = {
    "ListResult": ("risks", "list_view"),
    "ShowResult": ("risks", "show_view"),
    "AssumptionsResult": ("risks", "assumptions_view"),
    "ExplainResult": ("risks", "explain_view"),
    "MatrixResult": ("matrix", "matrix_view"),
    "CompareResult": ("matrix", "compare_view"),
    "HistoryResult": ("journal", "history_view"),
    "ScoreResult": ("journal", "score_view"),
    "ScoreAllResult": ("journal", "score_all_view"),
    "AssumeResult": ("journal", "assume_view"),
    "ObserveResult": ("journal", "observe_view"),
    "RespondResult": ("journal", "respond_view"),
    "UndoResult": ("journal", "undo_view"),
    "AdoptResult": ("journal", "adopt_view"),
    "VerifyResult": ("journal", "verify_view"),
    "IndicatorsResult": ("watch", "indicators_view"),
    "ResponsesResult": ("watch", "responses_view"),
    "ScenariosResult": ("watch", "scenarios_view"),
    "ValidateResult": ("checks", "validate_view"),
    "DiffResult": ("checks", "diff_view"),
    "SimulationResult": ("analysis", "simulate_view"),
    "SensitivityResult": ("analysis", "sensitivity_view"),
    "LintResult": ("analysis", "lint_view"),
    "AddResult": ("edit", "add_view"),
    "SetResult": ("edit", "set_view"),
    "ReportResult": ("report", "report_view"),
    "ImportResult": ("transfer", "import_view"),
    "ExportResult": ("transfer", "export_view"),
}


def emit(result: Any, out: Out, key: Key, *, json: bool = False, **options: Any) -> None:
    """Print a result: JSON for scripts, else its view (a Rich view on a terminal, plain when piped).

    Hypothetical what-if overrides are warned about on stderr in every form."""
    hyp = getattr(result, "hypothetical", None)
    if hyp is not None:
        from riskcli.render.words import hypothesis_label, override_text

        for o in hyp.overrides:
            out.warn(override_text(o))
        if not out.terminal and not json:  # on a terminal the banner heads the output already
            out.note(hypothesis_label(hyp, key))
    if json:
        from riskcli.render.json import write

        write(result, out.stdout)
        return
    module, function = _VIEWS[type(result).__name__]
    getattr(import_module(f"riskcli.render.{module}"), function)(result, out, key, **options)


def emit_error(info: ErrorInfo, out: Out, *, json: bool) -> None:
    """A failure: one ``error:`` line per problem, or (with --json) an error object on stderr."""
    if json:
        from riskcli.render.json import write
        from riskcli.results.shapes.errors import ErrorResult

        write(ErrorResult(error=info), out.stderr)
        return
    if info.problems:
        for p in info.problems:
            where = f"{p.file}:{p.line}:{p.col}: " if p.line is not None else ""
            out.error(where + p.message)
    else:
        out.error(info.message)


__all__ = ["emit", "emit_error"]
