"""Asking an analyst for a score, a confidence or a belief at the terminal.

Every prompt behaves the same: Enter keeps the current value (or, for what is optional, gives
none), ``q`` stops, and Ctrl-C or Ctrl-D cancel (the line is ended and one word says so; nothing
is recorded for the item at hand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from riskcli.model import Confidence, Level, Scale, UserError, Words
from riskcli.rules import Parsed, parse_belief, parse_level

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


def ask_confidence(out: Out) -> Confidence | None:
    """Your analytic confidence (ICD 203), optional: None when Enter skips it (or piped answers
    end before it)."""
    import sys

    words = ", ".join(c.value for c in Confidence)
    while True:
        answer = ask(out, f"Confidence (ICD 203: {words}; Enter skips): ", none_at_end=not sys.stdin.isatty())
        said = answer.strip().lower()
        if not said:
            return None
        if said in ("q", "quit"):
            raise Quit
        try:
            return Confidence(said)
        except ValueError:
            out.error(f"confidence {answer.strip()!r} is not understood; give {words}, or Enter to skip")


def ask_belief(out: Out, words: Words, current: float) -> str | None:
    """A belief, asked until it parses (the answer as typed, for the journal to keep); None when
    Enter keeps ``current``."""
    while True:
        answer = ask(out, f"Belief [{current:.2f}]: ")
        if not answer.strip():
            return None
        if answer.strip().lower() in ("q", "quit"):
            raise Quit
        try:
            parse_belief(words, answer)
        except UserError as e:
            out.error(str(e))
            continue
        return answer.strip()


def ask_why(out: Out) -> str:
    """The reason, optional: piped answers that end before it give none (Ctrl-D at a terminal
    still cancels)."""
    import sys

    return ask(out, "Why (optional): ", none_at_end=not sys.stdin.isatty())
