"""The only YAML reader: registers and rules files, validated completely, with line numbers.

``source`` reads text and composes YAML nodes; ``walker`` validates nodes with locations;
``rules_formats`` reads scales, ratings and words (riskcli's own format or a CISO Assistant
matrix); ``sections`` reads a register's sections into the model; ``companions`` handles the
files that travel with a register.
"""

from riskcli.register.companions import evidence_warnings, source_text, write_starter
from riskcli.register.rules_formats import default_rules, load_rules_file
from riskcli.register.sections import load
from riskcli.register.source import EMBEDDED, data_dir, default_rules_path, embedded_register_path

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
