"""The only Typer importer: the app (``app``), its commands, and the console-script entry point.

Importing this package imports no command: ``main`` imports only the module of the command it
runs (``app.COMMANDS``). ``riskcli.cli.app`` is the whole app, every command registered.
"""

from typing import Any

from riskcli.cli.app import main

__all__ = ["app", "main"]

# Importing riskcli.cli.app above bound the package's ``app`` to that module; the name is the
# Typer app here (as ``from riskcli.cli import app`` expects), made whole on first use.
del app  # type: ignore[name-defined]  # noqa: F821


def __getattr__(name: str) -> Any:
    if name == "app":
        from riskcli.cli.app import whole_app

        return whole_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
