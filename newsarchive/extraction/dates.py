"""Date parsing: whatever a page prints -> ISO 8601, keeping the offset.

The common path is cheap: ``datetime.fromisoformat`` for the machine-readable
values of meta tags and JSON-LD, then python-dateutil for printed dates after
month and weekday names of other languages have been mapped to English.
Each distinct value is parsed once (``_parse_value``).
dateparser is not used: as a last-resort fallback on the evaluation corpus it
was called 51 times, answered 3 (all three dotted times that the mapping
below now reads, and it dropped their zone), and its first call costs
seconds of language-data loading in a crawl.

Offsets are kept as the page states them: "03:39 EDT" becomes
"03:39:00-04:00", not the UTC instant, so the calendar day a reader saw is
the one stored. A time printed without any zone takes the site's configured
zone (``ExtractionConfig.timezone``) or stays a local time without offset:
inventing UTC would move late-evening articles to the wrong day.
"""
from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as du_parser

# Zone abbreviations printed on news pages, as offsets from UTC in minutes.
# Ambiguous ones take the reading news sites use: IST is India, CST is US
# Central (China uses "CST" too, but writes dates in its own script).
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60,
    "CET": 60, "CEST": 120, "MEZ": 60, "MESZ": 120, "EET": 120, "EEST": 180, "OEZ": 120,
    "OESZ": 180, "MSK": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "CT": -360, "MST": -420, "MDT": -360, "MT": -420, "PST": -480, "PDT": -420, "PT": -480,
    "AKST": -540, "AKDT": -480, "HST": -600, "AST": -240, "ADT": -180, "NST": -210,
    "NDT": -150, "AEST": 600, "AEDT": 660, "ACST": 570, "ACDT": 630, "AWST": 480,
    "NZST": 720, "NZDT": 780, "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "PHT": 480,
    "IST": 330, "PKT": 300, "WIB": 420, "ICT": 420, "SAST": 120, "CAT": 120, "EAT": 180,
    "WAT": 60, "ART": -180, "BRT": -180, "BRST": -120, "CLT": -240, "COT": -300,
}
# "ET" and friends name a zone, not an offset: EDT in summer, EST in winter.
GENERIC_ZONES: dict[str, str] = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
_GENERIC_ZONE = re.compile(r"(?<![A-Za-z])(ET|CT|MT|PT)(?![A-Za-z])")
_TZINFOS = {name: minutes * 60 for name, minutes in ZONE_OFFSETS.items()}

# Month names of other languages -> English, for dateutil (de, fr, es, it,
# pt, nl, sv/da/no, pl, cs, hu, ru and their usual abbreviations; Russian
# dates print the genitive: "2 октября 2024").
MONTHS: dict[str, str] = {}
for _english, _names in {
    "January": "januar jänner jan janvier janv enero ene gennaio gen janeiro januari jan. stycznia styczeń leden ledna január января январь янв",
    "February": "februar feber feb février févr fevrier febrero febbraio fevereiro fev februari lutego luty únor února február febr февраля февраль фев",
    "March": "märz maerz mär mars marzo mar março marco maart marts mars marca marzec březen března március márc марта март мар",
    "April": "april avril avr abril abr aprile apr kwietnia kwiecień duben dubna április ápr апреля апрель апр",
    "May": "mai mayo maggio mag maio mei maj maja květen května május máj мая май",
    "June": "juni juin junio jun giugno giu junho czerwca czerwiec červen června június jún июня июнь июн",
    "July": "juli juillet juil julio jul luglio lug julho lipca lipiec červenec července július júl июля июль июл",
    "August": "august août aout agosto ago augustus augusti sierpnia sierpień srpen srpna augusztus августа август авг",
    "September": "september septembre sept septiembre setiembre sep settembre set setembro września wrzesień září szeptember szept сентября сентябрь сен сент",
    "October": "oktober okt octobre oct octubre ottobre ott outubro out oktobre października październik říjen října október октября октябрь окт",
    "November": "november novembre noviembre nov novembro listopada listopad listopadu ноября ноябрь ноя",
    "December": "dezember dez décembre déc decembre diciembre dic dicembre dezembro december grudnia grudzień prosinec prosince декабря декабрь дек",
}.items():
    for _name in _names.split():
        MONTHS[_name.rstrip(".")] = _english

