"""The register format, declared once: every item of a register and every field of an item.

A field is one row, ``Field(key, kind, doc, required=…)``: its kind (``kinds``) says how its value
is read from YAML nodes (with the reader's messages), described in the JSON Schema and written
back; ``doc`` is its description in the schema and in the docs. An item's rows are in the order
its keys are written (``import``, ``export --format yaml``, ``add``), described and documented. An
``Item`` also names the model class it builds and the checks that span several of its fields.

From this table ``sections`` compiles the reader, ``schema`` derives the JSON Schema
(``riskcli/formats/register.schema.json``) and the field reference in docs/register-format.md,
``write`` writes registers and ``edit`` orders the keys of an item it adds. Scales and the rating
are rules, read by ``rules_formats`` as a rules file's are: the table describes them for the
schema and the docs, and a test holds their keys to that reader's.

To add a field: a row here (its model attribute is the key, or ``attr``), the attribute in
``model``, then ``python -m riskcli.register.schema``; docs/architecture.md has the steps.
"""

from __future__ import annotations

from typing import Any, Final

from riskcli.model import (
    Acceptance,
    Acknowledged,
    Actor,
    Assumption,
    Bearing,
    BeliefUpdate,
    Category,
    Combine,
    Confidence,
    Driver,
    Effect,
    Indicator,
    Progress,
    Rebaselined,
    Response,
    Risk,
    Scenario,
    Shift,
    Source,
    Stated,
    Status,
    Strategy,
    Treatment,
    Unassessed,
)
from riskcli.register import colours
from riskcli.register.kinds import (
    END,
    Acknowledgements,
    BandRef,
    Belief,
    BeliefsById,
    ByName,
    Choice,
    Context,
    Day,
    Described,
    Extra,
    Field,
    Format,
    Given,
    Ident,
    Ids,
    Item,
    Level,
    Number,
    Part,
    Parts,
    Ref,
    Schema,
    Schemas,
    Section,
    Short,
    Text,
    Whole,
    Within,
    ci_pattern,
    item_schema,
)
from riskcli.register.nodes import Node
from riskcli.register.walker import Fields, Reader

# =========================================================================== the table


TEXT: Final = Text(nullable=False)
NAME: Final = Text(nullable=False, blank=False)  # a name a view shows: not blank
NOTE: Final = Text(nullable=True)  # optional text: an empty value is no text
ID: Final = Ident()
BELIEF: Final = Belief()
STEPS: Final = Number(-12, 12, "{what} = {x:g} steps is out of range (at most ±12)")
RATIO: Final = Number(0.001, 1000, "{what} = {x:g} is not a likelihood ratio from 0.001 to 1000")
DAYS: Final = Whole(1, 36500, "days")
CONFIDENCE: Final = Choice(
    lambda rules: [c.value for c in Confidence], lambda vs: "low, moderate or high (ICD 203)", Confidence
)
SUPPORT: Final = Choice(lambda rules: [label for label, _ in rules.words.labels])
ASSUMPTION_ID: Final = Ref("assumptions", "assumption")
_NO_SHIFT: Final = Shift()


# -- parts of items

SHIFT = Item(
    "shift",
    "A shift in scale steps (at most ±12); an empty value is no shift.",
    (
        Field("likelihood", STEPS, "Likelihood steps."),
        Field("impact", STEPS, "Impact steps."),
    ),
    model=Shift,
    flow=True,
    join=".",
    nullable=True,
)

DRIVER = Item(
    "driver",
    "How an assumption moves a risk: the shift if it holds, and if it fails.",
    (
        Field("assumption", ASSUMPTION_ID, "The assumption the risk rests on.", required=True),
        Field("if_holds", Part(SHIFT), "The shift if the assumption holds.", default=_NO_SHIFT),
        Field("if_fails", Part(SHIFT), "The shift if the assumption fails.", default=_NO_SHIFT),
        Field("note", NOTE, "Why the link."),
    ),
    model=Driver,
    any_of=("if_holds", "if_fails"),
    any_of_says="give if_holds and/or if_fails",
)

