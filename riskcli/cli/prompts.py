"""Asking an analyst for a score at the terminal.

Every prompt behaves the same: Enter keeps the current value, ``q`` stops, and Ctrl-C or Ctrl-D
cancel (the line is ended and one word says so; nothing is recorded for the risk at hand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from riskcli.model import Level, Scale, UserError, Words
from riskcli.rules import Parsed, parse_level

if TYPE_CHECKING:
    from riskcli.render.streams import Out


class Cancelled(Exception):
    """Ctrl-C (exit 130) or Ctrl-D (exit 1) at a prompt."""

    def __init__(self, code: int):
        super().__init__("cancelled")
        self.code = code


class Quit(Exception):
    """``q`` at a prompt: stop, keeping what was recorded."""


def ask(out: Out, text: str, *, none_at_end: bool = False) -> str:
    """An answer; Ctrl-C cancels (130), and so does the end of input (1) unless ``none_at_end``:
    then it is an empty answer."""
    try:
        answer = out.prompt(text)
    except KeyboardInterrupt:
        out.stderr.write("\ncancelled\n")
        raise Cancelled(130) from None
    if answer is None:
        if none_at_end:
            out.stderr.write("\n")
            return ""
        out.stderr.write("\ncancelled\n")
        raise Cancelled(1)
    return answer


def _shown(levels: tuple[Level, ...], current: float) -> str:
    from riskcli.render.layout import fmt_level
    from riskcli.render.streams import clean

    shown = fmt_level(current)
    if abs(current - round(current)) < 1e-9 and 1 <= round(current) <= len(levels):
        shown += " " + clean(levels[round(current) - 1].name, one_line=True)
    return shown


def ask_level(out: Out, scale: Scale, words: Words, current: float) -> Parsed | None:
    """A level, asked until it parses; None when Enter keeps ``current``."""
    while True:
        answer = ask(out, f"{scale.kind.capitalize()} [{_shown(scale.levels, current)}]: ")
        if not answer.strip():
            return None
        if answer.strip().lower() in ("q", "quit"):
            raise Quit
        try:
            return parse_level(scale, words, answer)
        except UserError as e:
            out.error(str(e))


def ask_why(out: Out) -> str:
    """The reason, optional: piped answers that end before it give none (Ctrl-D at a terminal
    still cancels)."""
    import sys

    return ask(out, "Why (optional): ", none_at_end=not sys.stdin.isatty())
