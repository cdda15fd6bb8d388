"""Find and parse numeric expressions in sentence text: money, power, percentages, periods.

Every finder takes one string and returns a list of :class:`Span` (start, end, the matched
text, and a parsed value), sorted by start and never overlapping. They never raise on any
input and use only precompiled regular expressions, so they can run on every sentence of a
large corpus.

>>> [s.value.label for s in find_periods("Revenue in Q2 2025 rose 12%.")]
['2025-Q2']
"""
from __future__ import annotations

import re
from bisect import bisect_right
from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = [
    "Money", "Period", "Span",
    "find_money", "find_percent", "find_periods", "find_power", "parse_money",
]


# --------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Money:
    """An amount of money in its own currency (never converted).

    ``amount`` is the number (the low end of a range), ``high`` the upper end of a range,
    ``qualifier`` one of ``"about"``, ``"over"``, ``"under"``, ``"almost"`` or None, and
    ``per_share`` is True when the amount is followed by "per share" / "a share".

    >>> m = Money(66e9, "USD", high=72e9)
    >>> (m.amount_usd, m.is_range)
    (66000000000.0, True)
    """

    amount: float
    currency: str
    high: float | None = None
    qualifier: str | None = None
    per_share: bool = False

    @property
    def amount_usd(self) -> float | None:
        """The amount when it is in US dollars, else None (no conversion is attempted).

        >>> Money(5.0, "EUR").amount_usd is None
        True
        """
        return self.amount if self.currency == "USD" else None

    @property
    def is_range(self) -> bool:
        """True when the money is a range (``high`` is set).

        >>> Money(1.0, "USD").is_range
        False
        """
        return self.high is not None


@dataclass(frozen=True)
class Period:
    """A time period named in text.

    ``label`` is one of ``2025``, ``2025-Q2``, ``FY2025``, ``FY2025-Q1``, ``2025-06``,
    ``2025-06-30`` or ``2025-H1``; ``kind`` is ``year``, ``quarter``, ``fiscal_year``,
    ``fiscal_quarter``, ``month``, ``date`` or ``half`` accordingly.

    >>> Period("2025-H1", "half").kind
    'half'
    """

    label: str
    kind: str


@dataclass(frozen=True)
class Span:
    """A match inside a text: ``text == source[start:end]`` and its parsed ``value``.

    >>> find_percent("up 49%")[0]
    Span(start=3, end=6, text='49%', value=49.0)
    """

    start: int
    end: int
    text: str
    value: object


# --------------------------------------------------------------------------------------
# Shared word tables and helpers
# --------------------------------------------------------------------------------------

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# "twenty-five", "twenty five", "seven", "a" (= 1 where a count noun follows).
_WORD_NUMBER = (
    r"(?:(?:" + "|".join(_TENS) + r")(?:[-\s](?:" + "|".join(_UNITS) + r"))?"
    r"|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
)

# A written number: "1,500", "2.04", "300", ".5".
_NUM = r"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?![\d,]\d)"

SCALES: dict[str, int] = {
    "trillion": 10**12, "tn": 10**12, "trn": 10**12, "tln": 10**12, "t": 10**12,
    "billion": 10**9, "bn": 10**9, "bln": 10**9, "b": 10**9,
    "million": 10**6, "mn": 10**6, "mln": 10**6, "mm": 10**6, "m": 10**6,
    "thousand": 10**3, "k": 10**3,
    "crore": 10**7, "crores": 10**7, "lakh": 10**5, "lakhs": 10**5,
}
# Words and multi-letter abbreviations may follow a space ("$500 bn"); single letters and
# "MM" must be glued to the number ("$2B", "$100m") so "$5 M&A" or "$3 more" are not read.
_SCALE = (
    r"(?:\s?(?i:trillion|billion|million|thousand|crores?|lakhs?|tn|trn|tln|bn|bln|mn|mln)"
    r"|MM|mm|[TtBbMmKk])(?![A-Za-z])"
)
_SCALE_WORD = r"(?i:trillion|billion|million|thousand)(?![A-Za-z])"


def _word_value(word: str) -> float | None:
    """``"twenty-five"`` -> 25, ``"a"`` -> 1, ``"half a"`` -> 0.5; None when not a number.

    >>> _word_value("twenty-five"), _word_value("half a"), _word_value("many")
    (25, 0.5, None)
    """
    w = " ".join(word.lower().split())
    if w in ("a", "an"):
        return 1
    if w in ("half a", "half an"):
        return 0.5
    parts = re.split(r"[-\s]+", w)
    total = 0
    for p in parts:
        if p not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[p]
    return total


def _to_decimal(number: str) -> Decimal | None:
    try:
        return Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None


def _scale_of(token: str | None) -> int:
    if not token:
        return 1
    t = token.strip()
    if t in ("MM", "mm"):
        return 10**6
    return SCALES.get(t.lower(), 1)


