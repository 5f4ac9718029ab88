"""Editing a register file from the terminal: add risk|assumption|indicator|response, and set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from riskcli.cli.app import GLOBAL_HELP, JsonOpt, app, command, request
from riskcli.cli.completion import complete_items

if TYPE_CHECKING:
    from riskcli.results.shapes.edit import ItemKind

EDIT_NOTE = (
    "The register file given with --register (or RISKCLI_REGISTER) is changed in place: its comments, "
    "order and layout stay as they were outside the new item, and the result is checked by riskcli's "
    "loader before the file is replaced (nothing is written if it would not validate). The embedded "
    "register is read-only: start your own with 'riskcli init mine.yaml'."
)

add_app = typer.Typer(
    name="add",
    help="Add a risk, assumption, indicator or response to a register file.\n\n" + EDIT_NOTE,
    epilog=GLOBAL_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(add_app)


def _opt(*names: str, metavar: str, help: str) -> Any:
    return typer.Option(*names, metavar=metavar, help=help, show_default=False)


IdOpt = Annotated[str | None, _opt("--id", metavar="ID", help="Its id (default: the next free number, e.g. R19).")]
TitleOpt = Annotated[str, _opt("--title", "-t", metavar="TEXT", help="Its title.")]
EvidenceOpt = Annotated[str | None, _opt("--evidence", metavar="TEXT", help="A verbatim quote from your source.")]
DescriptionOpt = Annotated[str | None, _opt("--description", metavar="TEXT", help="Longer text.")]
ActorOpt = Annotated[list[str] | None, _opt("--actor", metavar="ID", help="An actor who bears it (repeatable).")]


def _add(ctx: typer.Context, kind: ItemKind, given: dict[str, Any], item_id: str | None, json_: bool) -> None:
    from riskcli.render import emit
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results import edit

    request(ctx).refuse_as_of("add", records=False)
    result, reg = edit.add(request(ctx), kind, given, item_id)
    emit(result, Out.open(), Key.of(reg.rules, reg.assumptions), json=json_, indent=request(ctx).indent)


@add_app.command("risk", epilog=GLOBAL_HELP)
def add_risk(
    ctx: typer.Context,
    title: TitleOpt,
    likelihood: Annotated[
        str,
        _opt(
            "--likelihood",
            "-l",
            metavar="LEVEL",
            help="Baseline likelihood: 1–5, a level name, an ICD 203 phrase or a probability.",
        ),
    ],
    impact: Annotated[str, _opt("--impact", "-i", metavar="LEVEL", help="Baseline impact: 1–5 or a level name.")],
    item_id: IdOpt = None,
    category: Annotated[str | None, _opt("--category", metavar="TEXT", help="Its category.")] = None,
    actor: ActorOpt = None,
    owner: Annotated[str | None, _opt("--owner", metavar="NAME", help="Who owns it.")] = None,
    confidence: Annotated[
        str | None, _opt("--confidence", metavar="low|moderate|high", help="ICD 203 analytic confidence.")
    ] = None,
    driver: Annotated[
        list[str] | None,
        _opt(
            "--driver",
            metavar="A:HOLDS/FAILS",
            help="An assumption it rests on and the shift if it holds / fails: A2:+1/-1 (likelihood steps), "
            "A2:L+1,I+1/L-1 (repeatable).",
        ),
    ] = None,
    description: DescriptionOpt = None,
    rationale: Annotated[str | None, _opt("--rationale", metavar="TEXT", help="Why these levels.")] = None,
    evidence: EvidenceOpt = None,
    status: Annotated[
        str | None, _opt("--status", metavar="STATUS", help="open, treated, accepted, closed or retired.")
    ] = None,
    treatment: Annotated[
        str | None, _opt("--treatment", metavar="HOW", help="avoid, reduce, transfer or accept.")
    ] = None,
    review_every: Annotated[
        str | None, _opt("--review-every", metavar="DAYS", help="Days between reviews of the risk.")
    ] = None,
    review_by: Annotated[
        str | None, _opt("--review-by", metavar="DATE", help="When its next review is due (YYYY-MM-DD).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a risk to the register file, with its baseline likelihood and impact.

    The levels written to the register are the risk's baseline — the assessment as of the
    register's as_of date. Your judgement of where it stands now is 'riskcli score' (kept in the
    journal, with your reasons), not an edit of the register. Levels are read as everywhere in
    riskcli, and riskcli echoes what it understood.

    Examples:

    \b
      riskcli add risk --register mine.yaml --title "Supplier fails" -l likely -i major
      riskcli add risk -r mine.yaml -t "Port strike" -l 30% -i 3 --category logistics --driver A1:+1/-1
      riskcli add risk -r mine.yaml --id R9 -t "Key engineer leaves" -l 2 -i 3 --owner alice --json
    """
    from riskcli.results.shapes.edit import ItemKind

    given: dict[str, Any] = {
        "title": title,
        "likelihood": likelihood,
        "impact": impact,
        "category": category,
        "actors": actor or [],
        "owner": owner,
        "confidence": confidence,
        "drivers": driver or [],
        "description": description,
        "rationale": rationale,
        "evidence": evidence,
        "status": status,
        "treatment": treatment,
        "review_every": review_every,
        "review_by": review_by,
    }
    _add(ctx, ItemKind.RISK, given, item_id, json_)


