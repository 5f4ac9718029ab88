"""The only Rich importer: results become Rich views on a terminal, plain lines when piped, or JSON.

``emit`` is the one entry point: JSON comes from ``render.json`` (the result alone), every other
form from the view ``view_for`` finds for the result's class. The views are registered below by
family, pairing each result class with its view function (mypy checks every pair), in the view
modules ``risks`` (list, show, assumptions, explain), ``matrix`` (matrix, compare), ``journal``
(history, recording, verify, prompts), ``watch`` (indicators, responses, scenarios), ``checks``
(validate, diff), ``analysis``, ``edit``, ``report`` and ``transfer``. Text safety and consoles are
in ``streams`` and ``console``, fitting and formats in ``layout``, the English in ``words``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from riskcli.render.streams import Out

if TYPE_CHECKING:
    from riskcli.render.layout import Key
    from riskcli.results.shapes.errors import ErrorInfo

R = TypeVar("R")


class Views:
    """The views of one family of results, by result class. ``add`` takes a class and a view of
    exactly that class, so mypy checks every pair."""

    def __init__(self) -> None:
        self.by_class: dict[type, Callable[..., None]] = {}

    def add(self, cls: type[R], view: Callable[[R, Out, Key], None]) -> Views:
        self.by_class[cls] = view
        return self


# One loader per family of results (a module of riskcli.results.shapes): a view module is imported
# only when one of its views is shown, and a family's result classes only once one of them exists.


def _risks() -> Views:
    from riskcli.render import risks as v
    from riskcli.results.shapes import risks as r

    return (
        Views()
        .add(r.ListResult, v.list_view)
        .add(r.ShowResult, v.show_view)
        .add(r.AssumptionsResult, v.assumptions_view)
        .add(r.ExplainResult, v.explain_view)
    )


def _matrix() -> Views:
    from riskcli.render import matrix as v
    from riskcli.results.shapes import matrix as r

    return Views().add(r.MatrixResult, v.matrix_view).add(r.CompareResult, v.compare_view)


def _events() -> Views:
    from riskcli.render import journal as v
    from riskcli.results.shapes import events as r

    return (
        Views()
        .add(r.HistoryResult, v.history_view)
        .add(r.ScoreResult, v.score_view)
        .add(r.ScoreAllResult, v.score_all_view)
        .add(r.AssumeResult, v.assume_view)
        .add(r.ObserveResult, v.observe_view)
        .add(r.RespondResult, v.respond_view)
        .add(r.ResolveResult, v.resolve_view)
        .add(r.UndoResult, v.undo_view)
        .add(r.AdoptResult, v.adopt_view)
        .add(r.VerifyResult, v.verify_view)
        .add(r.HeadResult, v.head_view)
    )


def _watch() -> Views:
    from riskcli.render import watch as v
    from riskcli.results.shapes import watch as r

    return (
        Views()
        .add(r.IndicatorsResult, v.indicators_view)
        .add(r.ResponsesResult, v.responses_view)
        .add(r.ScenariosResult, v.scenarios_view)
    )


def _checks() -> Views:
    from riskcli.render import checks as v
    from riskcli.results.shapes import checks as r

    return Views().add(r.ValidateResult, v.validate_view).add(r.DiffResult, v.diff_view)


def _analysis() -> Views:
    from riskcli.render import analysis as v
    from riskcli.results.shapes import analysis as r

    return (
        Views()
        .add(r.SimulationResult, v.simulate_view)
        .add(r.SensitivityResult, v.sensitivity_view)
        .add(r.LintResult, v.lint_view)
    )


def _edit() -> Views:
    from riskcli.render import edit as v
    from riskcli.results.shapes import edit as r

    return Views().add(r.AddResult, v.add_view).add(r.SetResult, v.set_view)


def _report() -> Views:
    from riskcli.render import report as v
    from riskcli.results.shapes import report as r

    return Views().add(r.ReportResult, v.report_view)


def _transfer() -> Views:
    from riskcli.render import transfer as v
    from riskcli.results.shapes import transfer as r

    return (
        Views()
        .add(r.ImportResult, v.import_view)
        .add(r.ExportResult, v.export_view)
        .add(r.RebaselineResult, v.rebaseline_view)
    )


def _decide() -> Views:
    from riskcli.render import decide as v
    from riskcli.results.shapes import decide as r

    return Views().add(r.DecisionResult, v.decision_view)


def _team() -> Views:
    from riskcli.render import team as v
    from riskcli.results.shapes import team as r

    return (
        Views()
        .add(r.DisagreementsResult, v.disagreements_view)
        .add(r.MergeResult, v.merge_view)
        .add(r.MergedVerifyResult, v.merged_verify_view)
    )


def _record() -> Views:
    from riskcli.render import record as v
    from riskcli.results.shapes import record as r

    return Views().add(r.CalibrationResult, v.calibration_view)


def _check() -> Views:
    from riskcli.render import check as v
    from riskcli.results.shapes import check as r

    return Views().add(r.CheckResult, v.check_view).add(r.OwnersResult, v.owners_view)


_FAMILIES: dict[str, Callable[[], Views]] = {
    "riskcli.results.shapes.risks": _risks,
    "riskcli.results.shapes.matrix": _matrix,
    "riskcli.results.shapes.events": _events,
    "riskcli.results.shapes.watch": _watch,
    "riskcli.results.shapes.checks": _checks,
    "riskcli.results.shapes.analysis": _analysis,
    "riskcli.results.shapes.edit": _edit,
    "riskcli.results.shapes.report": _report,
    "riskcli.results.shapes.transfer": _transfer,
    "riskcli.results.shapes.decide": _decide,
    "riskcli.results.shapes.team": _team,
    "riskcli.results.shapes.record": _record,
    "riskcli.results.shapes.check": _check,
}


def view_for(cls: type) -> Callable[..., None]:
    """The view of a result class (``TypeError`` for a class that has none)."""
    family = _FAMILIES.get(cls.__module__)
    view = family().by_class.get(cls) if family is not None else None
    if view is None:
        raise TypeError(f"no view shows a {cls.__qualname__}")
    return view


def emit(result: Any, out: Out, key: Key, *, json: bool = False, indent: bool = False, **options: Any) -> None:
    """Print a result: JSON for scripts (indented on a terminal or with ``indent``, else compact),
    else its view (a Rich view on a terminal, plain when piped).

    Hypothetical what-if overrides are warned about on stderr in every form; the HYPOTHETICAL
    label itself is the view's to print, once (JSON carries it as ``hypothetical``)."""
    hyp = getattr(result, "hypothetical", None)
    if hyp is not None:
        from riskcli.render.words import override_text

        for o in hyp.overrides:
            out.warn(override_text(o))
    if json:
        from riskcli.render.json import write

        write(result, out.stdout, indent=indent or out.terminal)
        return
    view_for(type(result))(result, out, key, **options)


def emit_error(info: ErrorInfo, out: Out, *, json: bool, indent: bool = False) -> None:
    """A failure: one ``error:`` line per problem, or (with --json) an error object on stderr
    (indented when stderr is a terminal, or with ``indent``)."""
    if json:
        from riskcli.render.json import write
        from riskcli.render.streams import _is_terminal
        from riskcli.results.shapes.errors import ErrorResult

        write(ErrorResult(error=info), out.stderr, indent=indent or _is_terminal(out.stderr))
        return
    if info.problems:
        for p in info.problems:
            where = f"{p.file}:{p.line}:{p.col}: " if p.line is not None else ""
            out.error(where + p.message)
    else:
        out.error(info.message)


__all__ = ["Views", "emit", "emit_error", "view_for"]