EFFECT = Item(
    "effect",
    "A shift of one risk, in scale steps.",
    (
        Field("risk", Ref("risks", "risk"), "The risk it moves.", required=True),
        Field("likelihood", Number(), "Likelihood steps.", default=0.0),
        Field("impact", Number(), "Impact steps.", default=0.0),
        Field("note", NOTE, "Why."),
    ),
    model=Effect,
    build=lambda v: Effect(v["risk"], Shift(v["likelihood"], v["impact"]), v.get("note", "")),
    unbuild=lambda e: {"risk": e.risk, "likelihood": e.shift.likelihood, "impact": e.shift.impact, "note": e.note},
    any_of=("likelihood", "impact"),
    any_of_says="give a likelihood and/or impact shift",
    flow=True,
)

UPDATE = Item(
    "update",
    "A belief that a sighting sets (format 1).",
    (
        Field("assumption", ASSUMPTION_ID, "The assumption whose belief it sets.", required=True),
        Field("belief", BELIEF, "The belief it sets.", required=True),
    ),
    model=BeliefUpdate,
    flow=True,
)


def _check_bearing(r: Reader, v: dict[str, Any], mm: Fields, where: str, node: Node, ctx: Context) -> bool:
    """A sighting that tells nothing, or an absence pointing the same way as a sighting, is refused."""
    if "absent" in mm and "absent" not in v:  # reported
        return False
    aid, seen, absent = v["assumption"], v["seen"], v.get("absent", 1.0)
    if seen == 1:
        r.err(
            mm["seen"][1],
            f"{where}: seen = 1 tells nothing about {aid}; give a ratio above 1 (a sighting supports it) or below 1",
        )
        return False
    if (seen - 1) * (absent - 1) > 0:
        r.err(
            mm["absent"][1],
            f"{where}: absent = {absent:g} points the same way as seen = {seen:g}; if seeing it supports "
            f"{aid}, not seeing it cannot support {aid} too (give absent on the other side of 1, or 1)",
        )
        return False
    return True


BEARING = Item(
    "bearing",
    "What seeing the indicator says about one assumption, as likelihood ratios (format 2).",
    (
        Field("assumption", ASSUMPTION_ID, "The assumption it bears on.", required=True),
        Field("seen", RATIO, "P(seen | holds) / P(seen | fails).", required=True),
        Field("absent", RATIO, "The same for looked for and not seen (default 1: no information)."),
        Field("note", NOTE, "Where the ratios come from."),
    ),
    model=Bearing,
    check=_check_bearing,
    flow=True,
)

CONDITIONAL = Item(
    "conditional",
    "Its belief if that assumption holds, and if it fails.",
    (
        Field("holds", BELIEF, "Its belief if that assumption holds.", required=True),
        Field("fails", BELIEF, "Its belief if that assumption fails.", required=True),
    ),
    build=lambda v: (v["holds"], v["fails"]),
    flow=True,
)

SOURCE = Item(
    "source",
    "Where the assessment comes from.",
    (
        Field("title", TEXT, "Its title."),
        Field("author", TEXT, "Its author."),
        Field("role", TEXT, "The author's role."),
        Field("published", TEXT, "When it was published."),
        Field("file", TEXT, "A text file in the register's folder (or below): validate checks evidence quotes in it."),
        Field("url", TEXT, "Where it is published."),
        Field("note", TEXT, "Any caveat about the text."),
    ),
    model=Source,
    join=".",
)

ACKNOWLEDGEMENT = Item(
    "acknowledgement",
    "A coherence warning accepted on purpose.",
    (
        Field("id", TEXT, "The warning's id (W-hub-A7, …).", required=True),
        Field("why", NOTE, "Why it is accepted."),
    ),
    model=Acknowledged,
    build=lambda v: Acknowledged(v["id"].strip(), v.get("why", "")),
    join=".",
)

# -- decisions

STATUS: Final = Choice(lambda rules: [x.value for x in Status], convert=Status)
PROGRESS: Final = Choice(
    lambda rules: [x.value for x in Progress],
    convert=Progress,
    aliases={"in-progress": "in progress", "in_progress": "in progress", "ongoing": "in progress"},
)
DAY: Final = Day()
WITHIN: Final = Within()
HORIZON_SAYS: Final = "give by (a day) or within (a span of time), not both"
BAND_REF: Final = BandRef()