def _windows(text: str, hint: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    """Merged stretches of ``text`` around each match of ``hint``.

    Finders search only there: each of their matches contains a hint (a unit, a percent
    sign, a month name ...), so text without one is skipped at the speed of one search.
    """
    out: list[tuple[int, int]] = []
    for m in hint.finditer(text):
        lo, hi = max(0, m.start() - before), min(len(text), m.end() + after)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _finditer_windows(regex: re.Pattern[str], text: str,
                      windows: list[tuple[int, int]]) -> Iterable[re.Match[str]]:
    for lo, hi in windows:
        yield from regex.finditer(text, lo, hi)


def _nonoverlapping(spans: Iterable[Span]) -> list[Span]:
    """Keep the earliest, then longest, span of every overlapping group; sorted by start."""
    out: list[Span] = []
    last_end = -1
    for s in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if s.start >= last_end:
            out.append(s)
            last_end = s.end
    return out


# --------------------------------------------------------------------------------------
# Money
# --------------------------------------------------------------------------------------

# Symbols and codes written before the number ("$5", "US$3", "EUR 1.7bn", "CHF 2m").
PREFIX_CURRENCIES: dict[str, str] = {
    "$": "USD", "US$": "USD", "U.S.$": "USD", "USD": "USD",
    "C$": "CAD", "CA$": "CAD", "CAD": "CAD",
    "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "NZ$": "NZD", "NZD": "NZD", "HK$": "HKD", "HKD": "HKD", "S$": "SGD", "SGD": "SGD",
    "NT$": "TWD", "TWD": "TWD", "R$": "BRL", "BRL": "BRL",
    "€": "EUR", "EUR": "EUR", "£": "GBP", "GBP": "GBP",
    "¥": "JPY", "JP¥": "JPY", "JPY": "JPY", "CN¥": "CNY", "RMB": "CNY", "CNY": "CNY",
    "₹": "INR", "INR": "INR", "Rs.": "INR", "Rs": "INR",
    "₩": "KRW", "KRW": "KRW", "CHF": "CHF", "SEK": "SEK", "NOK": "NOK", "DKK": "DKK",
    "₪": "ILS", "ILS": "ILS", "AED": "AED", "SAR": "SAR",
}
# Words and codes written after the number ("1.7 billion euros", "3 billion USD").
SUFFIX_CURRENCIES: dict[str, str] = {
    "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD", "american dollars": "USD",
    "canadian dollars": "CAD", "australian dollars": "AUD", "hong kong dollars": "HKD",
    "singapore dollars": "SGD", "taiwan dollars": "TWD", "new taiwan dollars": "TWD",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "pounds": "GBP",
    "british pounds": "GBP", "sterling": "GBP", "yen": "JPY", "japanese yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "chinese yuan": "CNY", "rupees": "INR",
    "indian rupees": "INR", "won": "KRW", "korean won": "KRW", "swiss francs": "CHF",
    "francs": "CHF",
}
SUFFIX_CODES: tuple[str, ...] = (
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "KRW", "CHF", "CAD", "AUD", "HKD",
    "SGD", "TWD", "SEK", "NOK", "DKK",
)
# Suffix words that are also ordinary English ("500 pounds", "Team 7 won"): need a scale.
AMBIGUOUS_SUFFIXES: frozenset[str] = frozenset({"pounds", "won", "francs", "sterling"})

# Hedges before an amount, mapped to the four qualifiers.
QUALIFIERS: dict[str, str] = {
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "approx.": "about", "some": "about", "an estimated": "about", "estimated": "about",
    "circa": "about", "~": "about", "in the region of": "about",
    "almost": "almost", "nearly": "almost", "close to": "almost", "just under": "almost",
    "just shy of": "almost", "just below": "almost", "not quite": "almost",
    "over": "over", "more than": "over", "above": "over", "upwards of": "over",
    "upward of": "over", "in excess of": "over", "at least": "over", "north of": "over",
    "exceeding": "over", "well over": "over", "well above": "over", "just over": "over",
    "greater than": "over", "a minimum of": "over",
    "under": "under", "less than": "under", "below": "under", "up to": "under",
    "as much as": "under", "no more than": "under", "at most": "under",
    "a maximum of": "under", "as high as": "under",
}
# Words just before "X to Y" that make it a change, not a range ("rose from $5B to $7B").
CHANGE_WORDS: frozenset[str] = frozenset({
    "from", "by", "up", "down", "rose", "grew", "increased", "jumped", "climbed", "fell",
    "dropped", "declined", "decreased", "cut", "raised", "lowered", "lifted", "boosted",
    "surged", "soared", "slid", "slipped", "gained", "lost", "added", "shed",
})


def _alternation(keys: Iterable[str], *, ignore_case: bool = False) -> str:
    body = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


_PREFIX = _alternation(PREFIX_CURRENCIES)
_SUFFIX_WORD = _alternation(SUFFIX_CURRENCIES, ignore_case=True)
_SUFFIX_CODE = _alternation(SUFFIX_CODES)
# After a "$" amount only a code or a kind of dollar may follow ("$3 billion Canadian
# dollars"), never "won" or "pounds" ("the $5 million prize won by ...").
_SUFFIX_DOLLARS = _alternation((k for k in SUFFIX_CURRENCIES if "dollar" in k), ignore_case=True)
_QUALIFIER = (
    r"(?:(?<![\w$])" + _alternation((q for q in QUALIFIERS if q != "~"), ignore_case=True)
    + r"\s+|~\s?)"
)
# A hedge and/or "between" right before an amount (searched backwards from the amount).
MONEY_LEAD_RE = re.compile(rf"(?P<qual>{_QUALIFIER})?(?P<btw>(?i:between)\s+)?\Z")
# The separator of a range; "and" only counts after "between", "to" not after "rose from".
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?i:to|and)\s+)"
_PER_SHARE = r"[\s-](?i:per|a)[\s-](?i:diluted[\s-]|basic[\s-])?(?i:share|ADS|ADR)\b"
_PLUS = r"(?:\+|-plus\b|\s+or\s+more\b)"
_TAIL = rf"(?P<plus>{_PLUS})?(?P<ps>{_PER_SHARE})?"

# "$66-$72 billion", "€1 and €2bn", "US$3 billion", "$2.31 a share". It starts with the
# currency so the regex engine can skip ahead to currency characters quickly.
MONEY_PREFIXED_RE = re.compile(
    rf"""
    (?P<c1>{_PREFIX})\s?(?P<n1>{_NUM})(?P<s1>{_SCALE})?
    (?:(?P<sep>{_RANGE_SEP})(?P<c2>{_PREFIX})?\s?(?P<n2>{_NUM})(?P<s2>{_SCALE})?)?
    (?:\s(?P<suf>{_SUFFIX_CODE}|{_SUFFIX_DOLLARS})(?![A-Za-z]))?
    {_TAIL}
    """,
    re.VERBOSE,
)
# "1.7 billion euros", "66 and 72 billion yen", "two billion dollars", "5bn EUR". Only
# searched in a window before each currency word found by MONEY_SUFFIX_HINT_RE.
MONEY_SUFFIXED_RE = re.compile(
    rf"""
    (?:(?P<n1>{_NUM})(?P<s1>{_SCALE})?|(?P<w1>(?i:half\s+an?|an?|{_WORD_NUMBER}))\s+(?P<ws1>{_SCALE_WORD}))
    (?:(?P<sep>{_RANGE_SEP})(?P<n2>{_NUM})(?P<s2>{_SCALE})?)?
    \s?(?P<suf>{_SUFFIX_CODE}|{_SUFFIX_WORD})(?![A-Za-z])
    {_TAIL}
    """,
    re.VERBOSE,
)
MONEY_SUFFIX_HINT_RE = re.compile(rf"(?<![A-Za-z])(?:{_SUFFIX_CODE}|{_SUFFIX_WORD})(?![A-Za-z])")
# Characters that may not touch the start of an amount ("A$5" is not "$5", "1.5" not "5").
_BAD_BEFORE_PREFIX = re.compile(r"[\w.]")
_BAD_BEFORE_NUMBER = re.compile(r"[\w.,$€£¥₹₩-]")
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)\W*\Z")
# "earnings per share of $7.14", "EPS was $1.05": a per-share amount named before it.
_PER_SHARE_BEFORE_RE = re.compile(r"(?:\b(?i:per[\s-]share)|\bEPS)\b[^.;$€£¥₹₩\d]{0,25}\Z")
_SUFFIX_WINDOW = 60  # characters searched before a currency word for its number


