"""The only Rich importer: results become Rich views on a terminal, plain lines when piped, or JSON.

``emit`` is the one entry point: JSON comes from ``render.json`` (the result alone), every other
form from the view module of the result's family — ``risks`` (list, show, assumptions, explain),
``matrix`` (matrix, compare, moves), ``journal`` (history, recording, verify, prompts), ``watch``
(indicators, responses, scenarios), ``checks`` (validate, diff). Text safety and consoles are in
``console``, fitting and formats in ``layout``, the English in ``words``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from riskcli.render import checks, journal, matrix, risks, watch
from riskcli.render import json as json_
from riskcli.render.console import Out, clean
from riskcli.render.layout import Key
from riskcli.results import types as t

_VIEWS: dict[type, Callable[..., None]] = {
    t.ListResult: risks.list_view,
    t.ShowResult: risks.show_view,
    t.AssumptionsResult: risks.assumptions_view,
    t.ExplainResult: risks.explain_view,
    t.MatrixResult: matrix.matrix_view,
    t.CompareResult: matrix.compare_view,
    t.HistoryResult: journal.history_view,
    t.ScoreResult: journal.score_view,
    t.ScoreAllResult: journal.score_all_view,
    t.AssumeResult: journal.assume_view,
    t.ObserveResult: journal.observe_view,
    t.RespondResult: journal.respond_view,
    t.UndoResult: journal.undo_view,
    t.AdoptResult: journal.adopt_view,
    t.VerifyResult: journal.verify_view,
    t.IndicatorsResult: watch.indicators_view,
    t.ResponsesResult: watch.responses_view,
    t.ScenariosResult: watch.scenarios_view,
    t.ValidateResult: checks.validate_view,
    t.DiffResult: checks.diff_view,
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
        json_.write(result, out.stdout)
        return
    _VIEWS[type(result)](result, out, key, **options)


def emit_error(info: t.ErrorInfo, out: Out, *, json: bool) -> None:
    """A failure: one ``error:`` line per problem, or (with --json) an error object on stderr."""
    if json:
        json_.write(t.ErrorResult(error=info), out.stderr)
        return
    if info.problems:
        for p in info.problems:
            where = f"{p.file}:{p.line}:{p.col}: " if p.line is not None else ""
            out.error(where + p.message)
    else:
        out.error(info.message)


__all__ = ["Key", "Out", "clean", "emit", "emit_error", "journal"]