# Words to drop before dateutil: weekdays and fillers of other languages
# ("3 de mayo de 2020", "am 15. März um 10 Uhr", "le 12 juin 2021 à 14h").
FILLER_WORDS: frozenset[str] = frozenset(
    "montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles miercoles "
    "jueves viernes sábado sabado domingo lunedì martedì mercoledì giovedì venerdì sabato "
    "segunda terça quarta quinta sexta feira maandag dinsdag woensdag donderdag vrijdag "
    "zaterdag zondag de del à a am um uhr le la el den der des the of on at um h hrs hs "
    "kl klo om às alle ore dne".split()
)

_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}")
_ISO_UNPADDED = re.compile(r"^((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:([T ])(\d{1,2})(?=:))?(?![\d-])")
_ISO_BASIC = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")
_HAS_TIME = re.compile(r"\d{1,2}\s*(?::|h)\s*\d{2}|\d\s*(?:am|pm|a\.m\.|p\.m\.)", re.I)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_DOTTED = re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)?\d{2})(?!\d)")
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
# A Chinese or Japanese clock: "11時52分", "9时05分", "18点30分".
_CJK_CLOCK = re.compile(r"(?<!\d)(\d{1,2})\s*[時时点]\s*(\d{1,2})\s*分")
# "GMT+2", "UTC+03:00", "GMT+0100": an offset east of Greenwich. dateutil
# reads a sign after a zone name the POSIX way (inverted), so the name goes
# and the offset stays, written as ISO does.
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC|UT)\s?([+-])\s?(\d{1,2})(?::?(\d{2}))?(?!\d)")
_YEAR_FIRST = re.compile(r"^(?:19|20)\d{2}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{1,2}(?!\d)")
# "26 | 01 | 2022": a day-first date set with bars instead of dots.
_PIPED = re.compile(r"(?<!\d)(\d{1,2})\s?\|\s?(\d{1,2})\s?\|\s?((?:19|20)\d{2})(?!\d)")
_FRENCH_TIME = re.compile(r"(\d{1,2})\s*h\s*(\d{2})", re.I)
# "11:30 p.m.", "07:15 p. m." (es), "12:10 am": written as "PM"/"AM" before
# the word mapping, which drops "a" and "am" as filler words (es "a", de "am")
# and so read 12:10 a.m. as noon. A bare "am" counts only right after a time.
_MERIDIEM = re.compile(r"(?<=\d)\s*([ap])\.\s?m\.?(?![^\W\d_])|(?<=\d:\d\d)\s*([ap])m\b", re.I)
# "10.15 Uhr", "18.54 GMT": a dotted time before "Uhr" or a zone name.
_DOTTED_TIME = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{2})(?=\s*(?:(?i:uhr|h)\b|[A-Z]{2,5}\b))")
_WORD = re.compile(r"[^\W\d_]+\.?")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th|er|e|º|ª)\b", re.I)
_DATE_LIKE = re.compile(r"\d")


_DEFAULT = datetime(1, 1, 1)
# What a printed date needs to have a day: a numeric date ("15.01.2023",
# "1/15/23", "2023/01/15"), or a month name with a day number beside it,
# one that is not part of a time or a year. Without one, the fuzzy parser
# skips the unknown words and fills in the 1st: "Jane Doe 6, 2023" was
# 2023-06-01 ("6" read as the month), "June 2023" and "© 2023 Example" the
# 1st too; and it takes any number for the day: "January 2023 · 5 min
# read" was 2023-01-05, "Nov. 2023, 3 comments" 2023-11-03. A wrong date is
# worse than none. The text checked is ``_translate``'s: month names of
# other languages are English there, ordinals and fillers are gone and
# commas are spaces, so "6th of November", "6. November", "6 de noviembre"
# and "November 6th," all read "6 November" or "November 6".
_NUMERIC_DATE = re.compile(r"(?<!\d)\d{1,4}\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{2,4}(?!\d)")
_ENGLISH_MONTH_NAME = (
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)
# "6 November", "6-Nov-2023", "November 6", "Nov. 6", "2023 November 6.":
# only spaces, a dot or a dash between the month and its day.
_DAY_BESIDE_MONTH = re.compile(
    rf"(?<![\d:.])\d{{1,2}}\.?[\s/-]*{_ENGLISH_MONTH_NAME}"
    rf"|{_ENGLISH_MONTH_NAME}\.?[\s/-]*\d{{1,2}}(?![\d:])",
    re.I,
)