def _money_from_match(m: re.Match[str], text: str) -> Span | None:
    """Build the Money of one match, or None; a rejected range ends after the first amount."""
    g = m.groupdict()
    prefixed = g.get("c1") is not None
    suffix = g.get("suf")
    suffix_key = suffix.lower() if suffix else ""
    if prefixed:
        currency = PREFIX_CURRENCIES[g["c1"]]
        if suffix and g["c1"] == "$":
            # "$3 billion AUD", "$5 billion Canadian dollars": the suffix is more specific.
            currency = SUFFIX_CURRENCIES.get(suffix_key) or PREFIX_CURRENCIES.get(suffix, currency)
    else:
        currency = SUFFIX_CURRENCIES.get(suffix_key) or PREFIX_CURRENCIES.get(suffix or "", "")
        if not currency:
            return None

    if g.get("w1"):
        word = _word_value(g["w1"])
        if word is None:
            return None
        low, low_scale, low_scaled = Decimal(str(word)), _scale_of(g["ws1"]), True
    else:
        dec = _to_decimal(g["n1"])
        if dec is None:
            return None
        low, low_scale, low_scaled = dec, _scale_of(g.get("s1")), bool(g.get("s1"))
    if not prefixed and suffix_key in AMBIGUOUS_SUFFIXES and not (low_scaled or g.get("s2")):
        return None  # "500 pounds", "Team 7 won"

    lead = _money_lead(text, m.start())
    qual = lead.group("qual") if lead else None
    between = bool(lead and lead.group("btw"))
    lead_start = lead.start() if lead and lead.end() > lead.start() else m.start()

    high: Decimal | None = None
    if g.get("n2") is not None:
        high = _range_high(m, text, low * (low_scale if low_scaled else 1), between, lead_start)
        if high is not None and not low_scaled:
            low_scale = _scale_of(g.get("s2"))  # "$66-72 billion": the scale is shared
    if g.get("n2") is not None and high is None:
        if not prefixed:
            return None  # the currency word belonged to the second number
        end = m.end("s1") if g.get("s1") else m.end("n1")
        per_share, plus = False, False
    else:
        end = m.end()
        per_share, plus = bool(g.get("ps")), bool(g.get("plus"))
    if not per_share and high is None:
        head = text[max(0, m.start() - 45):m.start()]
        per_share = ("EPS" in head or "hare" in head) and _PER_SHARE_BEFORE_RE.search(head) is not None

    if between and high is None:
        start, qualifier = m.start(), None  # "between $5 billion in cash and ...": drop it
    else:
        start = lead_start
        qualifier = QUALIFIERS.get(re.sub(r"\s+", " ", qual.strip().lower())) if qual else None
    if plus and qualifier is None:
        qualifier = "over"
    value = Money(
        amount=float(low * low_scale), currency=currency,
        high=float(high) if high is not None else None,
        qualifier=qualifier, per_share=per_share,
    )
    return Span(start, end, text[start:end], value)


# Last words of the hedges (and "between"): only text ending in one needs the lead regex.
_LEAD_LAST_WORDS: frozenset[str] = frozenset(
    {q.split()[-1] for q in QUALIFIERS} | {"between"}
)


def _money_lead(text: str, start: int) -> re.Match[str] | None:
    """The hedge and/or "between" right before an amount starting at ``start``, if any."""
    head = text[max(0, start - 40):start].rstrip()
    if not head:
        return None
    last = head.rsplit(None, 1)[-1].lower()
    if last not in _LEAD_LAST_WORDS and not last.endswith("~"):
        return None
    return MONEY_LEAD_RE.search(text, max(0, start - 40), start)


def _is_change(text: str, start: int, sep: str | None) -> bool:
    """True when "X to Y" starting at ``start`` follows a change word ("rose from X to Y")."""
    if not sep or sep.strip().lower() != "to":
        return False
    before = _WORD_BEFORE_RE.search(text, max(0, start - 30), start)
    return before is not None and before.group(1).lower() in CHANGE_WORDS


def _range_high(m: re.Match[str], text: str, low: Decimal, between: bool,
                lead_start: int) -> Decimal | None:
    """The upper end of "X to Y" / "X-Y" / "between X and Y", or None when it is no range."""
    g = m.groupdict()
    sep = (g.get("sep") or "").strip().lower()
    if sep == "and" and not between:
        return None
    if _is_change(text, lead_start, sep):
        return None  # "rose from $5B to $7B" is a change, not a range
    if g.get("c2") and PREFIX_CURRENCIES[g["c2"]] != PREFIX_CURRENCIES[g["c1"]]:
        return None
    high = _to_decimal(g["n2"])
    if high is None:
        return None
    high_scale = _scale_of(g.get("s2"))
    low_value = low if (g.get("s1") or g.get("ws1")) else low * high_scale
    high *= high_scale
    return high if low_value <= high else None


def _scan_prefixed(text: str) -> Iterable[Span]:
    pos = 0
    while (m := MONEY_PREFIXED_RE.search(text, pos)) is not None:
        if m.start() and _BAD_BEFORE_PREFIX.match(text, m.start() - 1):
            pos = m.start() + 1
            continue
        span = _money_from_match(m, text)
        if span is None:
            pos = m.start() + 1
            continue
        yield span
        # A rejected range ("rose from $5B to $7B") ends early: rescan the rest.
        pos = max(span.end, m.start() + 1)


def _scan_suffixed(text: str) -> Iterable[Span]:
    done = 0
    for hint in MONEY_SUFFIX_HINT_RE.finditer(text):
        pos = max(done, hint.start() - _SUFFIX_WINDOW)
        end = min(len(text), hint.end() + 40)
        while (m := MONEY_SUFFIXED_RE.search(text, pos, end)) is not None:
            if m.start("suf") > hint.start():
                break
            start_ok = not (m.start() and _BAD_BEFORE_NUMBER.match(text, m.start() - 1))
            span = _money_from_match(m, text) if start_ok else None
            if span is not None:
                yield span
                done = span.end
                break
            pos = m.start() + 1


def find_money(text: str) -> list[Span]:
    """Every amount of money in ``text``; ``value`` is a :class:`Money`.

    >>> [(s.text, s.value.amount, s.value.high) for s in find_money("capex of $66B to $72B")]
    [('$66B to $72B', 66000000000.0, 72000000000.0)]
    """
    if not text:
        return []
    return _with_dollar_equivalents(text, _nonoverlapping([*_scan_prefixed(text), *_scan_suffixed(text)]))


# Between an amount in another currency and the dollar figure the article gives for it:
# "€1.7 billion ($2 billion)", "€1.7 billion, or about $2 billion", "€1.7 billion round, worth $2 billion".
_EQUIVALENT_GAP = re.compile(r"\s*\(\s*(?:about |around |roughly |nearly |approximately |some |u\.?s\.? )*"
                             r"|(?:\s+[a-z-]+){0,3}\s*,\s*(?:or |worth |equivalent to |equal to )"
                             r"(?:about |around |roughly |nearly |approximately |some |close to |almost |just over |"
                             r"more than |over )*")


