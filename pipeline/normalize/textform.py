"""Text forms: half-width numbers, a matching key, and the spaces PDF extraction inserts.

Three different jobs, kept apart on purpose: `to_halfwidth` changes what is displayed only where
the report mixes full- and half-width forms of the same number; `match_key` is for comparing
(never shown); `strip_extraction_spaces` undoes spacing that the PDF, not the author, put there.
"""

from __future__ import annotations

import re

from ..text import is_cjk, nfkc_squash, tidy

# Full-width punctuation that belongs to numbers (％ ． ／ ＋ － ＝ ～ ＜ ＞ ＃ ＊); Chinese text
# punctuation such as （）：，。 is left as printed: it is part of the sentence, not the number.
_NUMBER_PUNCT = "％．／＋－＝～＜＞＃＊"
_HALF: dict[int, int] = {ord(c): ord(c) - 0xFEE0 for c in _NUMBER_PUNCT}  # code point → code point (str.translate)
for _lo, _hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)):  # ０-９ Ａ-Ｚ ａ-ｚ
    _HALF.update({o: o - 0xFEE0 for o in range(_lo, _hi + 1)})
_HALF[0x3000] = 0x20  # ideographic space
# ，：between two digits are a grouping comma (1，311) and a ratio colon (1：11).
_DIGIT_COMMA = re.compile(r"(?<=\d)[，](?=\d{3}(?!\d))")
_DIGIT_COLON = re.compile(r"(?<=\d)\s*[：∶]\s*(?=\d)")


def to_halfwidth(text: str) -> str:
    """Full-width digits, Latin letters and number punctuation to half-width (１，３１１％ → 1,311%)."""
    text = text.translate(_HALF)
    text = _DIGIT_COMMA.sub(",", text)
    return _DIGIT_COLON.sub(":", text)


_QUOTES = "\"'“”‘’„‟「」『』〝〞＂＇`´"
_OPEN = "(（[［【〔〖{｛<〈⟨"
_CLOSE = ")）]］】〕〗}｝>〉⟩"
_COLONS = ":：∶﹕︰"
_DASHES = "-‐‑‒–—―−﹣－─━~～〜"
_KEY = str.maketrans(
    {
        **{c: '"' for c in _QUOTES},
        **{c: "(" for c in _OPEN},
        **{c: ")" for c in _CLOSE},
        **{c: ":" for c in _COLONS},
        **{c: "-" for c in _DASHES},
        "・": "·",
        "•": "·",
        "‧": "·",
    }
)
_DASH_RUN = re.compile(r"-{2,}")


def match_key(text: str) -> str:
    """A key for comparing names printed with different quote, bracket, colon, dash and width forms.

    NFKC, every quote → ", every bracket → ( ), colons → :, dash runs → one -, whitespace removed,
    Latin lower-cased. Never displayed: 《》 also become ( ), which is only right for matching.
    """
    text = nfkc_squash(text).translate(_KEY)
    return _DASH_RUN.sub("-", text).lower()


_NUMERIC_END = re.compile(r"[\d%‰]")


def _is_numeric(ch: str) -> bool:
    return bool(ch) and bool(_NUMERIC_END.fullmatch(ch))


def strip_extraction_spaces(text: str) -> str:
    """Drop spaces between CJK characters and between CJK and numbers (2021 年 → 2021年).

    Also a space before % (75 % → 75%). Spaces between Latin words, and between Latin letters
    and CJK (Eleven 街舞社), are the author's and stay.
    """
    text = tidy(text)
    if " " not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " " and 0 < i < len(text) - 1:
            prev, nxt = text[i - 1], text[i + 1]
            if (is_cjk(prev) and (is_cjk(nxt) or nxt.isdigit())) or (_is_numeric(prev) and is_cjk(nxt)):
                continue
            if prev.isdigit() and nxt in "%‰":
                continue
        out.append(ch)
    return "".join(out)