# A month name glued to the word before it, as markup without spaces prints
# a byline and its date ("Jane DoeNovember 6, 2023"): the parser's fuzzy mode
# would skip "DoeNovember" as one unknown word and read "6" as the month.
# Capitalised names only, and only before a number: "McMay" stays a word.
_GLUED_MONTH = re.compile(
    # The capital first: the names are tried only where a word changes case.
    r"(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])(?=(?:"
    + "|".join(sorted({n.capitalize() for n in MONTHS} | set(MONTHS.values()), key=len, reverse=True))
    + r")\.?\s?\d)"
)

# Labels that start the date part of a meta line, per language ("Updated
# November 6, 2023", "Stand: 20. April 2020"); the byline's rules cut there
# too (``byline.clean_byline``).
DATE_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("last updated", "updated", "published", "posted on", "first published"),
    "de": ("veröffentlicht", "aktualisiert", "zuletzt aktualisiert", "erschienen", "stand:"),
    "fr": ("publié le", "mis à jour", "modifié le"),
    "es": ("publicado", "actualizado"),
    "pt": ("publicado", "atualizado"),
    "it": ("pubblicato", "aggiornato"),
}
# The same glued to the word before it: "Jane DoeUpdated November 6, 2023".
# Capitalised labels only, as a whole word.
_GLUED_DATE_LABEL = re.compile(
    r"(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])(?=(?:"
    + "|".join(re.escape(label[0].upper() + label[1:])
               for label in sorted({l for ls in DATE_LABELS.values() for l in ls}, key=len, reverse=True))
    + r")(?![^\W\d_]))"
)


def unglue_date(text: str, mark: str = " ") -> str:
    """``mark`` where markup without spaces glued a date, or its label, to
    the word before it: "Jane DoeNovember 6, 2023", "Jane DoeUpdated
    November 6, 2023" (``_GLUED_MONTH``, ``_GLUED_DATE_LABEL``)."""
    return _GLUED_DATE_LABEL.sub(mark, _GLUED_MONTH.sub(mark, text))


@lru_cache(maxsize=64)
def _zone(name: str | None):
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_named(name: str | None):
    """The zone of an IANA name ("Europe/Berlin"), or None when unknown."""
    return _zone(name)


def _format(value: datetime, has_time: bool, tz_name: str | None) -> str:
    if not has_time:
        return value.date().isoformat()
    value = value.replace(microsecond=0)
    if value.tzinfo is None:
        zone = _zone(tz_name)
        if zone is not None:
            value = value.replace(tzinfo=zone)
    return value.isoformat()


_OFFSET_HHMM = re.compile(r"([+-]\d{2})(\d{2})$")
_OFFSET_HH = re.compile(r"([+-]\d{2})$")


def _parse_iso(raw: str) -> tuple[datetime, bool] | None:
    text = raw.strip()
    if len(text) == 10:
        try:
            return datetime.fromisoformat(text), False
        except ValueError:
            return None
    text = text.replace(" ", "T", 1) if len(text) > 10 and text[10] == " " else text
    if text.endswith("ZZ"):
        # "2020-01-10T00:59:47ZZ": a template that appends "Z" to a value
        # already in UTC; read whole, the zone would be lost.
        text = text[:-1]
    # "+0100" and "+01" offsets: fromisoformat wants "+01:00".
    text = _OFFSET_HHMM.sub(r"\1:\2", text)
    text = _OFFSET_HH.sub(r"\1:00", text)
    try:
        return datetime.fromisoformat(text), True
    except ValueError:
        return None


