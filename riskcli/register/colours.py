"""Band colours: what a register may name, checked when the rules are read.

A colour is what the terminal table, the HTML report and the workbook can all draw: ``default``, a
hex ``#RRGGBB`` or ``#RGB``, ``rgb(R, G, B)``, ``color(N)`` (0–255), one of the terminal palette's
names as Rich spells them (``NAMES``; ``tests/test_register_validation.py`` holds this list to
Rich's own), or a CSS colour name (``CSS``: ``orange``, ``orangered``, ``lightgreen`` — what sheets
and web tools write). ``rich_colour`` gives each in a form Rich draws: a CSS name or a ``#RGB`` as
its ``#RRGGBB``, the rest as written. Where a name is both Rich's and CSS's (``red``, ``purple``),
it is Rich's: the terminal's own colour, as registers have always meant it.
"""

from __future__ import annotations

import re

NAMES = frozenset(
    """
    black red green yellow blue magenta cyan white bright_black bright_red bright_green
    bright_yellow bright_blue bright_magenta bright_cyan bright_white grey0 gray0 navy_blue
    dark_blue blue3 blue1 dark_green deep_sky_blue4 dodger_blue3 dodger_blue2 green4
    spring_green4 turquoise4 deep_sky_blue3 dodger_blue1 green3 spring_green3 dark_cyan
    light_sea_green deep_sky_blue2 deep_sky_blue1 spring_green2 cyan3 dark_turquoise turquoise2
    green1 spring_green1 medium_spring_green cyan2 cyan1 dark_red deep_pink4 purple4 purple3
    blue_violet orange4 grey37 gray37 medium_purple4 slate_blue3 royal_blue1 chartreuse4
    dark_sea_green4 pale_turquoise4 steel_blue steel_blue3 cornflower_blue chartreuse3
    cadet_blue sky_blue3 steel_blue1 pale_green3 sea_green3 aquamarine3 medium_turquoise
    chartreuse2 sea_green2 sea_green1 aquamarine1 dark_slate_gray2 dark_magenta dark_violet
    purple light_pink4 plum4 medium_purple3 slate_blue1 yellow4 wheat4 grey53 gray53
    light_slate_grey light_slate_gray medium_purple light_slate_blue dark_olive_green3
    dark_sea_green light_sky_blue3 sky_blue2 dark_sea_green3 dark_slate_gray3 sky_blue1
    chartreuse1 light_green pale_green1 dark_slate_gray1 red3 medium_violet_red magenta3
    dark_orange3 indian_red hot_pink3 medium_orchid3 medium_orchid medium_purple2 dark_goldenrod
    light_salmon3 rosy_brown grey63 gray63 medium_purple1 gold3 dark_khaki navajo_white3 grey69
    gray69 light_steel_blue3 light_steel_blue yellow3 dark_sea_green2 light_cyan3
    light_sky_blue1 green_yellow dark_olive_green2 dark_sea_green1 pale_turquoise1 deep_pink3
    magenta2 hot_pink2 orchid medium_orchid1 orange3 light_pink3 pink3 plum3 violet
    light_goldenrod3 tan misty_rose3 thistle3 plum2 khaki3 light_goldenrod2 light_yellow3 grey84
    gray84 light_steel_blue1 yellow2 dark_olive_green1 honeydew2 light_cyan1 red1 deep_pink2
    deep_pink1 magenta1 orange_red1 indian_red1 hot_pink dark_orange salmon1 light_coral
    pale_violet_red1 orchid2 orchid1 orange1 sandy_brown light_salmon1 light_pink1 pink1 plum1
    gold1 navajo_white1 misty_rose1 thistle1 yellow1 light_goldenrod1 khaki1 wheat1 cornsilk1
    grey100 gray100 grey3 gray3 grey7 gray7 grey11 gray11 grey15 gray15 grey19 gray19 grey23
    gray23 grey27 gray27 grey30 gray30 grey35 gray35 grey39 gray39 grey42 gray42 grey46 gray46
    grey50 gray50 grey54 gray54 grey58 gray58 grey62 gray62 grey66 gray66 grey70 gray70 grey74
    gray74 grey78 gray78 grey82 gray82 grey85 gray85 grey89 gray89 grey93 gray93
    """.split()  # noqa: SIM905 (235 names read better as words than as a list of strings)
)