def _with_dollar_equivalents(text: str, spans: list[Span]) -> list[Span]:
    """Give an amount in another currency the dollar figure the article states for it, and
    drop that second figure.

    >>> [(s.text, s.value.amount, s.value.currency) for s in find_money("a €1.7 billion round, worth about $2 billion")]
    [('€1.7 billion', 2000000000.0, 'USD')]
    """
    out: list[Span] = []
    for span in spans:
        prev = out[-1] if out else None
        if (prev is not None and isinstance(prev.value, Money) and isinstance(span.value, Money)
                and prev.value.currency != "USD" and span.value.currency == "USD"
                and _EQUIVALENT_GAP.fullmatch(text, prev.end, span.start)):
            out[-1] = Span(prev.start, prev.end, prev.text, span.value)
            continue
        out.append(span)
    return out


def parse_money(text: str) -> Money | None:
    """The first amount of money in ``text``, or None.

    >>> parse_money("a $40 billion round")
    Money(amount=40000000000.0, currency='USD', high=None, qualifier=None, per_share=False)
    """
    spans = find_money(text)
    return spans[0].value if spans else None  # type: ignore[return-value]


# --------------------------------------------------------------------------------------
# Power
# --------------------------------------------------------------------------------------

# Gigawatts per unit.
POWER_UNITS: dict[str, float] = {
    "tw": 1000.0, "terawatt": 1000.0, "terawatts": 1000.0,
    "gw": 1.0, "gigawatt": 1.0, "gigawatts": 1.0,
    "mw": 0.001, "megawatt": 0.001, "megawatts": 0.001,
    "kw": 0.000001, "kilowatt": 0.000001, "kilowatts": 0.000001,
}
_POWER_UNIT = r"(?:(?i:terawatts?|gigawatts?|megawatts?|kilowatts?)|TW|GW|MW|kW|KW)"
# Energy ("GWh", "gigawatt-hours") and vague sizes ("gigawatt-scale") are not power values.
_POWER_NOT_AFTER = r"(?![A-Za-z]|[-\s](?i:hours?|scale|class|level|sized?|range)\b)"
# Every power match contains one of these; text without them is skipped quickly.
POWER_HINT_RE = re.compile(r"GW|MW|kW|KW|TW|Watt|watt|WATT")  # plain words: searched faster than "[GMkKT]W"
POWER_RE = re.compile(
    rf"""
    (?<![\w.,])
    (?:
        (?P<num>{_NUM})(?:(?P<sep>\s*(?:[-–]|to)\s*)(?P<num2>{_NUM}))?
      | (?P<word>(?i:half\s+an?|an?|{_WORD_NUMBER}))
    )
    [\s-]?(?P<unit>{_POWER_UNIT}){_POWER_NOT_AFTER}
    """,
    re.VERBOSE,
)


def find_power(text: str) -> list[Span]:
    """Every electrical power amount in ``text``; ``value`` is gigawatts (float).

    A range ("1-2 GW") gives its low end.

    >>> [(s.text, s.value) for s in find_power("a 300MW site and a gigawatt campus")]
    [('300MW', 0.3), ('a gigawatt', 1.0)]
    """
    if not text:
        return []
    spans: list[Span] = []
    for m in _finditer_windows(POWER_RE, text, _windows(text, POWER_HINT_RE, 40, 30)):
        unit = POWER_UNITS[m.group("unit").lower()]
        start = m.start()
        if m.group("num") is not None:
            num = m.group("num")
            if m.group("num2") is not None and _is_change(text, m.start(), m.group("sep")):
                num, start = m.group("num2"), m.start("num2")  # "from 1 to 5 GW": the 5
            dec = _to_decimal(num)
            if dec is None:
                continue
            number = float(dec)
        else:
            w = _word_value(m.group("word"))
            if w is None:
                continue
            if m.group("word").lower() in ("a", "an") and m.group("unit").isupper():
                continue  # "a GW" is not a way people write one gigawatt
            number = float(w)
        value = round(number * unit, 9)
        spans.append(Span(start, m.end(), text[start:m.end()], value))
    return spans


# --------------------------------------------------------------------------------------
# Percent
# --------------------------------------------------------------------------------------

# Hyphenated (or plural) fractions read as percentages; "half" and "a third" are too vague.
FRACTIONS: dict[str, float] = {
    "one-third": 33.33, "two-thirds": 66.67, "two thirds": 66.67,
    "one-quarter": 25.0, "three-quarters": 75.0,
    "one-fourth": 25.0, "three-fourths": 75.0, "three fourths": 75.0,
    "one-fifth": 20.0, "two-fifths": 40.0, "three-fifths": 60.0, "four-fifths": 80.0,
    "two fifths": 40.0, "three fifths": 60.0, "four fifths": 80.0,
    "one-tenth": 10.0, "one-sixth": 16.67, "five-sixths": 83.33, "one-eighth": 12.5,
}
_PERCENT_SIGN = r"(?:\s?%|[\s-]?(?i:percent|per\s?cent|pct)\b(?![\s-](?i:points?|pts?)\b))"
# Every percent match contains one of these; text without them is skipped quickly. Each
# alternative starts with a plain letter (not "[Pp]"), so the regex engine can skip ahead.
PERCENT_HINT_RE = re.compile(
    r"%|Per\s?cent|per\s?cent|PER\s?CENT|Pct|pct|Third|third|THIRD|Quarter|quarter|QUARTER"
    r"|Fourth|fourth|FOURTH|Fifth|fifth|FIFTH|Sixth|sixth|SIXTH|Eighth|eighth|EIGHTH|Tenth|tenth|TENTH"
)
PERCENT_RE = re.compile(
    rf"""
    (?:
        (?<![\w.,%])(?P<neg>[-−](?=\d))?(?P<num>{_NUM})
        (?:(?P<sign1>{_PERCENT_SIGN})?(?P<sep>\s*(?:[-–]|to)\s*)(?P<num2>{_NUM}))?
        (?P<sign>{_PERCENT_SIGN})
      | (?<![\w-])(?P<word>(?i:{_WORD_NUMBER}))(?P<wsign>[\s-](?i:percent|per\s?cent)\b(?![\s-](?i:points?)\b))
      | (?<![\w-])(?P<frac>{_alternation(FRACTIONS, ignore_case=True)})(?![\w-])
    )
    """,
    re.VERBOSE,
)


