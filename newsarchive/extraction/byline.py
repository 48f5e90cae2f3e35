"""The byline as printed, without what its box prints around the names.

The byline is the text of the element that prints the authors, and that
element often holds the whole meta line: the date and time, the reading
time, the section, the author's e-mail address, phone number, handle or
"Follow" button, and inline elements whose words the markup glues together
("By Meg JamesStaff Writer"). ``clean_byline`` keeps the part that prints
the names the authors list holds. It is a pure function of the printed
text and the names; the labels it cuts at are named data, per language.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from newsarchive.extraction.dates import DATE_LABELS, find_printed_date, without_printed_dates
from newsarchive.extraction.processors import AUTHOR_CONJUNCTION_WORDS, URL_IN_TEXT, fold, strip_byline_prefix

# --------------------------------------------------------------------------
# Named rules (data)
# --------------------------------------------------------------------------

# The labels that start the date part of a meta line, per language, are
# ``dates.DATE_LABELS``; not when an author label follows ("veröffentlicht
# von Jane", "Publicado por Jane"):
_AUTHOR_AFTER_LABEL = ("by", "von", "par", "por", "da", "di", "de")

# Units of a reading time or a relative date ("3 min read", "2 days ago",
# "vor 2 Stunden"), per language.
TIME_UNITS: dict[str, tuple[str, ...]] = {
    "en": ("min read", "minute read", "minutes read", "mins read", "minutes ago", "hours ago",
           "days ago", "minutes", "minute", "hours", "hour", "days", "day", "weeks", "week"),
    "de": ("min. lesezeit", "min lesezeit", "minuten lesezeit", "minuten", "stunden", "tagen", "tage"),
    "fr": ("min de lecture", "minutes de lecture", "heures", "jours"),
    "es": ("min de lectura", "minutos de lectura", "minutos", "horas", "días"),
    "pt": ("min de leitura", "minutos", "horas", "dias"),
}

# Weekday names that end the part before a date ("by Jeff Foust Monday,").
WEEKDAYS: dict[str, tuple[str, ...]] = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
           "mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
           "mo", "di", "mi", "do", "fr", "sa", "so"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
# Words that introduce a date after a name ("Jane Doe on", "von Jane am").
DATE_CONNECTORS: dict[str, tuple[str, ...]] = {
    "en": ("on", "at"), "de": ("am", "um"), "fr": ("le", "à"), "es": ("el",), "it": ("il",), "nl": ("op",),
}
# A follow button's label printed after the name, per language.
FOLLOW_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("follow",), "de": ("folgen",), "fr": ("suivre",), "es": ("seguir",), "pt": ("seguir",),
}
# Author labels the markup glues to the name ("ByJ.R. Stone", "vonElisa").
GLUED_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("by", "from", "author"), "de": ("von", "autor", "autorin"), "fr": ("par",),
    "es": ("por",), "it": ("di",), "nl": ("door",),
}


def _words(table: dict[str, tuple[str, ...]]) -> str:
    words = sorted({w for ws in table.values() for w in ws}, key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)


_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
# Separators between the parts of a meta line; " - " is not one: it also
# sets off a role ("Jane Doe - Staff Writer").
_SEPARATOR = re.compile(r"\s*(?:\||·|•|//|»|\s/\s|\s—\s)\s*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\(?\d{2,4}\)?[\s.-]?\d{3}[\s.-]?\d{3,4}\b")
_HANDLE = re.compile(r"@[A-Za-z0-9_]{2,}")
_EMPTY_PARENS = re.compile(r"\(\s*\)|\[\s*\]")
_DATE_LABEL = re.compile(
    rf"(?<![^\W\d_])(?:{_words(DATE_LABELS)})(?![^\W\d_])(?!\s+(?:{'|'.join(_AUTHOR_AFTER_LABEL)})\b)", re.I
)
_TIME = re.compile(rf"(?:\b(?:vor|hace|há|il y a)\s+)?\b\d+\s*(?:{_words(TIME_UNITS)})\b.*$", re.I)
# A word joining authors, in lower case, left at the end when the markup
# printed no co-author after it ("By Jane Doe and").
_CONJUNCTIONS = "|".join(map(re.escape, sorted(AUTHOR_CONJUNCTION_WORDS, key=len, reverse=True)))
_TAIL_WORDS = re.compile(
    rf"(?:[\s,]+|^)(?:{_words(WEEKDAYS)}|{_words(DATE_CONNECTORS)}|{_words(FOLLOW_WORDS)}|(?-i:{_CONJUNCTIONS}))"
    r"\.?[\s,]*$",
    re.I,
)
# The capital after the label is matched case-sensitively: "Disis" is no "Di sis".
_GLUED_LABEL = re.compile(rf"(?:(?<=\s)|^)({_words(GLUED_LABELS)})(?=(?-i:[{_UPPER}]))", re.I)
# What is left when the byline printed only a label and an address.
_BARE_LABELS = frozenset(fold(w) for ws in GLUED_LABELS.values() for w in ws) | {"text", "written by"}
_EDGE = " \t|·•/-–—,;:»«"
_WORD = re.compile(r"\w+")


def unglue(text: str, names: Sequence[str]) -> str:
    """Spaces where inline elements were joined without one: after an author
    label ("ByJ.R. Stone", "Geschrieben vonElisa"), between a name and a
    role or handle ("Meg JamesStaff Writer" -> "Meg James, Staff Writer")."""
    text = _GLUED_LABEL.sub(lambda m: m.group(1) + " ", text)
    for name in names:
        at = text.find(name)
        end = at + len(name)
        if at >= 0 and end < len(text):
            following = text[end]
            if following == "@":
                text = f"{text[:end]} {text[end:]}"
            elif following.isupper() and (end == 0 or not text[end - 1].isupper()):
                text = f"{text[:end]}, {text[end:]}"
    return text


def strip_contacts(text: str) -> str:
    """The byline without e-mail addresses, URLs, phone numbers and handles."""
    text = _EMAIL.sub(" ", text)
    text = URL_IN_TEXT.sub(" ", text)
    text = _PHONE.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    return _EMPTY_PARENS.sub(" ", text)


def _clean_part(part: str) -> str:
    """One part of a meta line without its date label, reading time and
    the weekday or connector left before a date that was cut out."""
    label = _DATE_LABEL.search(part)
    if label:
        part = part[: label.start()]
    part = _TIME.sub("", part).strip(_EDGE)
    while True:
        shorter = _TAIL_WORDS.sub("", part).strip(_EDGE)
        if shorter == part:
            return part
        part = shorter


def _parts(text: str) -> list[str]:
    """The text cut at its separators and at its printed dates."""
    parts: list[str] = []
    for piece in _SEPARATOR.split(text):
        while piece:
            found = find_printed_date(piece)
            if found is None or found[1] not in piece:
                parts.append(piece)
                break
            at = piece.index(found[1])
            parts.append(piece[:at])
            piece = piece[at + len(found[1]):]
    return parts


def _naming_chars(text: str) -> int:
    """How many letters and digits of ``text`` could name someone: not
    those of its printed dates nor of words joining authors ("and", "und")."""
    return sum(len(w) for part in _parts(text) for w in _WORD.findall(part)
               if w.lower() not in AUTHOR_CONJUNCTION_WORDS)


def clean_byline(byline: str | None, names: Sequence[str]) -> str | None:
    """The byline as printed, kept to the part that prints ``names``: dates,
    times, reading time, categories after a separator, contact details and
    follow buttons cut away, glued words spaced. Without names, the part
    before the first date or separator. None when nothing of a byline is
    left (a bare date, "Stand: 20. April 2020")."""
    if not byline:
        return byline
    text = strip_contacts(unglue(byline, names))
    parts = [p for p in (_clean_part(part) for part in _parts(text)) if p]
    if not parts:
        return None
    keys = [k for k in (fold(n) for n in names) if k]
    if keys:
        printing = [p for p in parts if any(k in fold(p) for k in keys)]
        if printing:
            parts = printing
        elif len(parts) > 1 or _DATE_LABEL.match(byline):
            # A meta line without the names ("01.12.2022 / CSP / International").
            return None
    else:
        parts = parts[:1]
    cleaned = " ".join(", ".join(parts).split())
    if fold(cleaned) in _BARE_LABELS or all(
        w.lower() in AUTHOR_CONJUNCTION_WORDS for w in _WORD.findall(strip_byline_prefix(cleaned))
    ):
        # "Autor: www.example.com": the address is what names the author.
        # "By | ·", "By and", "By · and ·", "By | March 3, 2022" (a label,
        # separators, a joining word or a date: the names are missing)
        # name no one: no byline.
        whole = " ".join(byline.split())
        return whole if _naming_chars(whole) > _naming_chars(cleaned) else None
    return cleaned or None


# --------------------------------------------------------------------------
# Date lines
# --------------------------------------------------------------------------

# Labels of a printed date line in languages ``dates.DATE_LABELS`` does not
# cover, per language ("Publicerad 27 februari 2024 kl 16.03").
DATE_LINE_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("posted", "modified", "last", "first", "edited"),
    "nl": ("gepubliceerd", "bijgewerkt", "laatst", "aangepast"),
    "sv": ("publicerad", "uppdaterad", "kl"),
    "da/no": ("publiceret", "publisert", "opdateret", "oppdatert", "kl"),
    "pl": ("opublikowano", "aktualizacja", "zaktualizowano", "godz"),
    "tr": ("yayınlanma", "güncelleme", "saat"),
}
_DATE_LINE_WORDS = frozenset(
    w for table in (DATE_LABELS, WEEKDAYS, DATE_CONNECTORS, DATE_LINE_LABELS)
    for phrases in table.values() for phrase in phrases for w in re.findall(r"[^\W\d_]+", phrase.lower())
)
# A clock time and its marker ("9:40 p.m.", "16.03", "17:45 Uhr", "14h30").
_CLOCK_TIME = re.compile(r"(?<!\d)\d{1,2}[:.h]\d{2}(?!\d)(?:\s*(?:[ap]\.\s?m\.|[ap]m\b|uhr\b))?", re.I)
# A time zone's abbreviation as printed ("GMT", "PDT", "MESZ").
_ZONE_NAME = re.compile(r"[A-Z]{2,5}")


def is_article_date_line(text: str, days: Sequence[str]) -> bool:
    """Whether a short block is the article's date line, which extraction
    read elsewhere (meta tags, JSON-LD): its first printed date falls on one
    of ``days`` (the article's, YYYY-MM-DD), and besides its dates and clock
    times it holds either

    - only date labels, weekdays, connectors and zone names, and no other
      number: "Wednesday 6 March 2024 08:00 GMT Last updated 14:52 GMT",
      "Publicerad 27 februari 2024 kl 16.03 · Uppdaterad 28 februari 2024
      kl 07.30" (a sentence that starts with a date stays); or
    - in a block of at most ``META_LINE_MAX_CHARS``, at most
      ``META_LINE_MAX_WORDS`` other words and no sentence end: what is left
      of the meta line above the text once its author's own element went as
      an author box (", фото Игоря Рудакова 2 октября 2024, 14:20").
    """
    found = find_printed_date(text)
    if found is None or found[0][:10] not in days:
        return False
    rest = _CLOCK_TIME.sub(" ", without_printed_dates(text))
    words = re.findall(r"[^\W\d_]+", rest)
    if not any(ch.isdigit() for ch in rest) and all(
            w.lower() in _DATE_LINE_WORDS or _ZONE_NAME.fullmatch(w) for w in words):
        return True
    return (len(text) <= META_LINE_MAX_CHARS and len(words) <= META_LINE_MAX_WORDS
            and not _SENTENCE_END.search(rest.strip() + " "))


# Words a meta line may print beside the article's date (a photographer's
# credit, a section, the place): more is a sentence or a heading.
META_LINE_MAX_WORDS = 6
META_LINE_MAX_CHARS = 120
_SENTENCE_END = re.compile(r"[.!?。！？]['\"”’)]?(\s|$)")
