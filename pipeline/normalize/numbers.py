"""Numbers as these reports print them: value, unit, scale and qualifier, never only a float.

`parse_number` reads one cell or number phrase as a whole (a table cell, "5649.31 万元",
"500余人", "二零二一年十一月") and says what it is; anything it does not fully understand is
kind "text", never a guessed number. `find_quantities` finds number phrases inside running text
and types each one with the same parser, so cells and sentences follow one grammar.
Values are in base units (万元 → 元); percentages stay in percent (96.47 % → 96.47).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, Literal

from .textform import to_halfwidth
from .units import (
    INFIX_QUALIFIERS,
    NULL_TEXTS,
    PREFIX_QUALIFIERS,
    SCALES,
    SUFFIX_QUALIFIERS,
    UNITS,
    Qualifier,
)

Kind = Literal["number", "percent", "ratio", "pair", "range", "date", "null", "text"]
Number = int | float
NUMERIC_KINDS = frozenset({"number", "percent", "ratio", "pair", "range"})


@dataclass(frozen=True, slots=True)
class ParsedValue:
    """One printed quantity. `text` is exactly what was printed; the rest is derived from it.

    value/value2: base units (56493100 for 5649.31 万元); value2 holds the second number of a
    ratio (1:11), pair (226/404) or range (10-20). unit: base unit (元); printed_unit: as printed
    or as the column header says (万元); scale: what the printed number was multiplied by.
    date: ISO year[-month[-day]] for dates. ordinal: 第十九届 (19 is a position, not a count).
    """

    kind: Kind
    text: str
    value: Number | None = None
    value2: Number | None = None
    unit: str | None = None
    printed_unit: str | None = None
    scale: int = 1
    qualifier: Qualifier | None = None
    qualifier_text: str | None = None
    date: str | None = None
    ordinal: bool = False

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- Chinese numerals -------------------------------------------------------------------------

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = (("亿", 10**8), ("万", 10**4))
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "十百千万亿点"


def _cn_section(s: str) -> int | None:
    """A numeral below 10000 (三千二百, 十九, 百)."""
    total, digit = 0, None
    for ch in s:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            total += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def _cn_int(s: str) -> int | None:
    for big, mult in _CN_BIG:
        if big in s:
            hi, lo = s.split(big, 1)
            h = _cn_int(hi) if hi else 1
            if len(lo) == 1 and lo in CN_DIGITS and lo not in "〇零":  # 二万五 = 25000
                l_val: int | None = CN_DIGITS[lo] * mult // 10
            else:
                l_val = _cn_int(lo) if lo else 0
            return None if h is None or l_val is None else h * mult + l_val
    return _cn_section(s)


def cn_number(s: str) -> Decimal | None:
    """二零二一 → 2021 (digit by digit), 十九 → 19, 百 → 100, 三千二百 → 3200, 一点五 → 1.5."""
    if not s or any(ch not in CN_NUMERAL_CHARS for ch in s):
        return None
    whole, _, frac = s.partition("点")
    if frac and any(ch not in CN_DIGITS for ch in frac):
        return None
    if len(whole) > 1 and all(ch in CN_DIGITS for ch in whole):  # 二零二一: positional digits
        n: int | None = int("".join(str(CN_DIGITS[ch]) for ch in whole))
    else:
        n = _cn_int(whole) if whole else 0
    if n is None:
        return None
    digits = "".join(str(CN_DIGITS[ch]) for ch in frac)
    return Decimal(f"{n}.{digits}") if digits else Decimal(n)


# ---- grammar pieces ---------------------------------------------------------------------------

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_ARABIC = re.compile(ARABIC)
_CN_RUN = re.compile(f"[{CN_NUMERAL_CHARS}]+")
_UNITS_LONGEST = sorted(UNITS, key=len, reverse=True)
_SCALES_LONGEST = sorted(SCALES, key=len, reverse=True)
_PREFIX_LONGEST = sorted(PREFIX_QUALIFIERS, key=len, reverse=True)
_SUFFIX_LONGEST = sorted(SUFFIX_QUALIFIERS, key=len, reverse=True)
_CN_DATE = f"[{''.join(CN_DIGITS)}十]"
_DATE = re.compile(
    rf"^(?P<y>\d{{4}}|{_CN_DATE}{{4}})年(?:(?P<m>\d{{1,2}}|{_CN_DATE}{{1,3}})月(?:(?P<d>\d{{1,2}}|{_CN_DATE}{{1,3}})[日号])?)?$"
)
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?$")  # not 2021.11: a decimal
_WS = re.compile(r"\s+")


def _to_number(d: Decimal) -> Number:
    """An int when the value is whole (5649.31 万 → 56493100), else a float."""
    return int(d) if d == d.to_integral_value() else float(d)


def _startswith_any(s: str, pos: int, words: list[str]) -> str | None:
    for w in words:
        if s.startswith(w, pos):
            return w
    return None


def split_unit(printed: str | None) -> tuple[str | None, int]:
    """A printed unit to (base unit, scale): 万元 → (元, 10000), 万元/生 → (元/生, 10000), — → (None, 1)."""
    if printed is None:
        return None, 1
    u = _WS.sub("", to_halfwidth(printed)).strip("()（）")
    if u in NULL_TEXTS:
        return None, 1
    if u in UNITS or u == "%":
        return u, 1
    scale_word = _startswith_any(u, 0, _SCALES_LONGEST)
    if scale_word and len(u) > len(scale_word):
        return u[len(scale_word) :], SCALES[scale_word]
    if scale_word:
        return None, SCALES[scale_word]
    return u, 1


@dataclass(slots=True)
class _Scan:
    """Cursor over a compacted string while reading one quantity."""

    s: str
    pos: int = 0
    quals: list[tuple[str, Qualifier]] = field(default_factory=list)

    def take(self, words: list[str]) -> str | None:
        w = _startswith_any(self.s, self.pos, words)
        if w:
            self.pos += len(w)
        return w

    def qualifier(self, table: dict[str, Qualifier], words: list[str]) -> None:
        w = self.take(words)
        if w:
            self.quals.append((w, table[w]))

    def number(self) -> tuple[Decimal, str] | None:
        m = _ARABIC.match(self.s, self.pos)
        if m:
            self.pos = m.end()
            return Decimal(m.group().replace(",", "")), m.group()
        m = _CN_RUN.match(self.s, self.pos)
        if not m or m.group()[0] in "万亿千点":
            return None
        run = m.group()
        # 十二万元: the last 万/亿 is the scale of the unit that follows, as with 5649.31 万元.
        end = m.end()
        if len(run) > 1 and run[-1] in "万亿" and end < len(self.s):
            run, end = run[:-1], end - 1
        value = cn_number(run)
        if value is None:
            return None
        self.pos = end
        return value, run


def _date(s: str, printed: str) -> ParsedValue | None:
    m = _DATE.match(s) or _ISO_DATE.match(s)
    if not m:
        return None
    parts = []
    for key in ("y", "m", "d"):
        g = m.group(key)
        if g is None:
            break
        n = int(g) if g.isdigit() else cn_number(g)
        if n is None:
            return None
        parts.append(int(n))
    y, *rest = parts
    if (rest and not 1 <= rest[0] <= 12) or (len(rest) == 2 and not 1 <= rest[1] <= 31):
        return None
    iso = f"{y:04d}" + "".join(f"-{n:02d}" for n in rest)
    return ParsedValue("date", printed, date=iso)


def _quantity(s: str, printed: str, column_unit: str | None) -> ParsedValue | None:
    """[qualifier][第]number[余][scale][余][unit|%][qualifier], nothing left over."""
    sc = _Scan(s)
    quals = sc.quals
    sc.qualifier(PREFIX_QUALIFIERS, _PREFIX_LONGEST)
    ordinal = bool(sc.take(["第"]))
    sign = sc.take([*MINUS_SIGNS, "+"])
    got = sc.number()
    if got is None:
        return None
    number, _ = got
    if sign in MINUS_SIGNS:
        number = -number
    sc.qualifier(INFIX_QUALIFIERS, list(INFIX_QUALIFIERS))
    unit = sc.take(_UNITS_LONGEST)  # units first: 千瓦 is a unit, not 千 × 瓦
    scale_word = None if unit else sc.take(_SCALES_LONGEST)
    if scale_word:
        sc.qualifier(INFIX_QUALIFIERS, list(INFIX_QUALIFIERS))
        unit = sc.take(_UNITS_LONGEST)
    percent = False
    if not unit and sc.take(["%"]):
        percent = True
    sc.qualifier(SUFFIX_QUALIFIERS, _SUFFIX_LONGEST)
    if sc.pos != len(s):
        return None
    scale = SCALES[scale_word] if scale_word else 1
    printed_unit = (scale_word or "") + (unit or "") or None
    base: str | None
    if percent:
        base, printed_unit = "%", "%"
    elif printed_unit is None and column_unit:
        base, scale = split_unit(column_unit)
        printed_unit = column_unit if base or scale != 1 else None
        percent = base == "%"
    else:
        base = unit
    kind: Kind = "percent" if percent else "number"
    return ParsedValue(
        kind,
        printed,
        value=_to_number(number * scale),
        unit=base,
        printed_unit=printed_unit,
        scale=scale,
        qualifier=quals[0][1] if quals else None,
        qualifier_text="…".join(w for w, _ in quals) or None,
        ordinal=ordinal,
    )


# Minus signs as printed (－ is made half-width first). A dash between two numbers (2019-2020, 1-3 月,
# 5 人-8 人) is a range, never a sign: find_quantities tells them apart by what precedes the dash.
MINUS_SIGNS: tuple[str, ...] = ("-", "−", "﹣")

_TWO = re.compile(rf"^(?P<a>{ARABIC})(?P<op>[:/]|[-~至到])(?P<b>{ARABIC})(?P<unit>%|[^\d]*)$")


def _two_numbers(s: str, printed: str, column_unit: str | None) -> ParsedValue | None:
    """1:11 (ratio), 226/404 (pair: two counts under 项/项), 10-20 人 (range)."""
    m = _TWO.match(s)
    if not m:
        return None
    tail = m.group("unit")
    quals: list[tuple[str, Qualifier]] = []
    for word in _SUFFIX_LONGEST:
        if tail.endswith(word):
            tail = tail[: -len(word)]
            quals.append((word, SUFFIX_QUALIFIERS[word]))
            break
    unit_printed = tail or column_unit
    base, scale = split_unit(unit_printed)
    if tail and base not in UNITS and base != "%":
        return None
    op = m.group("op")
    kind: Kind = "ratio" if op == ":" else "pair" if op == "/" else "range"
    if kind == "pair" and base and "/" in base:  # 项/项: both numbers count the same thing
        num, _, den = base.partition("/")
        base = num if num == den else base
    if kind == "ratio":
        base, scale, unit_printed = None, 1, None
    a = Decimal(m.group("a").replace(",", "")) * scale
    b = Decimal(m.group("b").replace(",", "")) * scale
    if kind == "range" and a > b:  # 2020-2021 is a range; 5-3 is not one
        return None
    return ParsedValue(
        kind,
        printed,
        value=_to_number(a),
        value2=_to_number(b),
        unit=base,
        printed_unit=unit_printed if unit_printed and unit_printed not in NULL_TEXTS else None,
        scale=scale,
        qualifier=quals[0][1] if quals else None,
        qualifier_text=quals[0][0] if quals else None,
    )


_PERCENT_WORDS = re.compile(r"^百分之(?P<n>.+)$")


def parse_number(text: str | None, column_unit: str | None = None) -> ParsedValue:
    """Type one printed cell or number phrase; `column_unit` is the unit its column or row states.

    A bare value in a % column is a percent; in a 万元 column it is scaled to 元. Cells that are
    not one quantity come back as kind "text" with the printed text, and dash cells as "null".
    """
    printed = (text or "").strip()
    s = _WS.sub("", to_halfwidth(printed))
    if s in NULL_TEXTS:
        return ParsedValue("null", printed)
    found = _date(s, printed) or _two_numbers(s, printed, column_unit) or _quantity(s, printed, column_unit)
    if found:
        return found
    m = _PERCENT_WORDS.match(s)
    if m:
        inner = _quantity(m.group("n"), printed, None)
        if inner and inner.kind == "number" and inner.unit is None:
            return ParsedValue("percent", printed, value=inner.value, unit="%", printed_unit="百分之")
    return ParsedValue("text", printed)


# ---- number phrases inside running text -------------------------------------------------------

_PRE = "|".join(map(re.escape, _PREFIX_LONGEST))
_SUF = "|".join(map(re.escape, _SUFFIX_LONGEST))
_UNIT_RE = "|".join(map(re.escape, _UNITS_LONGEST))
_SCALE_RE = "|".join(map(re.escape, _SCALES_LONGEST))
_CN_NUM = f"[{''.join(CN_DIGITS)}十百][{CN_NUMERAL_CHARS}]*"
QUANTITY_RE = re.compile(
    rf"(?P<pre>{_PRE})?"
    rf"(?P<sign>[{''.join(MINUS_SIGNS)}])?"
    rf"(?P<num>(?P<ar>{ARABIC})(?::(?:{ARABIC}))?|(?P<cn>{_CN_NUM}))"
    rf"(?P<inf>[余多])?(?P<scale>{_SCALE_RE})?(?P<inf2>[余多])?"
    rf"(?P<unit>%|{_UNIT_RE})?"
    rf"(?P<suf>{_SUF})?"
)


_LABEL_UNITS = frozenset({"年", "月", "日", "届", "级", "周年"})  # 2021 年, 2021 届, 100 周年: labels


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number phrase found in running text: where it is and what it says."""

    start: int
    end: int
    parsed: ParsedValue