def _offset(match: re.Match[str]) -> str:
    sign, hours, minutes = match.groups()
    return f" {sign}{int(hours):02d}:{minutes or '00'} "


def _translate(raw: str) -> str:
    """Map foreign month names to English and drop weekdays and fillers."""
    text = _GMT_OFFSET.sub(_offset, raw)
    text = _GLUED_MONTH.sub(" ", text)
    text = _CJK.sub(r"\1-\2-\3 ", text)
    text = _CJK_CLOCK.sub(r"\1:\2", text)
    text = _PIPED.sub(r"\1.\2.\3", text)
    text = _FRENCH_TIME.sub(r"\1:\2", text)
    text = _MERIDIEM.sub(lambda m: f" {(m.group(1) or m.group(2)).upper()}M", text)
    text = _DOTTED_TIME.sub(r"\1:\2", text)
    text = _ORDINAL.sub(r"\1", text)

    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        bare = token.rstrip(".")
        if bare.upper() in ZONE_OFFSETS and bare.isupper():
            return bare
        if token in {"AM", "PM"}:
            return " " + token + " "
        low = bare.lower()
        if low in MONTHS:
            return " " + MONTHS[low] + " "
        if low in FILLER_WORDS:
            return " "
        return " " + token + " "

    text = _WORD.sub(word, text)
    # "15. March 2019": the day's dot confuses dateutil.
    text = re.sub(r"(\d)\.(?=\s+[A-Z])", r"\1", text)
    return " ".join(text.replace(",", " ").split())


def parse_date(
    raw: str | None,
    *,
    tz_name: str | None = None,
    dayfirst: bool = True,
    now: datetime | None = None,
) -> str | None:
    """ISO 8601 string for a date the page printed, or None.

    ``tz_name`` is the zone of dates printed without one; ``dayfirst``
    decides "03/04/2020" (False for US English pages). Dates before 1990
    or more than a day after ``now`` are rejected as absurd.

    >>> parse_date("Tuesday 15 March 2016 03:39 EDT")
    '2016-03-15T03:39:00-04:00'
    >>> parse_date("15. März 2019")
    '2019-03-15'
    """
    if not raw:
        return None
    raw = " ".join(raw.split())
    if not raw or len(raw) > 120 or not _DATE_LIKE.search(raw):
        return None
    parsed = _parse_value(raw, dayfirst)
    if parsed is None:
        return None
    value, has_time = parsed
    if not _plausible(value, now):
        return None
    return _format(value, has_time, tz_name)


# Cached: the date rules parse the same values several times per page (the
# publication candidates, then again when weighing them against the page and
# the printed <time>s), and sites repeat them across pages. A pure function
# of its arguments: "now" and the zone are applied after the cache, and the
# datetimes it returns are immutable.
@lru_cache(maxsize=4096)
def _parse_value(raw: str, dayfirst: bool) -> tuple[datetime, bool] | None:
    """(datetime, whether a time was given) for a white-space-normalised
    value; the value as written, no zone added, no plausibility check."""
    parsed: tuple[datetime, bool] | None = None
    loose = _ISO_UNPADDED.match(raw)
    if loose:
        # "2022-5-5 22:17:36", "2022-05-6T12:00:00Z", "2022-05-11T4:10:00":
        # year first is ISO order, whatever the page's day-first habit.
        year, month, day, sep, hour = loose.groups()
        time = f"{sep}{hour:0>2}" if sep else ""
        raw = f"{year}-{month:0>2}-{day:0>2}{time}{raw[loose.end():]}"
    if _ISO_START.match(raw):
        parsed = _parse_iso(raw)
    if parsed is None:
        match = _ISO_BASIC.match(raw)
        if match:
            parsed = _parse_basic(match)
    if parsed is None:
        parsed = _parse_printed(raw, dayfirst)
    return parsed