TREATMENT = Item(
    "treatment",
    "What is decided about a risk (ISO 31000), and the responses that carry it out.",
    (
        Field(
            "strategy",
            Choice(lambda rules: [x.value for x in Strategy], convert=Strategy),
            "avoid, reduce, transfer or accept.",
            required=True,
        ),
        Field("with", Ids(), "The responses that carry it out.", attr="responses"),
    ),
    model=Treatment,
    flow=True,
)

REBASELINED = Item(
    "rebaselined",
    "Where a register made by rebaseline came from: its state before that day is the other register's.",
    (
        Field("from", TEXT, "The id of the register it was made from.", required=True, attr="register"),
        Field("date", DAY, "The day it was made; --as-of refuses a day before it.", required=True, attr="on"),
        Field("file", TEXT, "That register's file, from this register's folder (rebaseline writes it so)."),
    ),
    model=Rebaselined,
)

ACCEPTANCE = Item(
    "acceptance",
    "A risk accepted as it stands; it lapses after its last day, and when the risk is rated in a higher band.",
    (
        Field("by", NOTE, "Who accepted it."),
        Field("date", DAY, "When it was accepted.", attr="on"),
        Field("until", DAY, "The last day it holds."),
        Field("why", NOTE, "Why it is accepted."),
        Field("band", BAND_REF, "The rating band it was accepted at (default: the risk's baseline rating)."),
    ),
    model=Acceptance,
    any_of=("by", "until"),
    any_of_says="give who accepted it (by) and/or until when (until)",
)

CATEGORY = Item(
    "category",
    "A category's own appetite and target, over the register's.",
    (
        Field("appetite", BAND_REF, "The highest rating band accepted without treatment in this category."),
        Field("target", BAND_REF, "The rating band treatment aims for in this category."),
        Field("description", NOTE, "What it covers."),
    ),
    build=lambda v: Category("", **v),
    flow=True,
)

# -- the items of the sections

ACTOR = Item(
    "actor",
    "Who bears risks; risks and responses name actors by id.",
    (
        Field("id", ID, "Its id.", required=True),
        Field("name", NOTE, "Its name (default: the id)."),
    ),
    model=Actor,
    build=lambda v: Actor(v["id"], v.get("name") or v["id"]),
    unbuild=lambda a: {"id": a.id, "name": "" if a.name == a.id else a.name},
    flow=True,
)

ASSUMPTION = Item(
    "assumption",
    "A judgement the assessment rests on, with the belief that it holds.",
    (
        Field("id", ID, "Its id.", required=True),
        Field("statement", TEXT, "What is assumed.", required=True),
        Field("belief", BELIEF, "The baseline belief that it holds.", required=True),
        Field(
            "support",
            SUPPORT,
            "The Key Assumptions Check's judgement of the evidence behind it (derived from the belief when absent).",
        ),
        Field("rationale", NOTE, "Why this belief."),
        Field("evidence", NOTE, "A verbatim quote from the source."),
        Field("excludes", Ids(), "Assumptions that cannot hold together with this one."),
        Field("given", Given(CONDITIONAL), "Its belief given another assumption (used by simulate)."),
        Field("by", DAY, "Its horizon: its belief is the probability that it still holds on this day."),
        Field("within", WITHIN, "Its horizon as a span from each judgement (12 months); not with by."),
    ),
    model=Assumption,
    not_both=("by", "within"),
    not_both_says=HORIZON_SAYS,
)

STATED = Item(
    "stated",
    "An assessment a sheet states beside the one that places the risk: kept as stated, never scored.",
    (
        Field("likelihood", Level("likelihood", unassessed=True), "Its likelihood (or unassessed).", required=True),
        Field("impact", Level("impact", unassessed=True), "Its impact (or unassessed).", required=True),
    ),
    model=Stated,
    flow=True,
)


def _risk(values: dict[str, Any]) -> Risk | Unassessed:
    """A risk, or — its likelihood or impact unassessed — a risk not yet assessed (never scored)."""
    if values.get("likelihood") is None or values.get("impact") is None:
        values.pop("drivers", None)
        return Unassessed(**values)
    return Risk(**values)