# CSS Color Module Level 4's named colours (CSS3's 147 and rebeccapurple) as RRGGBB; a test holds
# them to the webcolors library's table.
CSS: dict[str, str] = dict(
    pair.split("=", 1)
    for pair in """
    aliceblue=F0F8FF antiquewhite=FAEBD7 aqua=00FFFF aquamarine=7FFFD4 azure=F0FFFF beige=F5F5DC
    bisque=FFE4C4 black=000000 blanchedalmond=FFEBCD blue=0000FF blueviolet=8A2BE2 brown=A52A2A
    burlywood=DEB887 cadetblue=5F9EA0 chartreuse=7FFF00 chocolate=D2691E coral=FF7F50
    cornflowerblue=6495ED cornsilk=FFF8DC crimson=DC143C cyan=00FFFF darkblue=00008B darkcyan=008B8B
    darkgoldenrod=B8860B darkgray=A9A9A9 darkgreen=006400 darkgrey=A9A9A9 darkkhaki=BDB76B
    darkmagenta=8B008B darkolivegreen=556B2F darkorange=FF8C00 darkorchid=9932CC darkred=8B0000
    darksalmon=E9967A darkseagreen=8FBC8F darkslateblue=483D8B darkslategray=2F4F4F darkslategrey=2F4F4F
    darkturquoise=00CED1 darkviolet=9400D3 deeppink=FF1493 deepskyblue=00BFFF dimgray=696969
    dimgrey=696969 dodgerblue=1E90FF firebrick=B22222 floralwhite=FFFAF0 forestgreen=228B22
    fuchsia=FF00FF gainsboro=DCDCDC ghostwhite=F8F8FF gold=FFD700 goldenrod=DAA520 gray=808080
    green=008000 greenyellow=ADFF2F grey=808080 honeydew=F0FFF0 hotpink=FF69B4 indianred=CD5C5C
    indigo=4B0082 ivory=FFFFF0 khaki=F0E68C lavender=E6E6FA lavenderblush=FFF0F5 lawngreen=7CFC00
    lemonchiffon=FFFACD lightblue=ADD8E6 lightcoral=F08080 lightcyan=E0FFFF lightgoldenrodyellow=FAFAD2
    lightgray=D3D3D3 lightgreen=90EE90 lightgrey=D3D3D3 lightpink=FFB6C1 lightsalmon=FFA07A
    lightseagreen=20B2AA lightskyblue=87CEFA lightslategray=778899 lightslategrey=778899
    lightsteelblue=B0C4DE lightyellow=FFFFE0 lime=00FF00 limegreen=32CD32 linen=FAF0E6 magenta=FF00FF
    maroon=800000 mediumaquamarine=66CDAA mediumblue=0000CD mediumorchid=BA55D3 mediumpurple=9370DB
    mediumseagreen=3CB371 mediumslateblue=7B68EE mediumspringgreen=00FA9A mediumturquoise=48D1CC
    mediumvioletred=C71585 midnightblue=191970 mintcream=F5FFFA mistyrose=FFE4E1 moccasin=FFE4B5
    navajowhite=FFDEAD navy=000080 oldlace=FDF5E6 olive=808000 olivedrab=6B8E23 orange=FFA500
    orangered=FF4500 orchid=DA70D6 palegoldenrod=EEE8AA palegreen=98FB98 paleturquoise=AFEEEE
    palevioletred=DB7093 papayawhip=FFEFD5 peachpuff=FFDAB9 peru=CD853F pink=FFC0CB plum=DDA0DD
    powderblue=B0E0E6 purple=800080 rebeccapurple=663399 red=FF0000 rosybrown=BC8F8F royalblue=4169E1
    saddlebrown=8B4513 salmon=FA8072 sandybrown=F4A460 seagreen=2E8B57 seashell=FFF5EE sienna=A0522D
    silver=C0C0C0 skyblue=87CEEB slateblue=6A5ACD slategray=708090 slategrey=708090 snow=FFFAFA
    springgreen=00FF7F steelblue=4682B4 tan=D2B48C teal=008080 thistle=D8BFD8 tomato=FF6347
    turquoise=40E0D0 violet=EE82EE wheat=F5DEB3 white=FFFFFF whitesmoke=F5F5F5 yellow=FFFF00
    yellowgreen=9ACD32
    """.split()  # noqa: SIM905 (as NAMES)
)

# ASCII digits only; inside rgb( ) each number may have spaces around it, never within it.
_SHORT_HEX = re.compile(r"#[0-9a-f]{3}", re.ASCII)
_FORMS = re.compile(
    r"#[0-9a-f]{6}|color\(([0-9]{1,3})\)|rgb\(\s*([0-9]{1,3})\s*,\s*([0-9]{1,3})\s*,\s*([0-9]{1,3})\s*\)",
    re.ASCII,
)


def rich_colour(text: str) -> str | None:
    """``text`` as a colour Rich draws (case and surrounding spaces aside), or None when it names
    no colour: a CSS name or ``#RGB`` as ``#RRGGBB``, the others as written (without the spaces)."""
    t = text.strip().lower()
    if t == "default" or t in NAMES:
        return text.strip()
    if t in CSS:
        return "#" + CSS[t]
    if _SHORT_HEX.fullmatch(t):
        return "#" + "".join(c * 2 for c in t[1:]).upper()
    m = _FORMS.fullmatch(t)
    if m is not None and all(int(g) <= 255 for g in m.groups() if g is not None):
        return text.strip()
    return None


def is_colour(text: str) -> bool:
    """Whether ``text`` names a colour riskcli can draw (case and surrounding spaces aside)."""
    return rich_colour(text) is not None
