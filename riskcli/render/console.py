"""Rich consoles made per command, and literal, bounded Rich text.

Register text reaches Rich only as a ``Text`` made by ``T`` — never a markup string — so
``[link=…]`` stays literal; it is cleaned and bounded first (``streams.clean``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.style import Style
from rich.text import Text

from riskcli.render.streams import LIMIT, Out, _is_terminal, _width, clean, quiet_stdout

__all__ = [
    "LIMIT",
    "Out",
    "T",
    "clean",
    "err_console",
    "make_console",
    "print_lines",
    "quiet_stdout",
    "std_console",
]


def T(text: object, style: str | Style = "", *, one_line: bool = False) -> Text:
    """A literal, cleaned and bounded Text: never parsed as markup."""
    return Text(clean(text, one_line=one_line, limit=LIMIT), style=style)


# --------------------------------------------------------------------------- consoles


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """A reader that stops early (``riskcli matrix | head``) is not an error: exit 0
        quietly, as the plain output of list does."""
        quiet_stdout()
        raise SystemExit(0)


class _RStripped:
    """A text stream that drops the spaces Rich pads lines with, for files and pipes."""

    def __init__(self, f: TextIO):
        self._f = f
        self._pending = ""

    def write(self, s: str) -> int:
        data = self._pending + s
        lines = data.split("\n")
        self._pending = lines.pop()
        if lines:
            self._f.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
        return len(s)

    def flush(self) -> None:
        if self._pending:
            self._f.write(self._pending.rstrip(" "))
            self._pending = ""
        self._f.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._f.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._f, "encoding", "utf-8") or "utf-8"


def make_console(stream: TextIO, terminal: bool) -> Console:
    """A console for one stream. NO_COLOR turns off every style, not just colour, so the output
    is plain text; highlighting and emoji codes are off: data is printed as it is."""
    plain = os.environ.get("NO_COLOR", "") != ""
    out = _Console(
        file=stream if terminal else _RStripped(stream),  # type: ignore[arg-type]
        color_system=None if plain else "auto",
        force_terminal=terminal,
        width=_width(terminal),
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    return out


def std_console(out: Out) -> Console:
    """The console of a command's data (stdout)."""
    return make_console(out.stdout, out.terminal)


def err_console(out: Out) -> Console:
    """The console of a command's messages (stderr), laid out for a terminal only when stderr is one."""
    return make_console(out.stderr, _is_terminal(out.stderr))


def print_lines(con: Console, lines: Sequence[Text]) -> None:
    """Lines that are never wrapped, printed at once: as plain text when the console has no
    colours (a pipe, NO_COLOR), else in one Rich print — ten thousand warnings cost one render,
    not ten thousand."""
    if not lines:
        return
    if con.color_system is None:
        try:
            con.file.write("".join(t.plain + "\n" for t in lines))
            con.file.flush()
        except BrokenPipeError:
            con.on_broken_pipe()
        return
    con.print(Text("\n").join(lines), soft_wrap=True)