def _unrisk(x: Risk | Unassessed) -> dict[str, Any]:
    return {f.key: getattr(x, f.name, ()) for f in RISK.fields}


def _check_risk(r: Reader, v: dict[str, Any], mm: Fields, where: str, node: Node, ctx: Context) -> bool:
    if (v.get("likelihood") is None or v.get("impact") is None) and "drivers" in mm:
        r.err(
            mm["drivers"][0],
            f"{where}: drivers: a risk not yet assessed has no drivers; give its likelihood and impact",
        )
        return False
    return True


RISK = Item(
    "risk",
    "A risk: its baseline levels and the assumptions it rests on.",
    (
        Field("id", ID, "Its id.", required=True),
        Field("title", TEXT, "What could happen.", required=True),
        Field("description", NOTE, "Longer text."),
        Field("category", NOTE, "Free text; list --category filters by it."),
        Field("actors", Ids("actors", "actor"), "Actors who bear it (ids from actors, when actors are declared)."),
        Field("owner", NOTE, "Who owns it."),
        Field(
            "status",
            STATUS,
            "Where it stands: closed and retired risks leave the matrix (default: derived — "
            "accepted with an acceptance, treated with a treatment, else open).",
        ),
        Field(
            "treatment", Short(TREATMENT, "strategy"), "What is decided about it, and the responses that carry it out."
        ),
        Field("acceptance", Part(ACCEPTANCE), "Its acceptance: by whom, when, until when and why."),
        Field("review_every", DAYS, "Days between reviews (counted from the last review, else the register's as_of)."),
        Field("review_by", DAY, "The next review is due by then."),
        Field("by", DAY, "Its horizon: its likelihood is the probability that it occurs by this day."),
        Field("within", WITHIN, "Its horizon as a span from each judgement (12 months); not with by."),
        Field(
            "likelihood",
            Level("likelihood", unassessed=True),
            "The baseline likelihood; unassessed: not yet assessed (the risk is listed apart, never scored).",
            required=True,
        ),
        Field("impact", Level("impact", unassessed=True), "The baseline impact (or unassessed).", required=True),
        Field("confidence", CONFIDENCE, "ICD 203 analytic confidence in the judgement (never changes a score)."),
        Field("rationale", NOTE, "Why these baseline levels."),
        Field("evidence", NOTE, "A verbatim quote from the source."),
        Field(
            "drivers",
            Parts(DRIVER, "driver", unique=("assumption", "a second driver on {}; give one driver per assumption")),
            "The assumptions this risk rests on.",
        ),
        Field("inherent", Part(STATED), "A sheet's assessment before any control, kept as stated (import)."),
        Field("residual", Part(STATED), "A sheet's assessment after the planned treatment, kept as stated (import)."),
        Field("extra", Extra(), "Free-form fields: names to text or numbers (e.g. columns import could not map)."),
    ),
    model=Risk,
    build=_risk,
    unbuild=_unrisk,
    check=_check_risk,
    not_both=("by", "within"),
    not_both_says=HORIZON_SAYS,
)

INDICATOR = Item(
    "indicator",
    "Something to watch: a signpost (bears_on) or a preset (updates).",
    (
        Field("id", ID, "Its id.", required=True),
        Field("title", TEXT, "What to watch for.", required=True),
        Field("watch", NOTE, "What exactly to look for."),
        Field("rationale", NOTE, "Why watch this."),
        Field("evidence", NOTE, "A verbatim quote from the source."),
        Field(
            "review_every", DAYS, "Days between reviews (counted from the last observation, else the register's as_of)."
        ),
        Field(
            "observed",
            DAY,
            "The day it was last observed before this register was made (rebaseline writes it); "
            "an observation in the journal after it counts instead.",
        ),
        Field("updates", Parts(UPDATE, "update"), "Beliefs a sighting sets (format 1)."),
        Field(
            "bears_on",
            Parts(BEARING, "bears_on", unique=("assumption", "{} is named twice; give one ratio per assumption")),
            "Likelihood ratios of a sighting (format 2).",
        ),
    ),
    model=Indicator,
    not_both=("updates", "bears_on"),
    not_both_says="give updates (a sighting sets beliefs) or bears_on (a sighting is evidence), not both",
)

