"""The only YAML reader: registers and rules files, validated completely, with line numbers.

``source`` reads text and composes YAML nodes; ``walker`` validates nodes with locations;
``rules_formats`` reads scales, ratings and words (riskcli's own format or a CISO Assistant
matrix); ``sections`` reads a register's sections into the model; ``companions`` handles the
files that travel with a register; ``cache`` keeps validated registers. ``load`` (the cache's)
imports YAML only when a register has to be read: the rest is imported on first use.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from riskcli.register.cache import load
from riskcli.register.source import EMBEDDED, data_dir, default_rules_path, embedded_register_path

if TYPE_CHECKING:
    from riskcli.register.companions import evidence_warnings, source_text, write_starter
    from riskcli.register.rules_formats import default_rules, load_rules_file

__all__ = [
    "EMBEDDED",
    "data_dir",
    "default_rules",
    "default_rules_path",
    "embedded_register_path",
    "evidence_warnings",
    "load",
    "load_rules_file",
    "source_text",
    "write_starter",
]

_LATER = {
    "evidence_warnings": "companions",
    "source_text": "companions",
    "write_starter": "companions",
    "default_rules": "rules_formats",
    "load_rules_file": "rules_formats",
}


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"riskcli.register.{module}"), name)
