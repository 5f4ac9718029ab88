"""Shell completion of ids: the risks, assumptions, indicators, responses and scenarios of the
register given with --register (or RISKCLI_REGISTER), else the embedded one — read cheaply (no
validation, no journal); of the values that follow them (an observation's outcome, a belief, a
what-if move: words of the register's rules); and never an error: a register that cannot be read
completes nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer import _completion_classes, _completion_shared  # the bash script: see use_riskcli_bash

if TYPE_CHECKING:
    from typer._completion_classes import CompletionItem  # type: ignore[attr-defined]

    from riskcli.model import Register

_UNSAFE = re.compile(r"[^\w .,-]+")


def _register(ctx: typer.Context) -> Path | None:
    value = ctx.find_root().params.get("register") or os.environ.get("RISKCLI_REGISTER")
    return Path(value) if value else None


def _help(text: str) -> str:
    """Help a shell shows beside a value (zsh and fish evaluate it): only letters, digits, spaces
    and . , - reach it."""
    return " ".join(_UNSAFE.sub(" ", text).split())[:60]


def _loaded(ctx: typer.Context) -> Register | None:
    """The register in use, validated with its rules (--rules); None if it cannot be read."""
    from riskcli.model import RiskcliError
    from riskcli.register import load

    rules = ctx.find_root().params.get("rules") or os.environ.get("RISKCLI_RULES")
    try:
        return load(_register(ctx), rules or None)
    except (RiskcliError, OSError):
        return None


def _ids(ctx: typer.Context, incomplete: str, sections: tuple[str, ...]) -> list[tuple[str, str]]:
    from riskcli.model import RiskcliError
    from riskcli.register import edit, embedded_register_path

    try:
        path = _register(ctx) or embedded_register_path()
    except RiskcliError:
        return []
    key = incomplete.lower()
    out = []
    for section in sections:
        for ident, title in edit.item_ids(path, section):
            if ident.lower().startswith(key):
                # The title is help text a shell shows beside the id (zsh and fish evaluate it):
                # only letters, digits, spaces and . , - reach it.
                out.append((ident, _help(title)))
    return out


def complete_risks(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("risks",))


def complete_assumptions(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("assumptions",))


def complete_indicators(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("indicators",))


def complete_responses(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("responses",))


def complete_items(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("risks", "assumptions", "indicators", "responses"))


def complete_scenarios(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("scenarios",))


def complete_outcomes(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """What watching an indicator found."""
    found = [("seen", "observed (the default)"), ("absent", "looked for and not seen")]
    return [(word, text) for word, text in found if word.startswith(incomplete.lower())]


def complete_resolvable(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("risks", "assumptions"))


def complete_resolutions(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """What happened: to a risk, or to an assumption."""
    found = [
        ("occurred", "a risk happened"),
        ("did-not-occur", "a risk settled without happening"),
        ("held", "an assumption held"),
        ("failed", "an assumption failed"),
    ]
    return [(word, text) for word, text in found if word.startswith(incomplete.lower())]


def _belief_words(reg: Register) -> list[tuple[str, str]]:
    """The beliefs the register's rules understand: its belief words, then the ICD 203 phrases,
    their words joined by hyphens (as riskcli reads them) so that each stays one word in a shell."""
    words = reg.rules.words
    out = [(word, f"{b:.2f}") for word, b in words.beliefs]
    for group in words.icd203:
        meaning = f"{group.midpoint:g}, ICD 203 {group.low:g} to {group.high:g}"
        out += [("-".join(p.split()), meaning) for p in group.phrases]
    return out


def complete_beliefs(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    reg = _loaded(ctx)
    if reg is None:
        return []
    return [(word, text) for word, text in _belief_words(reg) if word.lower().startswith(incomplete.lower())]


def complete_moves(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """What-if moves: an assumption with each belief word (A2=fails), an indicator observed (I3)
    or, for a signpost, looked for and not seen (I3=absent), a response applied (M1) or withdrawn."""
    reg = _loaded(ctx)
    if reg is None:
        return []
    words = [w for w, _ in reg.rules.words.beliefs]
    moves: list[tuple[str, str]] = []
    for a in reg.assumptions:
        moves += [(f"{a.id}={w}", _help(a.statement)) for w in words]
    for i in reg.indicators:
        moves.append((i.id, _help(f"observed: {i.title}")))
        if i.is_evidence:
            moves.append((f"{i.id}=absent", _help(f"not seen: {i.title}")))
    for m in reg.responses:
        moves += [(m.id, _help(f"applied: {m.title}")), (f"{m.id}=withdrawn", _help(f"withdrawn: {m.title}"))]
    key = incomplete.lower()
    return [(move, text) for move, text in moves if move.lower().startswith(key)]


# bash: riskcli's words, and file names only where a path is asked for. Typer's script registers
# `complete -o default`, so bash offers file names wherever riskcli offers nothing (after an
# indicator's id, a belief's, any word riskcli does not know). This one hears from riskcli each
# completion's type, as click's own bash script does: `plain` words are offered, and only a
# `file` or `dir` (a path option or argument) turns on bash's file or directory names.
BASH_SCRIPT = r"""
%(complete_func)s() {
    local IFS=$'\n'
    local response completion kind value
    response=$(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD %(autocomplete_var)s=complete_bash $1)
    COMPREPLY=()
    for completion in $response; do
        IFS=',' read -r kind value <<< "$completion"
        case $kind in
            plain) COMPREPLY+=("$value") ;;
            file) compopt -o default ;;
            dir) compopt -o dirnames ;;
        esac
    done
    return 0
}

complete -F %(complete_func)s %(prog_name)s
"""


class _Bash(_completion_classes.BashComplete):
    source_template = BASH_SCRIPT

    def get_completions(self, args: list[str], incomplete: str) -> list[CompletionItem]:
        _files_where_paths(self.cli)
        return super().get_completions(args, incomplete)

    def format_completion(self, item: CompletionItem) -> str:
        return f"{item.type},{item.value}"


def _files_where_paths(command: Any) -> None:
    """Every path parameter (a ``Path`` option or argument) of the command and its subcommands
    answers "file names", where Typer answers nothing and leaves it to ``complete -o default``."""
    for param in command.params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and descriptor.is_path and param._custom_shell_complete is None:
            param._custom_shell_complete = _file_names
    for sub in getattr(command, "commands", {}).values():
        _files_where_paths(sub)


def _file_names(ctx: Any, param: Any, incomplete: str) -> list[CompletionItem]:
    return [_completion_classes.CompletionItem(incomplete, type="file")]  # type: ignore[attr-defined]


def use_riskcli_bash() -> None:
    """riskcli's bash script and protocol, for the completion it answers and the script
    ``--show-completion`` prints and ``--install-completion`` installs. Typer registers its own
    each time it builds the app, so this runs after that, as riskcli starts. Typer offers no
    public way to do it: a test runs bash with the script (tests/test_completion.py)."""
    _completion_shared._completion_scripts["bash"] = BASH_SCRIPT
    _completion_classes.add_completion_class(_Bash, _Bash.name)  # type: ignore[attr-defined]