def _parse_basic(match: re.Match[str]) -> tuple[datetime, bool] | None:
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    except ValueError:
        return None
    if zone:
        if zone == "Z":
            value = value.replace(tzinfo=timezone.utc)
        else:
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            value = value.replace(
                tzinfo=timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))
            )
    return value, hour is not None


# The shapes most printed dates take once ``_translate`` has read them:
# "14 November 2019 18:47", "November 19 2019 8:15 PM", "23.06.2016 16:14".
# dateutil reads each in ~60-200 µs of Python, tokenising character by
# character; these patterns give the same datetime (tests/test_dates.py
# compares the two over every day, month, hour and minute form they take).
_MONTH_NUMBERS: dict[str, int] = {
    name: number for number, names in enumerate(du_parser.parserinfo.MONTHS, 1) for name in names
}
_MONTH_WORD = "[A-Z][a-z]{2,8}"  # looked up in _MONTH_NUMBERS
_CLOCK = r"(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: (AM|PM))?)?"
_PLAIN_DAY_MONTH = re.compile(rf"(\d{{1,2}}) ({_MONTH_WORD}) (\d{{4}}){_CLOCK}", re.ASCII)
_PLAIN_MONTH_DAY = re.compile(rf"({_MONTH_WORD}) (\d{{1,2}}) (\d{{4}}){_CLOCK}", re.ASCII)
_PLAIN_DOTTED = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_CLOCK}", re.ASCII)


def _plain_date(text: str, dayfirst: bool) -> datetime | None:
    """``du_parser.parse(text, default=_DEFAULT, dayfirst=dayfirst, fuzzy=True)``
    for a text of one of the plain shapes above; None for any other text,
    and for values it would read otherwise or refuse (a 13th month, an hour
    past 12 with AM/PM), which are left to it."""
    match = _PLAIN_DAY_MONTH.fullmatch(text)
    if match:
        day, month, year = int(match[1]), _MONTH_NUMBERS.get(match[2]), int(match[3])
    else:
        match = _PLAIN_MONTH_DAY.fullmatch(text)
        if match:
            month, day, year = _MONTH_NUMBERS.get(match[1]), int(match[2]), int(match[3])
        else:
            match = _PLAIN_DOTTED.fullmatch(text)
            # Month first when not day first (``_DOTTED`` sets dayfirst).
            if match is None or not dayfirst:
                return None
            day, month, year = int(match[1]), int(match[2]), int(match[3])
    if month is None:
        return None
    hour = minute = second = 0
    if match[4] is not None:
        hour, minute, second = int(match[4]), int(match[5]), int(match[6] or 0)
        meridiem = match[7]
        if meridiem is not None:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if meridiem == "PM" else 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _parse_printed(raw: str, dayfirst: bool) -> tuple[datetime, bool] | None:
    text = _translate(raw)
    if not _YEAR.search(text) and not _DOTTED.search(text) and not re.search(r"\d{1,2}/\d{1,2}/\d{2}", text):
        return None
    if not _NUMERIC_DATE.search(text) and not _DAY_BESIDE_MONTH.search(text):
        return None  # no day printed
    has_time = bool(_HAS_TIME.search(text))
    dotted = _DOTTED.search(text)
    if dotted:
        dayfirst = True
    # "2021/05/03", "2021.05.03.", "2021-05-03 10:00 UTC": a year first is
    # always followed by the month, whatever the page's day-first habit.
    yearfirst = bool(_YEAR_FIRST.match(text))
    if yearfirst:
        dayfirst = False
    # "ET", "PT"...: the zone's offset depends on daylight saving time.
    generic = _GENERIC_ZONE.search(text)
    if generic:
        text = text[: generic.start()] + text[generic.end() :]
    value = _plain_date(text, dayfirst)
    if value is None:
        try:
            with warnings.catch_warnings():
                # An unknown zone word ("ZZ") leaves the time naive: fine.
                warnings.simplefilter("ignore", du_parser.UnknownTimezoneWarning)
                value = du_parser.parse(
                    text, default=_DEFAULT, dayfirst=dayfirst, yearfirst=yearfirst, fuzzy=True, tzinfos=_TZINFOS
                )
        except (ValueError, OverflowError, TypeError):
            return None
    if value.year == 1:
        return None
    if generic and value.tzinfo is None:
        value = value.replace(tzinfo=_zone(GENERIC_ZONES[generic.group(1)]))
    return value, has_time