def find_percent(text: str) -> list[Span]:
    """Every percentage in ``text``; ``value`` is the percentage as a float (49% -> 49.0).

    A range ("20-30%") gives its low end; "percentage points" are not percentages.

    >>> [s.value for s in find_percent("a 49% stake, 11 percent growth, two-thirds of it")]
    [49.0, 11.0, 66.67]
    """
    if not text:
        return []
    spans: list[Span] = []
    for m in _finditer_windows(PERCENT_RE, text, _windows(text, PERCENT_HINT_RE, 40, 30)):
        if m.group("num") is not None:
            if m.group("num2") is not None and _is_change(text, m.start(), m.group("sep")):
                # "rose from 40% to 45%": two values, not a range.
                first_end = m.end("sign1") if m.group("sign1") else m.end("num")
                for lo, hi, num in ((m.start(), first_end, m.group("num")),
                                    (m.start("num2"), m.end(), m.group("num2"))):
                    dec = _to_decimal(num)
                    if dec is not None:
                        neg = lo == m.start() and bool(m.group("neg"))
                        spans.append(Span(lo, hi, text[lo:hi], -float(dec) if neg else float(dec)))
                continue
            dec = _to_decimal(m.group("num"))
            if dec is None:
                continue
            value = float(dec)
            if m.group("neg"):
                value = -value
        elif m.group("word") is not None:
            w = _word_value(m.group("word"))
            if w is None:
                continue
            value = float(w)
        else:
            value = FRACTIONS[re.sub(r"\s+", " ", m.group("frac").lower())]
        spans.append(Span(m.start(), m.end(), m.group(0), value))
    return spans


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
    "final": 4, "last": 4,
}
HALVES: dict[str, int] = {
    "first": 1, "1st": 1, "front": 1, "second": 2, "2nd": 2, "back": 2, "latter": 2,
}
# Words before a month or date that put it in the past ("as of June 30", "since March").
PAST_CUES: frozenset[str] = frozenset({"as of", "as at", "ended", "since", "last"})
FUTURE_CUES: frozenset[str] = frozenset({"next", "coming"})

# Month names are capitalised ("May 5" but not "may 5"); abbreviations may end in ".".
_MONTH = (
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![A-Za-z])"
)
_YEAR4 = r"(?:19[89]\d|20\d\d|2100)(?!\d)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"


def _cased(*words: str) -> str:
    """Lower-case, Capitalised and UPPER-case forms of words, e.g. ``(?:[Ff]irst|FIRST)``.

    Patterns that start with a case-insensitive group are much slower to search, so the
    first word of a period pattern is spelled out this way instead.
    """
    forms = []
    for w in words:
        forms.append(f"[{w[0].upper()}{w[0].lower()}]{w[1:]}" if w[0].isalpha() else w)
        if w[0].isalpha():
            forms.append(w.upper())
    return "(?:" + "|".join(forms) + ")"


_ORD = rf"(?:{_cased('first', 'second', 'third', 'fourth', 'final', 'last')}|1st|2nd|3rd|4th)"
_FISCAL = rf"{_cased('fiscal')}(?:[\s-](?i:year))?"
# A fiscal year after "fiscal": 2025, 2024-25, 2024/2025.
_FY_YEAR = r"(?P<fy>" + _YEAR4 + r")(?:[-/](?P<fy2>\d{2}|" + _YEAR4 + r"))?(?![\d-])"
# A fiscal year after "FY": FY2025, FY 2025, FY25, FY'25, FY2024-25.
_FY_CODE = r"FY\s?'?(?P<fyc>" + _YEAR4 + r"|\d{2})(?:[-/](?P<fyc2>\d{2}|" + _YEAR4 + r"))?(?![\d-])"
_QUARTER = r"(?i:quarter)"

# Cheap searches run once per text: a rule is only tried near its hint ("fiscal",
# "quarter", a month name ...) or, for "digit", on the whole text when it has a digit.
# Each hint is spelled as plain words ("Year|year", not "[Yy]ear"): the regex engine then
# skips ahead to their first letters, which makes the search several times faster.
_HINT_WINDOW = 60  # characters searched on each side of a hint
PERIOD_HINTS: dict[str, re.Pattern[str]] = {
    "digit": re.compile(r"\d"),
    "slash": re.compile(r"/"),  # "7/23/2025"
    "fiscal": re.compile(r"Fiscal|fiscal|FISCAL|FY|Financial|financial|FINANCIAL"),
    "quarter": re.compile(r"Quarter|quarter|QUARTER"),
    "half": re.compile(r"Half|half|HALF"),
    "month": re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"),
    "relative": re.compile(r"Year|year|Quarter|quarter|Month|month|YEAR|QUARTER|MONTH"),
}
_WORD_CHAR = re.compile(r"\w")


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.VERBOSE)


@dataclass(frozen=True)
class _Rule:
    """One period pattern: its regex, the builder of its Period, the hint it needs, the
    characters that may not come right before it, and where its span starts."""

    regex: re.Pattern[str]
    build: Callable[[re.Match[str], date | None], Period | None]
    hint: str = "digit"
    not_after: re.Pattern[str] | None = _WORD_CHAR
    start: Callable[[re.Match[str]], int] | None = None


def _two_digit(y: str) -> int:
    y = y.lstrip("'")
    n = int(y)
    return 2000 + n if len(y) == 2 else n