RESPONSE = Item(
    "response",
    "Something that could be done, and what it would shift.",
    (
        Field("id", ID, "Its id.", required=True),
        Field("title", TEXT, "What would be done.", required=True),
        Field("description", NOTE, "Longer text."),
        Field("actors", Ids("actors", "actor"), "Actors who would act (ids from actors, when actors are declared)."),
        Field("rationale", NOTE, "Why these effects."),
        Field("evidence", NOTE, "A verbatim quote from the source."),
        Field("effects", Parts(EFFECT, "effects"), "Intended shifts, in scale steps."),
        Field("side_effects", Parts(EFFECT, "side_effects"), "Unintended shifts."),
        Field("excludes", Ids(), "Responses that cannot be applied together with this one."),
        Field("owner", NOTE, "Who carries it out."),
        Field("due", DAY, "To be done by then."),
        Field("status", PROGRESS, "How far it has got; done: in force in the baseline (its effects applied)."),
        Field("target", BAND_REF, "The rating band it aims to bring the risks it treats to."),
    ),
    model=Response,
)

SCENARIO = Item(
    "scenario",
    "A named set of beliefs.",
    (
        Field("id", ID, "Its id.", required=True),
        Field("title", NOTE, "Its title (default: the id)."),
        Field("description", NOTE, "Longer text."),
        Field("rationale", NOTE, "Why these beliefs go together."),
        Field("beliefs", BeliefsById(), "Beliefs by assumption id.", required=True),
    ),
    model=Scenario,
    build=lambda v: Scenario(**{**v, "title": v.get("title") or v["id"]}),
)

# -- the register's own rules (read by rules_formats, as a rules file's are)

PROBABILITY = Described(
    lambda s: {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 2, "maxItems": 2},
    "[low, high]",
)
ALIASES = Described(
    lambda s: {"anyOf": [NAME.schema(s), {"type": "array", "items": NAME.schema(s)}]},
    "text, or a list of texts",
)
LEVEL = Item(
    "level",
    "A level of a scale; levels are numbered 1..N in order.",
    (
        Field("value", Whole(1, 12, ""), "Its number, 1..N in order (optional)."),
        Field("name", NAME, "Its name (distinct within the scale).", required=True),
        Field("aliases", ALIASES, "Other names it answers to (a translation, an abbreviation)."),
        Field("description", TEXT, "What it means."),
        Field("probability", PROBABILITY, "[low, high]: the level's probability band (likelihood only; contiguous)."),
    ),
)


def _scale(s: Schemas) -> Schema:
    return {"type": "array", "items": s.define(LEVEL.name, item_schema(LEVEL, s)), "minItems": 2, "maxItems": 12}


SCALES = Item(
    "scales",
    "Scales of the register's own, over the rules' (2 to 12 levels each).",
    (
        Field("likelihood", Described(_scale, "list of {}", (LEVEL,)), "The likelihood scale, level 1 first."),
        Field("impact", Described(_scale, "list of {}", (LEVEL,)), "The impact scale, level 1 first."),
    ),
)
_BYTE = "(0?[0-9]?[0-9]|1[0-9][0-9]|2[0-4][0-9]|25[0-5])"  # 0 to 255, as colours.py reads it
_SP = "[ \\t\\n\\r\\f\\v]*"  # ASCII spaces (within rgb( ))


def _colour(s: Schemas) -> Schema:
    """A colour as colours.py reads it: any case, spaces around; blank is the default colour."""
    names = sorted({"default", *colours.NAMES, *colours.CSS})
    forms = (
        f"#([0-9a-fA-F]{{3}}|[0-9a-fA-F]{{6}})|{ci_pattern(['color'], bare=True)}\\({_BYTE}\\)"
        f"|{ci_pattern(['rgb'], bare=True)}\\({_SP}{_BYTE}{_SP},{_SP}{_BYTE}{_SP},{_SP}{_BYTE}{_SP}\\)"
    )
    return s.define(
        "colour",
        {
            "type": "string",
            "anyOf": [
                {"pattern": ci_pattern(names)},
                {"pattern": r"^\s*(" + forms + r")\s*" + END},
                {"pattern": r"^\s*" + END},
            ],
            "examples": ["green", "dark_orange", "#BBF7D0"],
        },
    )