def _plausible(value: datetime, now: datetime | None) -> bool:
    if value.year < 1990:
        return False
    reference = now or datetime.now(timezone.utc)
    if reference.tzinfo is None:
        reference = reference.replace(tzinfo=timezone.utc)
    compare = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return compare <= reference + timedelta(days=1)


def to_datetime(value: str | None) -> datetime | None:
    """An ISO value this module produced, back as a datetime (None for bare dates)."""
    if not value or len(value) <= 10:
        return None
    parsed = _parse_iso(value)
    return parsed[0] if parsed else None


def parse_reference(fetched_at: str | None) -> datetime | None:
    """``fetched_at`` as a datetime, the "now" that absurd dates are judged by."""
    if not fetched_at:
        return None
    parsed = _parse_iso(fetched_at)
    if parsed is None:
        return None
    value = parsed[0]
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
    r"|[/_-]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
)


def date_from_url(url: str) -> str | None:
    """The calendar day in a URL such as ``/2019/03/15/slug``, or None."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    groups = [g for g in match.groups() if g]
    try:
        return date(int(groups[0]), int(groups[1]), int(groups[2])).isoformat()
    except ValueError:
        return None


def _trie_pattern(words: set[str]) -> str:
    """One regex for a set of words, as a trie: "ma(?:r(?:ch|s)|y)" rather
    than "march|mars|may". The regex engine tries an
    alternation branch by branch at every position of a text; the trie
    rules a position out on its first letter, which made the printed-date
    scan several times faster. Longer words still win (a greedy "?")."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            # Several branches are already a group; one branch needs one
            # unless it is a single letter.
            return (body if len(branches) > 1 or len(body) == 1 else f"(?:{body})") + "?"
        return body

    return pattern(trie)


_MONTH_WORDS = _trie_pattern(
    set(MONTHS) | {m.lower() for m in MONTHS.values()} | {m.lower()[:3] for m in MONTHS.values()}
)
# The time after a date, with its 12-hour marker ("11:30 p.m.", "07:15 p. m.")
# and zone, including an offset printed after GMT/UTC ("14:00 GMT+2"): cut
# before them, "11:30 p.m. EST" would be read as 11:30 with no zone.
_TIME_TAIL = (r"(?:,?\s*(?:um|at|à|a las|-|,)?\s*\d{1,2}[:.h]\d{2}(?![.:]?\d)"
              r"(?:\s*(?:uhr|am|pm|[ap]\.\s?m\.|h\b))?"
              r"(?-i:\s*[A-Z]{2,5}\b(?:\s?[+-]\s?\d{1,2}(?::?\d{2})?(?!\d))?)?)?")