def _fiscal_year(m: re.Match[str]) -> int | None:
    """The fiscal year named by the match: the end year of a span like 2024-25."""
    g = m.groupdict()
    first, second = (g.get("fy"), g.get("fy2")) if g.get("fy") else (g.get("fyc"), g.get("fyc2"))
    if first is None:
        return None
    year = _two_digit(first)
    if second:
        end = int(second) if len(second) == 4 else (year // 100) * 100 + int(second)
        if end == year + 1:
            return end
        return None
    return year


def _quarter_not_after(q: int, pub: date) -> int:
    """Year of the most recent quarter ``q`` that started on or before ``pub``."""
    return pub.year if date(pub.year, 3 * q - 2, 1) <= pub else pub.year - 1


def _half_not_after(h: int, pub: date) -> int:
    return pub.year if date(pub.year, 6 * h - 5, 1) <= pub else pub.year - 1


def _safe_date(y: int, mo: int, d: int) -> date | None:
    if not 1 <= mo <= 12 or not 1 <= d <= monthrange(y, mo)[1]:
        return None
    return date(y, mo, d)


# The cue right before a yearless date: "as of June 30", "since March 3", "next May 1".
_DATE_CUE_RE = re.compile(
    r"(?<![A-Za-z])(?P<cue>as\s+of|as\s+at|ended|since|last|next|coming|this)\s+(?:the\s+)?\Z",
    re.IGNORECASE,
)
# The cue before a bare month name, and an optional modifier: "in June", "by early July",
# "since the end of March", "last September", "mid-June". Without either, no period.
_MONTH_CUE_RE = re.compile(
    r"""(?:(?<![A-Za-z])(?P<cue>in|during|since|by|until|till|through|before|after|from
                         |as\s+of|as\s+at|last|next|this|this\s+coming|the\s+coming)\s+)?
        (?P<mod>(?<![A-Za-z])(?:early|mid|late|the\s+end\s+of|the\s+start\s+of
                                |the\s+beginning\s+of|the\s+middle\s+of)[\s-]+)?\Z""",
    re.IGNORECASE | re.VERBOSE,
)


def _cue_before(text: str, start: int) -> str | None:
    """The cue word(s) just before ``start`` ("as of", "since", "next" ...), lower-cased."""
    m = _DATE_CUE_RE.search(text, max(0, start - 16), start)
    return re.sub(r"\s+", " ", m.group("cue").lower()) if m else None


def _anchor_date(mo: int, d: int, pub: date, cue: str | None) -> date | None:
    """The year of a yearless "June 30": in the past after a past cue, else the nearest."""
    candidates = [_safe_date(y, mo, d) for y in (pub.year - 1, pub.year, pub.year + 1)]
    valid = [c for c in candidates if c is not None]
    if not valid:
        return None
    if cue in PAST_CUES:
        past = [c for c in valid if c <= pub]
        return max(past) if past else None
    if cue in FUTURE_CUES:
        future = [c for c in valid if c > pub]
        return min(future) if future else None
    if cue == "this":
        return _safe_date(pub.year, mo, d)
    return min(valid, key=lambda c: (abs((c - pub).days), c > pub))


def _anchor_month(mo: int, pub: date, cue: str | None) -> int:
    """The year of a yearless month name, chosen as for dates (nearest, or past/future)."""
    here = pub.year * 12 + pub.month - 1
    options = [(y, y * 12 + mo - 1) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if cue == "this":
        return pub.year
    if cue in PAST_CUES:
        strict = cue == "last"
        return max(y for y, idx in options if (idx < here if strict else idx <= here))
    if cue in FUTURE_CUES:
        return min(y for y, idx in options if idx > here)
    return min(options, key=lambda o: (abs(o[1] - here), o[1] > here))[0]


def _month_number(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _quarter_from_end(end: date) -> tuple[int, int]:
    """(year, quarter) of the three months ending on ``end`` (fiscal quarters round to the
    calendar quarter holding most of them: "quarter ended October 27" -> Q3)."""
    mid = date.fromordinal(end.toordinal() - 45)
    return mid.year, (mid.month - 1) // 3 + 1


def _half_from_end(end: date) -> tuple[int, int]:
    mid = date.fromordinal(end.toordinal() - 90)
    return mid.year, 1 if mid.month <= 6 else 2


# Builders: each takes the match and the publication date and returns a Period or None.

def _first(m: re.Match[str], *names: str) -> str | None:
    """The first of the named groups that matched (alternatives use numbered names)."""
    g = m.groupdict()
    return next((g[n] for n in names if g.get(n)), None)


def _b_fiscal_quarter(m: re.Match[str], pub: date | None) -> Period | None:
    digit = _first(m, "q", "q2")
    q = int(digit) if digit else ORDINALS[m.group("ord").lower()]
    year = _fiscal_year(m)
    if year is None:
        if _first(m, "fy", "fyc") or pub is None:
            return None  # a malformed year span, or nothing to anchor on
        year = pub.year
    return Period(f"FY{year}-Q{q}", "fiscal_quarter")


def _b_fiscal_year(m: re.Match[str], pub: date | None) -> Period | None:
    year = _fiscal_year(m)
    if year is None:
        return None
    return Period(f"FY{year}", "fiscal_year")


def _b_fiscal_year_ending(m: re.Match[str], pub: date | None) -> Period | None:
    return Period(f"FY{int(m.group('y'))}", "fiscal_year")


def _b_quarter(m: re.Match[str], pub: date | None) -> Period | None:
    word = (_first(m, "ord") or "").lower()
    digit = _first(m, "q", "q2", "q3")
    q = int(digit) if digit else ORDINALS[word]
    ytext = _first(m, "y", "yy", "y2", "y3", "yy3")
    if ytext:
        return Period(f"{_two_digit(ytext)}-Q{q}", "quarter")
    if pub is None:
        return None
    if word == "last":
        return _relative_quarter(pub, -1)  # "last quarter" without a year: the one before
    return Period(f"{_quarter_not_after(q, pub)}-Q{q}", "quarter")


def _relative_quarter(pub: date, shift: int) -> Period:
    idx = pub.year * 4 + (pub.month - 1) // 3 + shift
    return Period(f"{idx // 4}-Q{idx % 4 + 1}", "quarter")


def _b_quarter_ending(m: re.Match[str], pub: date | None) -> Period | None:
    mo, d = _month_number(m.group("mon")), int(re.sub(r"\D", "", m.group("day")))
    if m.group("y"):
        end = _safe_date(int(m.group("y")), mo, d)
    elif pub is not None:
        end = _anchor_date(mo, d, pub, "ended")
    else:
        return None
    if end is None:
        return None
    if m.group("six"):
        y, h = _half_from_end(end)
        return Period(f"{y}-H{h}", "half")
    y, q = _quarter_from_end(end)
    return Period(f"{y}-Q{q}", "quarter")


def _b_half(m: re.Match[str], pub: date | None) -> Period | None:
    digit = _first(m, "h", "h2", "h3")
    h = int(digit) if digit else HALVES[m.group("hw").lower()]
    ytext = _first(m, "y", "yy", "y2", "yy2", "y3")
    if ytext:
        return Period(f"{_two_digit(ytext)}-H{h}", "half")
    if pub is None:
        return None
    rel = (_first(m, "hrel") or "").lower()
    if rel:
        year = pub.year + {"this": 0, "next": 1, "last": -1}[rel]
        return Period(f"{year}-H{h}", "half")
    return Period(f"{_half_not_after(h, pub)}-H{h}", "half")


def _b_date(m: re.Match[str], pub: date | None) -> Period | None:
    g = m.groupdict()
    mo = int(g["mnum"]) if g.get("mnum") else _month_number(g["mon"])
    d = int(re.sub(r"\D", "", g["day"]))
    if g.get("y"):
        found = _safe_date(int(g["y"]), mo, d)
    elif pub is not None:
        found = _anchor_date(mo, d, pub, _cue_before(m.string, m.start()))
    else:
        return None
    return Period(found.isoformat(), "date") if found else None


def _b_month(m: re.Match[str], pub: date | None) -> Period | None:
    """"June 2025" -> 2025-06; a bare month only after a cue ("in June", "last May")."""
    mo = _month_number(m.group("mon"))
    if m.groupdict().get("y"):
        return Period(f"{int(m.group('y'))}-{mo:02d}", "month")
    lead = _MONTH_CUE_RE.search(m.string, max(0, m.start() - 30), m.start())
    if pub is None or lead is None or lead.end() == lead.start():
        return None
    cue = re.sub(r"\s+", " ", (lead.group("cue") or "").lower())
    cue = cue.replace("this coming", "next").replace("the coming", "next")
    anchor = cue if cue in PAST_CUES or cue in FUTURE_CUES or cue == "this" else None
    return Period(f"{_anchor_month(mo, pub, anchor)}-{mo:02d}", "month")


# Cues kept in a month's span ("last September"); prepositions ("in June") are left out.
_KEPT_CUES: frozenset[str] = frozenset({"last", "next", "this", "this coming", "the coming"})


def _month_start(m: re.Match[str]) -> int:
    """A bare month's span starts at a kept cue or a modifier ("early June"), else itself."""
    lead = _MONTH_CUE_RE.search(m.string, max(0, m.start() - 30), m.start())
    if lead is None:
        return m.start()
    cue = lead.group("cue")
    if cue and re.sub(r"\s+", " ", cue.lower()) in _KEPT_CUES:
        return lead.start("cue")
    if lead.group("mod"):
        return lead.start("mod")
    return m.start()


_UNIT_AFTER_YEAR_RE = re.compile(
    r"\s*(?:%|(?i:percent|per\s?cent|million|billion|trillion|thousand|bn|mn|megawatts?"
    r"|gigawatts?|MW|GW|kW|GPUs?|chips|units|employees|people|workers|users|jobs)\b)"
)
_TOKEN_BEFORE_DASH_RE = re.compile(r"([A-Za-z0-9]+)[-–]\Z")
_YEAR_TOKEN_RE = re.compile(_YEAR4)
_DIGIT_GROUP_BEFORE_RE = re.compile(r"\d[ .]\Z")
_YEAR_SPAN_AFTER_RE = re.compile(r"[-–/](?:\d{2}|" + _YEAR4 + r")(?!\d)")


def _b_year(m: re.Match[str], pub: date | None) -> Period | None:
    """A bare year, unless it reads as a model number, a phone number or a count."""
    text, start, end = m.string, m.start(), m.end()
    before = text[max(0, start - 12):start]
    if before.endswith(("-", "–")):
        tok = _TOKEN_BEFORE_DASH_RE.search(before)
        if tok:
            t = tok.group(1)
            is_year = _YEAR_TOKEN_RE.fullmatch(t) is not None  # "2024-2025"
            is_word = t.isalpha() and (t.islower() or t.istitle())  # "mid-2025"
            if not (is_year or is_word):
                return None  # "GPT-2025", "555-2025"
    if _DIGIT_GROUP_BEFORE_RE.search(before):
        return None  # "555 2025": phone-like digit groups
    after = text[end:end + 16]
    if after[:1] in ("-", "–", "/") and not _YEAR_SPAN_AFTER_RE.match(after):
        return None  # "2025-123"
    if _UNIT_AFTER_YEAR_RE.match(after):
        return None  # "2000 GPUs", "2025 MW"
    return Period(m.group("y"), "year")


def _b_relative_year(m: re.Match[str], pub: date | None) -> Period | None:
    if pub is None:
        return None
    shift = {"this": 0, "the current": 0, "last": -1, "next": 1,
             "the coming": 1}[re.sub(r"\s+", " ", m.group("rel").lower())]
    unit = m.group("unit").lower()
    if unit == "year":
        return Period(str(pub.year + shift), "year")
    if unit == "quarter":
        return _relative_quarter(pub, shift)
    idx = pub.year * 12 + pub.month - 1 + shift
    return Period(f"{idx // 12}-{idx % 12 + 1:02d}", "month")


# Rules in priority order (earlier wins a tie between spans of equal extent).
PERIOD_RULES: tuple[_Rule, ...] = (
    # Fiscal quarters --------------------------------------------------------------------
    # "first fiscal quarter", "first fiscal quarter of 2025", "second fiscal-year quarter"
    _Rule(_p(rf"""(?P<ord>{_ORD})\s+(?:{_FISCAL}|FY)[\s-]{_QUARTER}
              (?:\s+(?i:of|in)\s+(?:{_FISCAL}\s+|(?i:the\s+)?)?(?:{_FY_YEAR}|{_FY_CODE}))?"""),
          _b_fiscal_quarter, "fiscal"),
    # "fiscal first quarter", "fiscal 2025 first quarter", "FY25 second quarter"
    _Rule(_p(rf"""(?:{_FISCAL}\s+(?:{_FY_YEAR}\s+)?|{_FY_CODE}\s+)(?P<ord>{_ORD})[\s-]{_QUARTER}"""),
          _b_fiscal_quarter, "fiscal"),
    # "first quarter of fiscal 2025", "Q1 of fiscal year 2025", "Q1 FY25", "Q1FY2025"
    _Rule(_p(rf"""(?:(?P<ord>{_ORD})[\s-]{_QUARTER}|Q(?P<q>[1-4]))\s*(?:(?i:of|in)\s+)?(?i:the\s+|its\s+)?
              (?:{_FISCAL}\s+{_FY_YEAR}|{_FY_CODE})"""),
          _b_fiscal_quarter, "fiscal"),
    # "first quarter of its fiscal year" (no year: the published year)
    _Rule(_p(rf"""(?P<ord>{_ORD})[\s-]{_QUARTER}\s+(?i:of\s+(?:the|its|their)\s+(?:fiscal|financial)\s+year)\b"""),
          _b_fiscal_quarter, "fiscal"),
    # "fiscal Q1 2025", "fiscal Q1"; "FY25 Q1", "FY2025Q1", "fiscal 2025 Q1"
    _Rule(_p(rf"""{_FISCAL}\s+Q(?P<q>[1-4])(?:\s+(?:{_FY_YEAR}|{_FY_CODE}))?(?!\w)"""),
          _b_fiscal_quarter, "fiscal"),
    _Rule(_p(rf"""(?:{_FY_CODE}|{_FISCAL}\s+{_FY_YEAR})\s*Q(?P<q2>[1-4])(?!\w)"""),
          _b_fiscal_quarter, "fiscal"),
    # Fiscal years -----------------------------------------------------------------------
    # "FY2025", "FY 25", "FY'25", "FY2024-25"; "fiscal 2025", "fiscal year 2025"
    _Rule(_p(rf"""{_FY_CODE}(?!\w)"""), _b_fiscal_year, "fiscal"),
    _Rule(_p(rf"""{_FISCAL}\s+{_FY_YEAR}"""), _b_fiscal_year, "fiscal"),
    # "fiscal year ended June 30, 2025", "financial year ending in March 2026"
    _Rule(_p(rf"""{_cased('fiscal', 'financial')}\s+(?i:year\s+end(?:ed|ing|s))\s+(?:(?i:on|in)\s+)?
              (?:{_MONTH}\s+(?:{_DAY}\s*,?\s*)?)?(?P<y>{_YEAR4})"""),
          _b_fiscal_year_ending, "fiscal"),
    # Calendar quarters ------------------------------------------------------------------
    # "second quarter", "2nd quarter of 2025", "fourth-quarter", "the last quarter of 2024"
    _Rule(_p(rf"""(?P<ord>{_ORD})[\s-]{_QUARTER}(?!\w)
              (?:\s+(?i:of|in)\s+(?i:the\s+year\s+)?(?P<y>{_YEAR4})|,?\s+(?P<yy>{_YEAR4}))?"""),
          _b_quarter, "quarter"),
    # "Q2", "Q2 2025", "Q2'25", "Q2 of 2025", "2025 Q2", "2Q25", "2Q 2025"
    _Rule(_p(rf"""(?:Q(?P<q>[1-4])(?:[\s-]?(?:(?i:of\s+))?(?P<y>{_YEAR4})|\s?'(?P<yy>\d{{2}}))?
              |(?P<y2>{_YEAR4})[\s-]?Q(?P<q2>[1-4])
              |(?P<q3>[1-4])Q(?:\s?(?P<y3>{_YEAR4})|(?P<yy3>\d{{2}}))?)(?![\w-]|'\d)"""),
          _b_quarter),
    # "the quarter ending June 30", "three months ended March 31, 2025", "six months ended"
    _Rule(_p(rf"""(?:(?P<six>{_cased('six')}|6)[\s-](?i:months?)|(?:{_cased('three')}|3)[\s-](?i:months?)
              |(?:{_cased('fiscal')}\s+)?{_cased('quarter', 'period')})
              \s+(?i:end(?:ed|ing)|that\s+ended)\s+(?i:on\s+)?{_MONTH}\s+(?P<day>{_DAY})
              (?:\s*,?\s*(?P<y>{_YEAR4}))?"""),
          _b_quarter_ending, "month"),
    # Halves -----------------------------------------------------------------------------
    # "H1 2025", "H1'25", "H2", "1H25", "1H 2025", "2025 H1"
    _Rule(_p(rf"""(?:H(?P<h>[12])(?:[\s-]?(?P<y>{_YEAR4})|\s?'(?P<yy>\d{{2}}))?
              |(?P<h2>[12])H(?:\s?(?P<y2>{_YEAR4})|(?P<yy2>\d{{2}}))?
              |(?P<y3>{_YEAR4})\s?H(?P<h3>[12]))(?![\w-]|'\d)"""),
          _b_half),
    # "first half of 2025", "the second half", "second-half", "back half of the year",
    # "first half of next year"; "first half of the game" is not a period.
    _Rule(_p(rf"""(?P<hw>{_cased('first', 'second', 'front', 'back', 'latter')}|1st|2nd)[\s-](?i:half)(?!\w)
              (?:\s+of\s+(?:(?P<y>{_YEAR4})|(?i:the\s+(?:calendar\s+)?year)|(?P<hrel>(?i:this|next|last))\s+year)
                |,?\s+(?P<yy>{_YEAR4}))?
              (?!\s+of\s)"""),
          _b_half, "half"),
    # Dates ------------------------------------------------------------------------------
    # "2025-06-30", "6/30/2025"
    _Rule(_p(rf"""(?P<y>{_YEAR4})-(?P<mnum>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\w-])"""),
          _b_date, "digit", re.compile(r"[\w-]")),
    _Rule(_p(rf"""(?P<mnum>1[0-2]|0?[1-9])/(?P<day>3[01]|[12]\d|0?[1-9])/(?P<y>{_YEAR4})(?![\w/])"""),
          _b_date, "slash", re.compile(r"[\w/.]")),
    # "July 23, 2025", "July 23", "Jan. 5th 2026"
    _Rule(_p(rf"""{_MONTH}\s+(?P<day>{_DAY})(?!\s*(?:%|[.,]\d|:\d))(?:\s*,?\s*(?P<y>{_YEAR4}))?(?![\w-])"""),
          _b_date, "month"),
    # "23 July 2025", "23 July"
    _Rule(_p(rf"""(?P<day>{_DAY})\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*(?P<y>{_YEAR4}))?(?![\w-])"""),
          _b_date, "month", re.compile(r"[\w.,$]")),
    # Months -----------------------------------------------------------------------------
    # "June 2025", "June of 2025"
    _Rule(_p(rf"""{_MONTH}\s+(?:of\s+)?(?P<y>{_YEAR4})(?![\w-])"""), _b_month, "month"),
    # "in June", "since March", "by early July", "last September", "mid-June"
    _Rule(_p(rf"""{_MONTH}(?![\w-]|\s+\d)"""), _b_month, "month", _WORD_CHAR, _month_start),
    # Relative ---------------------------------------------------------------------------
    # "this year", "last quarter", "next month", "the current year". Not "the previous
    # year": news uses it relative to the period being reported, not to the article date.
    _Rule(_p(rf"""(?P<rel>{_cased('this', 'last', 'next')}|(?:[Tt]he|THE)\s+(?i:current|coming))
              \s+(?P<unit>(?i:year|quarter|month))(?![\w-])"""),
          _b_relative_year, "relative", re.compile(r"[\w-]")),
    # Years ------------------------------------------------------------------------------
    _Rule(_p(rf"""(?P<y>{_YEAR4})(?![\w%]|[.,:]\d)"""),
          _b_year, "digit", re.compile(r"[\w$€£¥₹₩.,:/#'+]")),
)


def find_periods(text: str, published: date | None = None, *, money: list[Span] | None = None) -> list[Span]:
    """Every time period named in ``text``; ``value`` is a :class:`Period`.

    Yearless phrases ("Q2", "this year", "as of June 30", "in June") are anchored on
    ``published``; without it they yield nothing. Years inside money amounts are ignored
    (``money``: the text's amounts, when the caller has already found them with `find_money`).

    >>> [s.value.label for s in find_periods("As of June 30, in Q2 and last year", date(2025, 8, 1))]
    ['2025-06-30', '2025-Q2', '2024']
    """
    if not text:
        return []
    windows: dict[str, list[tuple[int, int]]] = {}
    candidates: list[tuple[int, int, int, Span]] = []
    for priority, rule in enumerate(PERIOD_RULES):
        if rule.hint not in windows:
            windows[rule.hint] = _hint_windows(text, rule.hint)
        for lo, hi in windows[rule.hint]:
            for m in rule.regex.finditer(text, lo, hi):
                if m.start() and rule.not_after and rule.not_after.match(text, m.start() - 1):
                    continue
                try:
                    period = rule.build(m, published)
                except (ValueError, KeyError, OverflowError):
                    period = None
                if period is None:
                    continue
                start = rule.start(m) if rule.start else m.start()
                if m.end() > start:
                    span = Span(start, m.end(), text[start:m.end()], period)
                    candidates.append((start, m.end(), priority, span))
    if not candidates:
        return []
    # Longest span first, then rule priority; a span overlapping a chosen one is dropped.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    chosen = _Intervals()
    if any(span.value.kind == "year" for *_, span in candidates):  # type: ignore[attr-defined]
        for amount in find_money(text) if money is None else money:
            chosen.add(amount.start, amount.end)  # "$2025 million" is no year
    out: list[Span] = []
    for start, end, _, span in candidates:
        if chosen.add(start, end):
            out.append(span)
    out.sort(key=lambda s: s.start)
    return out


def _hint_windows(text: str, hint: str) -> list[tuple[int, int]]:
    """Where the rules needing ``hint`` are searched: the whole text for "digit" ("slash")
    when it has any digit (slash), else the stretches around each occurrence of the hint."""
    regex = PERIOD_HINTS[hint]
    if hint in ("digit", "slash"):
        return [(0, len(text))] if regex.search(text) else []
    return _windows(text, regex, _HINT_WINDOW, _HINT_WINDOW)


class _Intervals:
    """Non-overlapping [start, end) intervals kept sorted; ``add`` refuses overlaps."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start)
        if i and self.ends[i - 1] > start:
            return False
        if i < len(self.starts) and self.starts[i] < end:
            return False
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        return True