COLOUR = Described(_colour, "colour")
BAND = Item(
    "band",
    "A rating band.",
    (
        Field("id", ID, "Its id: the grid names it.", required=True),
        Field("name", NAME, "Its name (default: the id)."),
        Field("aliases", ALIASES, "Other names it answers to (a translation, an abbreviation)."),
        Field(
            "color", COLOUR, "A colour: a name (red, dark_orange, a CSS name), #RGB, #RRGGBB, rgb(R, G, B) or color(N)."
        ),
        Field("description", NOTE, "What it means."),
    ),
    flow=True,
)
GRID = Described(
    lambda s: {"type": "array", "items": {"type": "array", "items": NAME.schema(s)}},
    "rows of band ids",
)
RATING = Item(
    "rating",
    "A rating of the register's own, over the rules'.",
    (
        Field(
            "bands",
            Described(
                lambda s: {"type": "array", "items": s.define(BAND.name, item_schema(BAND, s)), "minItems": 1},
                "list of {}",
                (BAND,),
            ),
            "Rating bands, lowest first.",
        ),
        Field(
            "grid",
            GRID,
            "One row per likelihood level, level 1 first; one band id per impact level, 1..M left to right "
            "(derived from the bands when absent).",
        ),
    ),
)

# -- the register

REGISTER = Item(
    "register",
    "A riskcli risk register.",
    (
        Field(
            "format",
            Format(),
            "The format version (2 adds signposts, support, confidence, …): a label for readers; "
            "riskcli reads every key of both in either.",
        ),
        Field("id", TEXT, "A short name; the journal is bound to it (default: the file's name)."),
        Field("title", TEXT, "Shown above tables."),
        Field("as_of", TEXT, "The date the baseline reflects."),
        Field(
            "within",
            WITHIN,
            "The default horizon of every likelihood and belief, a span from each judgement (an item's own by "
            "or within wins).",
        ),
        Field("description", TEXT, "What the register assesses and how its baseline was read."),
        Field("source", Part(SOURCE), "Where the assessment comes from (every key optional)."),
        Field(
            "rebaselined",
            Part(REBASELINED),
            "Made by rebaseline: from which register and on which day (rebaseline writes it).",
        ),
        Field("appetite", BAND_REF, "The highest rating band accepted without treatment."),
        Field("target", BAND_REF, "The rating band treatment aims to bring risks to."),
        Field(
            "combine",
            Choice(lambda rules: [c.value for c in Combine], convert=Combine),
            "How several analysts' judgements of one risk or assumption combine: geo-odds (the default: "
            "beliefs by the geometric mean of their odds, levels by the median), median, mean, or last "
            "(the latest judgement alone).",
        ),
        Field(
            "categories",
            ByName(CATEGORY, "category"),
            "Categories (as risks name them) with an appetite or target of their own.",
        ),
        Field("actors", Section(ACTOR), "Who bears risks; risks and responses name them by id."),
        Field("scales", Part(SCALES), "Overrides the rules' scales."),
        Field("rating", Part(RATING), "Overrides the rules' rating."),
        Field("assumptions", Section(ASSUMPTION), "The assumptions the assessment rests on."),
        Field("risks", Section(RISK, at_least_one=True), "The risks (at least one).", required=True),
        Field("indicators", Section(INDICATOR), "What to watch."),
        Field("responses", Section(RESPONSE), "What could be done."),
        Field("scenarios", Section(SCENARIO), "Named sets of beliefs."),
        Field(
            "acknowledge",
            Acknowledgements(ACKNOWLEDGEMENT),
            "Coherence warnings accepted on purpose (their ids).",
            attr="acknowledged",
        ),
    ),
    join="",
)

# The sections of a register that hold items with ids, by key.
SECTIONS: Final = {f.key: f.kind.item for f in REGISTER.fields if isinstance(f.kind, Section)}


def items() -> list[Item]:
    """Every item of the format, the register first, each after the item that holds it."""
    out: list[Item] = []

    def visit(item: Item) -> None:
        if item in out:
            return
        out.append(item)
        for f in item.fields:
            for part in f.kind.parts():
                visit(part)

    visit(REGISTER)
    return out
