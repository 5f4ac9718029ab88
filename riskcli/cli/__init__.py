"""The only Typer importer: the app (``app``), its commands, and the console-script entry point."""

from riskcli.cli import analysis, edit, files, read, record, report, transfer, watch
from riskcli.cli.app import app, main

__all__ = ["analysis", "app", "edit", "files", "main", "read", "record", "report", "transfer", "watch"]
