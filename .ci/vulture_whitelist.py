# Names vulture reports as unused that riskcli does use: a library or reflection reads each one.
# Read by vulture with riskcli/ ([tool.vulture] in pyproject.toml), never run or imported. Commands
# are left out by their decorators (ignore_decorators): Typer calls them.
# ruff: noqa

__getattr__  # riskcli/cli/__init__.py: PEP 562, Python calls it for `riskcli.cli.app`

# Enum members reached by value (read from options, YAML or JSON, or written as JSON), never by name.
MD, HTML, SVG, JSON  # cli/report.py ReportFormat: --format md|html|svg|json
LOW, MODERATE  # model.Confidence: a register's `confidence: low`
EMPTY  # results/shapes/transfer.py ColumnUse, in import's JSON
UNKNOWN  # results/shapes/transfer.py FindingKind, in import's JSON schema
AVOID, REDUCE, TRANSFER  # model.Strategy: read from a register's treatment by value
PLANNED, IN_PROGRESS  # model.Progress: read from a response's progress by value

# Dataclass fields of the JSON contract: render.json writes every field (dataclasses.fields).
form  # results/shapes/watch.py IndicatorView
seen_ratio, absent_ratio  # scoring.Diagnosticity
low_probability, high_probability, point_probability  # simulate.Split

exc  # journal/appending.py Writer.__exit__(*exc): a context manager is given the exception
indentless  # register/write.py _Dumper.increase_indent: PyYAML passes it
descend_resolver, ascend_resolver  # register/source.py Loader: PyYAML's composer calls them
__call__  # perf.py _Compiler: run_compiled calls the active compiler
format_commands  # cli/app.py _Group: click's help formatting calls it (the commands by help panel)
source_template, format_completion  # cli/completion.py _Bash: Typer's completion reads and calls them (the bash script)
EVIDENCE_SAVED, LEDGER_SAVED, DECISION_SAVED, RESOLVED_SAVED  # journal/checkpoint.py: what a checkpoint saves, held to the classes by its tests

# Attributes set for the libraries that read them: ruamel.yaml's dumper, openpyxl's cells and
# sheets, Rich's table columns, expat's parser (register/workbook.py).
_.default_flow_style
_.font, _.alignment, _.border, _.freeze_panes
_.no_wrap, _.overflow, _.max_width, _.min_width, _.expand, _.caption, _.caption_justify
_.StartDoctypeDeclHandler, _.StartElementHandler, _.EndElementHandler, _.CharacterDataHandler
_.__repr__, _.__eq__, _.__hash__, _.__getstate__, _.__setstate__, _.__annotations__  # records.py: what Python and pickle call
_._field_type, _.__record__  # records.py: what dataclasses.fields reads; what marks a record (its bases' check)
_.__record_frozen__, _.__replace__  # records.py: read by a subclass's check (base.__dict__); copy.replace calls it (Python 3.13)
_.__class__  # perf.py maker: the probe's class set, to learn whether Python switches the two layouts
