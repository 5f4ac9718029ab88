"""The only Typer importer: the app (``riskcli.cli.app``), its commands, and the console script.

Importing this package imports no command: ``main`` imports only the module of the command it
runs (``app.COMMANDS``); ``app.whole_app()`` is the app with every command registered.
"""

__all__ = ["main"]


def main() -> None:
    """Console-script entry point: riskcli's classes are made from code compiled by an earlier
    run (``perf.compiled_code``), and only the command run is imported and built."""
    from riskcli.perf import compiled_code

    with compiled_code():
        from riskcli.cli.app import main as run

        run()