def _glued(ch: str) -> bool:
    """A character a number or a sign cannot follow in a quantity: a Latin letter or a digit (5G, CK-6140)."""
    return bool(ch) and ch.isascii() and (ch.isalnum() or ch in "%.")


def find_quantities(text: str) -> list[Quantity]:
    """Number phrases in a sentence (already half-width, extraction spaces removed).

    Kept: Arabic numbers with a unit or %, ratios, and Chinese numerals above one with a unit
    (近百项, 五个), with their minus sign (减少 -5 人 → -5). Left out, as labels rather than
    quantities: ordinals (第十九届), years and cohorts (2021 年, 2021 届, 2021 级), dates, numbers
    glued to Latin letters or + (5G, 1+X), the second number of a range (2019-2020, 1-3 月: the dash
    follows a number), bare numbers without a unit, and 一 + measure word, which means "a" (一批, 一个).
    """
    out: list[Quantity] = []
    last_end = -1  # end of the previous number phrase, kept or not: a dash right after it is a range
    for m in QUANTITY_RE.finditer(text):
        start, end = m.span()
        if not m.group("num"):
            continue
        follows, last_end = start == last_end, end
        signed = m.group("sign") is not None
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        if signed and (follows or _glued(before)):
            continue  # a range dash (2019-2020, 5人-8人) or a hyphen (CK-6140)
        if before and (before == "第" or before in "+-.·/" or (before.isascii() and before.isalnum())):
            continue
        if after and after.isascii() and (after.isalnum() or after in "+-."):
            continue
        unit = m.group("unit")
        is_ratio = ":" in m.group("num")
        if not unit and not is_ratio:
            continue
        if m.group("ar") is not None and not is_ratio and unit in _LABEL_UNITS:
            continue
        # 近三年 (the last three years), 五位一体 (a slogan): a numeral, then no quantity.
        if m.group("cn") is not None and (unit in _LABEL_UNITS or after in CN_NUMERAL_CHARS):
            continue
        parsed = parse_number(m.group())
        if not parsed.is_numeric or (m.group("cn") is not None and parsed.value == 1):
            continue
        out.append(Quantity(start, end, parsed))
    return out