_PRINTED_DAY_ALTERNATIVES = (
    r"\d{1,2}\.\s?\d{1,2}\.\s?(?:19|20)\d{2}"
    r"|\d{1,2}\s?\|\s?\d{1,2}\s?\|\s?(?:19|20)\d{2}"
    # A two-digit year only with a time after it ("26/10/13, 03:48 pm",
    # "10.12.19 14:00"): alone, "1/2/13" is as likely a score or a fraction.
    r"|\d{1,2}[./]\d{1,2}[./]\d{2}(?=,?\s*\d{1,2}:\d{2})"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}/\d{1,2}/(?:19|20)\d{2}"
    r"|\d{1,2}(?:\.\s*|(?:st|nd|rd|th|er|º)?\s+)(?:de\s+)?(?:" + _MONTH_WORDS + r")\.?,?\s+(?:de\s+)?(?:19|20)\d{2}"
    # A month name starts a word: no need to try one inside "Schweiz".
    r"|(?<![^\W\d_])(?:" + _MONTH_WORDS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}"
    # Chinese and Japanese: "2024年3月16日", with its clock ("11時52分", "09:15").
    r"|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*\d{1,2}\s*(?:[時时点]\s*\d{1,2}\s*分|:\d{2}))?"
    # Year, month name, day: "2021. május 3." (hu).
    r"|(?:19|20)\d{2}\.\s(?:" + _MONTH_WORDS + r")\.?\s\d{1,2}\."
    r")"
)
_PRINTED_DATE = re.compile(r"(?<![\d.])(?:" + _PRINTED_DAY_ALTERNATIVES + _TIME_TAIL, re.I)
# The same date without its time: a time the parser cannot read ("19.10.2019
# 12.09", dots between hours and minutes) still leaves the day.
_PRINTED_DAY = re.compile(r"(?:" + _PRINTED_DAY_ALTERNATIVES, re.I)


# A modification date's label, per language, right before the date.
_MODIFIED_LABEL = re.compile(
    r"(?:letzte änderung|geändert|aktualisiert|updated|last modified|modified|mis à jour|modifié"
    r"|actualizado|actualización|aggiornato|bijgewerkt)\s*(?:am|on|le|el|il|op)?\s*:?\s*$",
    re.I,
)


# Labels of dates that are not the article's, per language (de, en, fr, es,
# it, nl): a member's registration day on a forum post, the "current date"
# a site prints in its header.
NOT_PUBLISHED_LABEL = re.compile(
    r"(?:registriert|angemeldet|anmeldedatum|mitglied seit|dabei seit|aktuelles datum(?: und uhrzeit)?|heute ist"
    r"|registered|joined|member since|it is currently|current date(?: and time)?|today is"
    r"|inscrit(?:e)?(?: le| depuis)?|membre depuis|nous sommes le"
    r"|registrado|miembro desde|fecha actual|hoy es"
    r"|iscritto(?: il| dal)?|membro dal|data attuale|oggi è"
    r"|lid sinds|geregistreerd|huidige datum|vandaag is)\s*:?\s*$",
    re.I,
)


def not_published_label(before: str) -> bool:
    """Whether the text right before a date labels it as something else
    than the publication: a modification, a registration, today's date."""
    return bool(_MODIFIED_LABEL.search(before) or NOT_PUBLISHED_LABEL.search(before))


def find_printed_date(text: str | None, **kwargs) -> tuple[str, str] | None:
    """The first date printed in a short text (a byline block, the lines
    around the headline): (ISO value, the matched string)."""
    if not text:
        return None
    for match in _PRINTED_DATE.finditer(text):
        if not_published_label(text[max(0, match.start() - 40):match.start()]):
            continue  # "Letzte Änderung: 31.10.2023", "Registriert: 18.09.2008"
        raw = match.group(0).strip(" ,-")
        value = parse_date(raw, **kwargs)
        if not value:
            day = _PRINTED_DAY.match(raw)
            if day is not None and day.end() < len(raw):
                raw = day.group(0).strip(" ,-")
                value = parse_date(raw, **kwargs)
        if value:
            return value, raw
    return None


def without_printed_dates(text: str) -> str:
    """The text with every printed date (and the time after it) replaced by a space."""
    return _PRINTED_DATE.sub(" ", text)


def find_modified_date(text: str | None, **kwargs) -> tuple[str, str] | None:
    """The first date in a short text that is labelled as a modification
    ("Last Updated : Nov 20, 2019 01:41 PM IST", "Aktualisiert am 3.5.2022"):
    (ISO value, the matched string)."""
    if not text:
        return None
    for match in _PRINTED_DATE.finditer(text):
        if not _MODIFIED_LABEL.search(text[max(0, match.start() - 40):match.start()]):
            continue
        raw = match.group(0).strip(" ,-")
        value = parse_date(raw, **kwargs)
        if value:
            return value, raw
    return None