@add_app.command("assumption", epilog=GLOBAL_HELP)
def add_assumption(
    ctx: typer.Context,
    statement: Annotated[str, _opt("--statement", "-s", metavar="TEXT", help="What is assumed to hold.")],
    belief: Annotated[
        str,
        _opt(
            "--belief",
            "-b",
            metavar="BELIEF",
            help="Baseline belief that it holds: 0..1, 70%, holds/fails/uncertain, an ICD 203 phrase.",
        ),
    ],
    item_id: IdOpt = None,
    support: Annotated[
        str | None,
        _opt(
            "--support",
            metavar="solid|caveated|unsupported",
            help="The Key Assumptions Check's judgement of its evidence.",
        ),
    ] = None,
    rationale: Annotated[str | None, _opt("--rationale", metavar="TEXT", help="Why this belief.")] = None,
    evidence: EvidenceOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Add an assumption to the register file, with its baseline belief.

    The belief written is the baseline; to record that your belief has changed since, use
    'riskcli assume' (kept in the journal, with your reasons).

    Examples:

    \b
      riskcli add assumption -r mine.yaml --statement "The supplier keeps delivering" --belief likely
      riskcli add assumption -r mine.yaml -s "Prices stay flat" -b 70% --support caveated
    """
    from riskcli.results.shapes.edit import ItemKind

    given = {"statement": statement, "belief": belief, "support": support, "rationale": rationale, "evidence": evidence}
    _add(ctx, ItemKind.ASSUMPTION, given, item_id, json_)


@add_app.command("indicator", epilog=GLOBAL_HELP)
def add_indicator(
    ctx: typer.Context,
    title: TitleOpt,
    item_id: IdOpt = None,
    watch: Annotated[str | None, _opt("--watch", metavar="TEXT", help="What exactly to look for.")] = None,
    bears_on: Annotated[
        list[str] | None,
        _opt(
            "--bears-on",
            metavar="A:SEEN/ABSENT",
            help="An assumption it is evidence on, with the likelihood ratios of seeing it and of looking "
            "and not seeing it: A9:3/0.7 (repeatable).",
        ),
    ] = None,
    review_every: Annotated[str | None, _opt("--review-every", metavar="DAYS", help="Days between reviews.")] = None,
    rationale: Annotated[str | None, _opt("--rationale", metavar="TEXT", help="Why it is worth watching.")] = None,
    evidence: EvidenceOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Add an indicator (a signpost to watch) to the register file.

    Examples:

    \b
      riskcli add indicator -r mine.yaml --title "Second late shipment" --bears-on A1:0.3/1.2
      riskcli add indicator -r mine.yaml -t "Price index above 110" --review-every 30
    """
    from riskcli.results.shapes.edit import ItemKind

    given: dict[str, Any] = {
        "title": title,
        "watch": watch,
        "rationale": rationale,
        "evidence": evidence,
        "review_every": review_every,
        "bears_on": bears_on or [],
    }
    _add(ctx, ItemKind.INDICATOR, given, item_id, json_)


@add_app.command("response", epilog=GLOBAL_HELP)
def add_response(
    ctx: typer.Context,
    title: TitleOpt,
    item_id: IdOpt = None,
    effect: Annotated[
        list[str] | None,
        _opt("--effect", metavar="R:SHIFT", help="A risk it moves, in scale steps: R3:L-1, R3:L-1,I-1 (repeatable)."),
    ] = None,
    side_effect: Annotated[
        list[str] | None,
        _opt("--side-effect", metavar="R:SHIFT", help="A risk it moves unintentionally: R5:I+1 (repeatable)."),
    ] = None,
    actor: ActorOpt = None,
    description: DescriptionOpt = None,
    rationale: Annotated[str | None, _opt("--rationale", metavar="TEXT", help="Why it would work.")] = None,
    evidence: EvidenceOpt = None,
    owner: Annotated[str | None, _opt("--owner", metavar="NAME", help="Who carries it out.")] = None,
    due: Annotated[str | None, _opt("--due", metavar="DATE", help="To be done by then (YYYY-MM-DD).")] = None,
    status: Annotated[
        str | None,
        _opt("--status", metavar="STATUS", help="planned, in progress or done (done: in force in the baseline)."),
    ] = None,
    target: Annotated[
        str | None, _opt("--target", metavar="BAND", help="The rating band it aims to bring its risks to.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a response (something that could be done) to the register file.

    Examples:

    \b
      riskcli add response -r mine.yaml --title "Second supplier" --effect R1:L-1
      riskcli add response -r mine.yaml -t "Hedge prices" --effect R2:I-1 --side-effect R1:L+0.5
    """
    from riskcli.results.shapes.edit import ItemKind

    given: dict[str, Any] = {
        "title": title,
        "description": description,
        "actors": actor or [],
        "rationale": rationale,
        "evidence": evidence,
        "effects": effect or [],
        "side_effects": side_effect or [],
        "owner": owner,
        "due": due,
        "status": status,
        "target": target,
    }
    _add(ctx, ItemKind.RESPONSE, given, item_id, json_)


@command("set")
def set_(
    ctx: typer.Context,
    item_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="A risk, assumption, indicator or response.", autocompletion=complete_items),
    ],
    field: Annotated[str, typer.Argument(metavar="FIELD", help="The field to set (e.g. impact, title, belief).")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its new value.")],
    json_: JsonOpt = False,
) -> None:
    """Set one field of a risk, assumption, indicator or response in the register file.

    A risk's likelihood and impact in the register are its baseline (and an assumption's belief
    is its baseline belief): set them to correct the register. Your judgement of where a risk
    stands now is 'riskcli score', and of an assumption 'riskcli assume' — kept in the journal,
    with your reasons. Levels and beliefs are read as everywhere in riskcli.

    Fields: risk — title, likelihood, impact, confidence, category, owner, description, rationale,
    evidence, status, treatment, review_every, review_by, acceptance.by, acceptance.date,
    acceptance.until, acceptance.why, by, within; assumption — statement, belief, support,
    rationale, evidence, by, within (a horizon: a day, or a span such as "12 months"); indicator — title, watch, rationale, evidence, review_every; response — title, description,
    rationale, evidence, owner, due, status, target. The register's appetite, target and
    categories are a line or two at its top: edit them in your editor.

    Examples:

    \b
      riskcli set R3 impact 4 --register mine.yaml
      riskcli set R3 title "Supplier fails for a month" -r mine.yaml
      riskcli set A2 belief 0.3 -r mine.yaml --json
      riskcli set R3 within "12 months" -r mine.yaml
      riskcli set R3 status closed -r mine.yaml
      riskcli set M2 due 2026-03-31 -r mine.yaml
    """
    from riskcli.render import emit
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results import edit

    request(ctx).refuse_as_of("set", records=False)
    result, reg = edit.set_field(request(ctx), item_id, field, value)
    emit(result, Out.open(), Key.of(reg.rules, reg.assumptions), json=json_, indent=request(ctx).indent)
