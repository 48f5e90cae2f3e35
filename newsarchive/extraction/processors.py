"""Small pure functions the ArticleLoader's processors are built from.

Each function takes a string (or a list of strings) and returns the cleaned
value, ``None`` (or an empty list) when nothing usable remains. None of them
look at the page: the loader decides which strings they are given.

Word lists that only make sense in one language are named data below and
labelled with their language, so that nothing silently assumes English.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from w3lib.html import replace_entities

from newsarchive.extraction import labelrules
from newsarchive.extraction.dates import unglue_date

# --------------------------------------------------------------------------
# Whitespace and text
# --------------------------------------------------------------------------

# Zero-width characters and soft hyphens that CMSs leave in titles and names.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_HAS_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


@lru_cache(maxsize=4096)
def normalize_space(text: str | None) -> str | None:
    """Collapse runs of white space (incl. no-break spaces) to one space.

    Entities left escaped in attribute values ("Tom &amp; Jerry", seen in
    meta tags that were escaped twice) are decoded once.
    """
    if text is None:
        return None
    if "&" in text:
        text = replace_entities(text)
    # str.translate looks every character up in a dict (it was a tenth of
    # the metadata loader's time, on whole regions' texts): only when one of
    # the invisible characters is there, which an ASCII text cannot hold.
    if not text.isascii() and _HAS_INVISIBLE.search(text) is not None:
        text = text.translate(_INVISIBLE)
    # str.split() splits on exactly the characters r"\s" matches and strip() removes.
    return " ".join(text.split()) or None


# C0 controls but tab, LF and CR, then DEL and the C1 controls. HTML calls
# them parse errors and a browser shows nothing for them, yet lxml keeps them
# in the text; terminals act on them, XML 1.0 cannot hold them and
# PostgreSQL refuses NUL, so the archive keeps none.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE_RUN = re.compile(r"(?<=\S) {2,}(?=\S)")


def drop_control_characters(text: str | None) -> str | None:
    """``text`` without control characters (as a reader sees it), spaces left
    doubled by a removed character collapsed; None for a text left empty."""
    if not text or _CONTROLS.search(text) is None:
        return text
    return _SPACE_RUN.sub(" ", _CONTROLS.sub("", text)).strip() or None


@lru_cache(maxsize=8192)
def fold(text: str | None) -> str:
    """Comparison key: lower case, punctuation and white space folded.

    Used to compare candidates (og:title against the h1...), never stored.
    """
    if not text:
        return ""
    # The word runs joined by one space: what replacing the runs of
    # punctuation and white space by a space and collapsing the spaces gave,
    # in one scan and without the intermediate string.
    return " ".join(_WORD_RUN.findall(text.lower()))


_WORD_RUN = re.compile(r"[^\W_]+")


# --------------------------------------------------------------------------
# Headlines
# --------------------------------------------------------------------------

# Separators sites put between a headline and their name in <title>/og:title.
# Chinese and Japanese sites join "headline_section_site" with a bare
# underscore (CJK text has no spaces to set it off); one between two Latin
# letters or digits is part of a word ("__init__"), so a CJK character must touch it.
_CJK = r"\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef"
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|»|«|›|‹|/|~|:)\s+|\s*\|\s*|:\s+"
                               rf"|(?<=[{_CJK}])_|_(?=[{_CJK}])")


def title_parts(title: str | None) -> list[str]:
    """The parts of a <title>/og:title between those separators: the
    headline, the site's name, a section or slogan."""
    return [part.strip() for part in _TITLE_SEPARATORS.split(title)] if title else []


def site_name_keys(names: Iterable[str | None]) -> frozenset[str]:
    """Folded forms of a site's names, with and without spaces and TLD.

    "The Example Times" gives {"the example times", "theexampletimes",
    "example times"}; "www.example-news.co.uk" gives "example news".
    """
    # Cached per distinct list of names: the loader asks for the same
    # page's keys once per author candidate.
    return _site_name_keys(tuple(n for n in names if n))


@lru_cache(maxsize=256)
def _site_name_keys(names: tuple[str, ...]) -> frozenset[str]:
    keys: set[str] = set()
    for name in names:
        if not name:
            continue
        name = name.strip().lower()
        if name.startswith("www."):
            name = name[4:]
        # A host name: keep the registrable label ("example-news" of
        # "example-news.co.uk"), which is how sites spell themselves.
        if "." in name and " " not in name:
            labels = [p for p in name.split(".") if p]
            long_labels = [p for p in labels[:-1] if len(p) > 3] or labels[:1]
            keys.add(fold(long_labels[-1]))
            keys.add(fold(long_labels[-1]).replace(" ", ""))
        folded = fold(name)
        if not folded:
            continue
        keys.add(folded)
        keys.add(folded.replace(" ", ""))
        if folded.startswith("the "):
            keys.add(folded[4:])
    keys.discard("")
    return frozenset(keys)


# Title parts that CMSs add on every page of a section, never a headline.
GENERIC_TITLE_PARTS: frozenset[str] = frozenset(
    {"blog archive", "blog archiv", "archive", "archiv", "archives", "home", "startseite",
     "accueil", "inicio", "blog"}
)


def _is_site_segment(segment: str, keys: frozenset[str]) -> bool:
    folded = fold(segment)
    if not folded:
        return True
    return folded in keys or folded.replace(" ", "") in keys or folded in GENERIC_TITLE_PARTS


def strip_site_name(
    title: str | None, site_names: Iterable[str | None] = (), reference: str | None = None
) -> str | None:
    """Remove a site name prefix/suffix from a <title> or og:title.

    A part is removed only on evidence: it matches one of ``site_names``
    (og:site_name, the publisher, the host), or the other part alone
    matches ``reference`` (usually the page's h1). Without evidence the
    title is kept whole: a dash inside a headline is common.

    >>> strip_site_name("Big news today | The Example Times", ["The Example Times"])
    'Big news today'
    """
    title = normalize_space(title)
    if not title:
        return None
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    ref = fold(reference)
    if ref:
        # The headline is the part(s) that equal the h1.
        for i in range(len(parts)):
            for j in range(len(parts), i, -1):
                if (i, j) != (0, len(parts)) and fold(" ".join(parts[i:j])) == ref:
                    return _join_span(title, parts, i, j)
    keys = site_name_keys(site_names)
    if not keys:
        return title
    # The site's name and whatever follows it ("| Site - slogan"), or
    # precedes it at the front ("Site » Blog » Headline").
    start, end = 0, len(parts)
    while start < end - 1 and _is_site_segment(parts[start], keys):
        start += 1
    for i in range(start + 1, len(parts)):
        if _is_site_segment(parts[i], keys):
            end = i
            break
    if (start, end) == (0, len(parts)) or start >= end:
        return title
    return _join_span(title, parts, start, end)


_TRAILING_PART = re.compile(r"\s+(?:\||-|–|—|::|»|·)\s+([^|–—»·]+)$")


def strip_short_suffix(title: str | None, max_words: int = 3, min_words: int = 4) -> str | None:
    """Drop short trailing parts of a <title> ("... – My website", "... | Forum").

    Only for pages with nothing better to compare the title with: a short
    last part after a separator, behind a longer first part, is how sites
    brand their titles.
    """
    title = normalize_space(title)
    while title:
        match = _TRAILING_PART.search(title)
        if not match:
            break
        head = title[: match.start()]
        if len(match.group(1).split()) > max_words or len(head.split()) < min_words:
            break
        title = head.strip()
    return title


def _join_span(title: str, parts: list[str], start: int, end: int) -> str:
    """The original text from parts[start] to parts[end-1], separators kept."""
    first, last = parts[start], parts[end - 1]
    begin = title.find(first)
    stop = title.rfind(last) if end - 1 != start else begin
    if begin < 0 or stop < begin:
        return " ".join(parts[start:end])
    return title[begin : stop + len(last)].strip()


# --------------------------------------------------------------------------
# Authors
# --------------------------------------------------------------------------

# Words that introduce a byline, per language.
BYLINE_PREFIXES: dict[str, tuple[str, ...]] = {
    "en": ("written by", "posted by", "submitted by", "reporting by", "reported by", "story by", "words by",
           "text by", "interview by", "published by", "by", "author", "authors"),
    "de": ("ein beitrag von", "ein kommentar von", "ein gastbeitrag von", "geschrieben von",
           "gespeichert von", "verfasst von", "eingestellt von", "erstellt von", "blog beitrag von",
           "von", "vom", "autor", "autorin", "autoren", "autorinnen", "text",
           # Gender-inclusive spellings ("AUTOR/IN", "Autor*in", "Autor:innen").
           "autor/in", "autor*in", "autor:in", "autor_in", "autor/innen", "autor*innen", "autor:innen"),
    "fr": ("publié par", "écrit par", "rédigé par", "par", "auteur", "auteure", "texte"),
    "es": ("escrito por", "publicado por", "por", "autor", "autora", "redacción"),
    "it": ("scritto da", "pubblicato da", "di", "autore", "a cura di"),
    "pt": ("escrito por", "publicado por", "por", "autor", "autora"),
    "nl": ("geschreven door", "door", "auteur"),
    "nordic": ("skrevet af", "skrevet av", "skriven av", "af", "av"),
    # Editor in charge, editor, author, reporter: "责任编辑：Name".
    "zh": ("责任编辑", "编辑", "作者", "记者"),
    # "Wrote:", "by the pen of", "prepared by": "كتب: Name", "بقلم Name".
    "ar": ("كتب", "كتبت", "بقلم", "إعداد"),
}
_PREFIX_RE = re.compile(
    r"^(?:"
    + "|".join(
        re.escape(p)
        for p in sorted({p for ps in BYLINE_PREFIXES.values() for p in ps}, key=len, reverse=True)
    )
    # "：" is the full-width colon of Chinese and Japanese text.
    + r")(?:\s*[:：\-–—]\s*|\s+|$)",
    re.I,
)

# Words joining several authors, per language.
AUTHOR_CONJUNCTIONS: dict[str, tuple[str, ...]] = {
    "en": ("and", "with"),
    "de": ("und", "mit"),
    "fr": ("et", "avec"),
    "es": ("y", "e", "con"),
    "it": ("e", "con"),
    "pt": ("e", "com"),
    "nl": ("en",),
    "nordic": ("og", "och"),
}
AUTHOR_CONJUNCTION_WORDS = frozenset({c for cs in AUTHOR_CONJUNCTIONS.values() for c in cs} | {"&"})
# Separators of a byline's list that join no authors by themselves.
_LIST_MARKS = frozenset(",;|/•·»")
_CONJUNCTIONS_RE = "|".join(sorted({c for cs in AUTHOR_CONJUNCTIONS.values() for c in cs}, key=len, reverse=True))
# A list mark, a joining word, or both ("Jane Doe, Reporter, and John Roe").
_SPLIT_RE = re.compile(
    r"\s*(?:[,;&+|•·/»\n](?:\s*(?:" + _CONJUNCTIONS_RE + r")\s)?|\s(?:" + _CONJUNCTIONS_RE + r")\s)\s*",
    re.I,
)

# Job titles and roles that follow or replace a name, per language; a
# segment holding one of these words is a role, not a person.
ROLE_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "correspondent correspondents editor editors reporter reporters writer writers staff "
        "contributor contributors columnist columnists journalist journalists photographer "
        "photographers producer producers analyst analysts chief senior deputy desk team "
        "newsroom bureau intern freelance guest critic commentator author authors "
        "researcher anchor presenter host managing political economics business sports "
        "science technology health culture international national affairs associate "
        "special contributing assistant executive director founder ceo president "
        "professor student member updated published reviewed fact checked "
        "administrator admin moderator illustration illustrations photos photography graphics "
        "video sport".split()
    ),
    "de": frozenset(
        "redakteur redakteurin redaktion korrespondent korrespondentin autor autorin "
        "reporter reporterin chefredakteur chefredakteurin ressortleiter ressortleiterin "
        "volontär volontärin mitarbeiter mitarbeiterin gastautor gastautorin leiter "
        "leiterin fotograf fotografin aktualisiert veröffentlicht fotos grafik grafiken "
        "projektleiter projektleiterin pressesprecher pressesprecherin".split()
    ),
    "fr": frozenset(
        "rédaction rédacteur rédactrice correspondant correspondante journaliste envoyé "
        "envoyée spécial spéciale chroniqueur chroniqueuse photographe publié".split()
    ),
    "es": frozenset(
        "redacción redactor redactora corresponsal periodista enviado enviada especial "
        "columnista fotógrafo fotógrafa actualizado publicado".split()
    ),
    "it": frozenset("redazione corrispondente giornalista inviato inviata".split()),
}
_ROLE_WORDS_ALL = frozenset().union(*ROLE_WORDS.values())

# News agencies: credited as sources, not persons.
AGENCIES: frozenset[str] = frozenset(
    {
        "ap", "associated press", "the associated press", "afp", "agence france presse",
        "agence france-presse", "reuters", "thomson reuters", "dpa", "apa", "sda", "epd",
        "kna", "efe", "ansa", "pa", "pa media", "press association", "upi", "bloomberg",
        "bloomberg news", "xinhua", "ians", "pti", "ani", "anp", "belga", "tass", "ria",
        "aap", "cnn", "bbc", "getty", "getty images", "kyodo", "yonhap", "europa press",
        "ats", "keystone", "keystone-sda", "sid", "rtr", "ddp", "dapd", "nyt",
        "new york times", "washington post", "wire", "wires", "agencies", "agency",
        "agencias", "agences", "agenturen",
    }
)

# Words that are never a person's name on their own, per language.
NOT_NAMES: dict[str, frozenset[str]] = {
    "en": frozenset(
        "staff admin administrator editor editors guest anonymous unknown team newsroom "
        "contributor contributors share comments comment follow subscribe home news "
        "more view all posts profile email twitter facebook read min by posted on in "
        "published updated written filed under uncategorized login editorial last update modified".split()
    ),
    "de": frozenset(
        "redaktion gast teilen kommentare folgen mehr weitere von veröffentlicht publiziert "
        "aktualisiert am um geschrieben stand letzte zuletzt aktualisierung änderung geändert "
        # An author page's link text: "Alle Beiträge von Jane Doe", "Alles von Jane Doe".
        "alle alles beiträge artikel".split()
    ),
    "fr": frozenset("rédaction invité partager commentaires suivre par publié le éditorial".split()),
    "es": frozenset("redacción invitado compartir comentarios seguir por publicado el editorial".split()),
}
_NOT_NAMES_ALL = frozenset().union(*NOT_NAMES.values())

# Possessive determiners, per language: a byline that starts with one is the
# newsroom speaking of itself ("Our Foreign Staff", "Unser Korrespondent",
# "Notre envoyé spécial"); no person's name starts with one.
POSSESSIVES: dict[str, frozenset[str]] = {
    "en": frozenset({"our"}),
    "de": frozenset({"unser", "unsere", "unserem", "unseren", "unserer"}),
    "fr": frozenset({"notre", "nos"}),
    "es": frozenset({"nuestro", "nuestra", "nuestros", "nuestras"}),
    "it": frozenset({"nostro", "nostra", "nostri", "nostre"}),
    "pt": frozenset({"nosso", "nossa", "nossos", "nossas"}),
    "nl": frozenset({"onze", "ons"}),
}
_POSSESSIVES_ALL = frozenset().union(*POSSESSIVES.values())

# Role words that name a group, per language: as the last word of a byline
# they make the whole of it a desk ("Jerusalem Post Staff", "Telegraph
# Reporters"), where a singular role after a name is that person's job
# ("Jane Doe Senior Reporter").
COLLECTIVE_ROLE_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "staff staffers team desk newsroom bureau reporters writers editors correspondents "
        "contributors journalists".split()
    ),
    "de": frozenset("korrespondenten redakteure".split()),
    "fr": frozenset("correspondants journalistes".split()),
    "es": frozenset("corresponsales periodistas".split()),
}
_COLLECTIVE_ALL = frozenset().union(*COLLECTIVE_ROLE_WORDS.values())

# Words that make a name an organisation's, per language.
ORGANISATION_WORDS: frozenset[str] = frozenset(
    "gmbh ag ltd inc llc corp plc sa sarl srl verlag stiftung verein verband "
    "institut institute university universität université universidad foundation "
    "association media group gruppe network netzwerk online news nachrichten magazin "
    "magazine zeitung journal blog redaktion newsdesk press presse".split()
)
_REGISTERED_ASSOCIATION = re.compile(r"\be\.\s?V\b\.?", re.I)
_DOMAIN = re.compile(r"\w\.(?:[a-z]{2,3}|com|net|org|info)(?:/|$)", re.I)

# Month and weekday names that betray a date glued to a byline.
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday "
    "januar februar märz mai juni juli oktober dezember montag dienstag mittwoch donnerstag "
    "freitag samstag sonntag janvier février mars avril juin juillet août septembre octobre "
    "novembre décembre lundi mardi mercredi jeudi vendredi samedi dimanche enero febrero marzo "
    "abril mayo junio julio agosto septiembre octubre noviembre diciembre lunes martes "
    "miércoles jueves viernes sábado domingo ago hours minutes hour minute "
    "gestern heute yesterday today mo di mi do fr sa so mon tue wed thu fri sat sun hace vor".split()
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"(?<!\w)@\w+")
# Stops at brackets: "Jane Doe (http://example.org/jane)" leaves "Jane Doe ( )".
URL_IN_TEXT = re.compile(r"\b(?:https?://|www\.)[^\s()<>\[\]]+", re.I)
_PARENS = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")
_DIGITS = re.compile(r"\d")
# "John Smith - Senior Reporter", "John Smith: Correspondent"
_DASH_TAIL = re.compile(r"\s+[-–—:]\s+.*$")
_LETTER = re.compile(r"[^\W\d_]")


# Lower-case particles of surnames ("de la Cruz", "van der Berg", "bin Salman").
NAME_PARTICLES: frozenset[str] = frozenset(
    "de la le du des da das do dos di del della van von der den ter ten zu bin ibn al el y e".split()
)
# A login name used as a byline ("freeman1984"): one token, letters first.
_USERNAME = re.compile(r"^[^\W\d_][\w.-]*$")

# Labels printed before a byline ("Text & Fotos:", "Beitrag von"), per language.
LABEL_WORDS: frozenset[str] = frozenset(
    "text texte fotos foto photos photo pictures words interview bilder bild beitrag artikel "
    "article post gespeichert saved story report bericht pressemitteilung redaktionell "
    "und and et y e & gastbeitrag kommentar column kolumne "
    # Slavic labels: "Текст: ...", "Autor: ...", "Zdjęcia: ..."
    "текст автор фото tekst zdjęcia".split()
)

# Words of relative dates ("Hace 13 horas", "vor 2 Stunden"), per language.
RELATIVE_DATE_WORDS: frozenset[str] = frozenset("hace vor ago il depuis há".split())
# Whole weekday names never belong to a person's name ("Di" may: "Di Maria").
_FULL_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday montag dienstag mittwoch "
    "donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche "
    "lunes martes miércoles jueves viernes sábado domingo".split()
)
_WEEKDAYS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag mo di mi do fr sa so "
    "lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves "
    "viernes sábado domingo".split()
)

# Words introducing a date after a name, per language ("am", "on", "le"...).
DATE_PARTICLES: frozenset[str] = frozenset(
    "am on at um le el il em op den the of dne".split()
)

# Degrees and suffixes that follow a name after a comma.
NAME_SUFFIXES: frozenset[str] = frozenset(
    "phd ph.d md m.d jr jr. sr sr. ii iii iv mba msc bsc esq dr".split()
)
# Professional titles printed before a name ("Rechtsanwalt Jane Doe"), per
# language: the title is not part of the name.
NAME_TITLES: dict[str, frozenset[str]] = {
    "en": frozenset("attorney lawyer".split()),
    "de": frozenset(
        "rechtsanwalt rechtsanwältin fachanwalt fachanwältin notar notarin "
        "steuerberater steuerberaterin".split()
    ),
    "fr": frozenset("avocat avocate".split()),
    "es": frozenset("abogado abogada".split()),
}
_NAME_TITLES_ALL = frozenset().union(*NAME_TITLES.values())
_LEADING_DATE = re.compile(
    r"^\s*(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})"
    r"(?:,?\s*(?:um|at|à)?\s*\d{1,2}[:.]\d{2}(?:\s*uhr)?)?\s*[-–|·•,]\s*",
    re.I,
)
_MID_PREFIX = re.compile(
    r"(?:^|[\s·|•,])(?:by|von|par|por|door|av|af)\s+(?=\S)", re.I
)


def _is_label_or_date(text: str) -> bool:
    """What may stand before a mid-text "by": a date, a label, a separator;
    not a name ("Walter von Aachen")."""
    if _DIGITS.search(text) or text.rstrip().endswith(("·", "|", "•", ",", "»")):
        return True
    words = [w for w in re.split(r"[^\w]+", text.lower()) if w]
    return all(w in _NOT_NAMES_ALL or w in _DATE_WORDS or w in _ROLE_WORDS_ALL or w in LABEL_WORDS for w in words)


# Label words that credit pictures only: "Foto: Jane Doe" is not a byline,
# "Text & Fotos: Jane Doe" is.
_PICTURE_LABELS = frozenset("fotos foto photos photo pictures bilder bild zdjęcia фото".split())


def _picture_credit(text: str) -> bool:
    """"Foto: Jane Doe", "Bild: Jane Doe": who took the picture, not who
    wrote the article ("Text & Fotos: Jane Doe" did both)."""
    head, sep, tail = text.partition(":")
    if not sep or not tail.strip() or len(head) > 20:
        return False
    words = [w for w in re.split(r"[^\w]+", head.lower()) if w]
    return bool(words) and all(w in _PICTURE_LABELS for w in words)


def has_byline_label(text: str | None) -> bool:
    """True when the text says it is a byline: "By Jane Doe", "Von Jane Doe",
    "Text & Fotos: Jane Doe", "Autor: Jane Doe" (any language listed);
    false for a bare name and for a picture credit ("Foto: Jane Doe")."""
    text = normalize_space(text)
    if not text:
        return False
    if _PREFIX_RE.match(text):
        return True
    head, sep, tail = text.partition(":")
    if not sep or not tail.strip() or _DIGITS.search(head):
        return False
    words = [w for w in re.split(r"[^\w]+", head.lower()) if w]
    return bool(words) and all(w in LABEL_WORDS for w in words) and not all(
        w in _PICTURE_LABELS or w in AUTHOR_CONJUNCTION_WORDS for w in words
    )


def strip_byline_prefix(text: str) -> str:
    """Remove "By", "Von", "Par"... at the start of a byline."""
    previous = None
    while previous != text:
        previous = text
        text = _PREFIX_RE.sub("", text, count=1).strip()
    return text


def is_role_word(word: str) -> bool:
    """A job title or role word ("Correspondent", "Redakteurin"), any language listed."""
    return word.strip(".,;:()").lower() in _ROLE_WORDS_ALL


def _is_role(segment: str) -> bool:
    words = [w for w in re.split(r"[^\w'’-]+", segment.lower()) if w]
    return bool(words) and any(w in _ROLE_WORDS_ALL for w in words)


def is_person_name(name: str, site_keys: frozenset[str] = frozenset()) -> bool:
    """True when ``name`` reads like a person's name rather than a role,
    an agency, the site, a date or a link text."""
    if not name or len(name) > 60:
        return False
    if _DIGITS.search(name) and not _USERNAME.match(name):
        return False
    if not _LETTER.search(name):
        return False
    folded = fold(name)
    if not folded or folded in AGENCIES or folded in site_keys or folded.replace(" ", "") in site_keys:
        return False
    if site_keys and _holds_site_name(folded, site_keys):
        return False
    if _DOMAIN.search(name) or _REGISTERED_ASSOCIATION.search(name):
        return False
    words = folded.split()
    if len(words) > 5:
        return False
    if len(words) > 1 and any(w in ORGANISATION_WORDS for w in words):
        return False
    # "SP-X", "DPA", "KNA": agency and desk codes, not names.
    if len(name.split()) == 1 and name.replace("-", "").isupper() and len(name) <= 5:
        return False
    if words[0] in _POSSESSIVES_ALL:
        return False
    raw_words = name.split()
    # "Hinterlasse einen Kommentar", "Leave a reply": lower-case words inside
    # a name are only the particles of surnames.
    if len(raw_words) > 1 and any(
        w.islower() and w not in NAME_PARTICLES for w in raw_words[1:]
    ):
        return False
    # "in Uncategorized", "am Montag": a lower-case particle before capitals.
    if len(raw_words) > 1 and raw_words[0].islower() and not raw_words[-1].islower() and raw_words[0] in _NOT_NAMES_ALL:
        return False
    if all(w in _NOT_NAMES_ALL or w in _DATE_WORDS or w in _ROLE_WORDS_ALL or w in _NAME_TITLES_ALL for w in words):
        return False
    # "and", "und", "y", "&": a word joining authors whose names the markup
    # left out ("By <a></a> and <a></a>") names no one.
    if all(w in AUTHOR_CONJUNCTION_WORDS for w in words):
        return False
    # A single lower-case word ("admin", "redaktion") is a login, not a name,
    # unless it is all there is in a byline; capitalised names pass.
    return not (name == name.lower() and len(words) > 2)


def _holds_site_name(folded: str, site_keys: frozenset[str]) -> bool:
    """Whether a folded name holds the site's name of two words or more
    whole, with words around it: "EFC Bayrische Bembel" on
    bayrische-bembel.de, "Example Times Newsroom". A club, a desk or the
    site itself, not a person. One-word site names do not count: "Smith"
    on smith.com may be any Smith's surname."""
    padded = f" {folded} "
    return any(
        " " in key and len(key) >= 8 and key != folded and f" {key} " in padded
        for key in site_keys
    )


def _clean_name(segment: str) -> str:
    segment = strip_byline_prefix(segment.strip(" \t,;:|-–—•·"))
    segment = _DASH_TAIL.sub("", segment)
    words = segment.split()
    # "By Jane Doe and" (the co-author's name left out by the markup): a
    # joining word in lower case at either end joins nothing.
    while words and words[-1] in AUTHOR_CONJUNCTION_WORDS:
        words.pop()
    while words and words[0] in AUTHOR_CONJUNCTION_WORDS:
        words.pop(0)
    # "Moritz Gathmann am 21. April 2020": the date (and the particle that
    # introduces it) follows the name. A month name counts only before a
    # number: "Laura June Topolsky" keeps June.
    for i in range(1, len(words)):
        bare = words[i].strip(".,").lower()
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            _DIGITS.search(bare)
            or bare in _FULL_WEEKDAYS
            or (bare in _DATE_WORDS and (_DIGITS.search(following) or bare in RELATIVE_DATE_WORDS))
        ):
            if words[i - 1].lower() in DATE_PARTICLES and i > 1:
                i -= 1
            words = words[:i]
            break
    # "Rechtsanwalt Jane Doe": the title, not the name.
    while len(words) > 1 and words[0].lower() in _NAME_TITLES_ALL:
        words = words[1:]
    # "ACACIA CORONADO Associated Press": the agency printed after the last
    # name without a comma, as wire bylines end.
    words = _without_trailing_agency(words)
    # "Tomas Spahn Fr" (a weekday glued on by the markup), "Ian Mohr View"
    # (a link label after the name).
    segment = _strip_trailing_labels(" ".join(words))
    return segment.strip(" \t,;:|-–—•·.'\"“”„")


# An agency's name one word long reads as a surname when short ("Ria",
# "Sid", "Pa"): only longer ones ("Reuters", "Bloomberg") are cut after a name.
_TRAILING_AGENCY_MIN_LETTERS = 5


def _without_trailing_agency(words: list[str]) -> list[str]:
    """The name's words without an agency printed after them ("Jane Doe
    Associated Press", "Jane Doe Reuters"); two name words must remain."""
    for size in (3, 2, 1):
        if len(words) - size < 2:
            continue
        tail = " ".join(words[-size:]).strip(".,").lower()
        if tail in AGENCIES and (size > 1 or len(tail) >= _TRAILING_AGENCY_MIN_LETTERS):
            return words[:-size]
    return words


# Link labels printed after an author's name ("Ian Mohr View author archive").
TRAILING_LABELS: frozenset[str] = frozenset(
    "view more follow email mail profile posts read all subscribe share twitter facebook "
    "instagram linkedin mehr weitere folgen alle artikel beiträge voir suivre ver seguir".split()
)


def _strip_trailing_labels(segment: str) -> str:
    words = segment.split()
    while len(words) > 1 and words[-1].strip(".,").lower() in (_WEEKDAYS | TRAILING_LABELS):
        words.pop()
    return " ".join(words)


def split_authors(
    text: str | None, site_names: Iterable[str | None] = (), language: str | None = None
) -> list[str]:
    """Person names in a byline string. ``language`` is the page's declared
    language: it tells how a byline of Han characters only is split (a
    space separates two Chinese names, and joins a Japanese one's halves).

    >>> split_authors("By Jane Doe and John Smith, Political Correspondent | Reuters")
    ['Jane Doe', 'John Smith']
    """
    if not text:
        return []
    # Cached per (text, site): one page asks for the same byline texts
    # several times (strict and lenient searches, the printed form).
    if has_cjk(text):
        return list(split_cjk_authors(text, site_name_keys(site_names), cjk_language(text, language)))
    return list(_split_authors(text, site_name_keys(site_names)))


@lru_cache(maxsize=4096)
def _split_authors(text: str, keys: frozenset[str]) -> tuple[str, ...]:
    text = normalize_space(text) or ""
    if not text:
        return ()
    # "Jane DoeNovember 6, 2023", "Jane DoeUpdated November 6, 2023": a date
    # glued to the name by markup without spaces is set apart as a list
    # item, not read as part of the name ("Jane DoeNovember").
    text = unglue_date(text, ", ")
    text = _EMAIL.sub(" ", text)
    text = URL_IN_TEXT.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    # Parentheses hold agencies "(AP)", roles or places: drop them; a
    # parenthesised middle name or nickname between name words stays as
    # printed ("Bruno (Henrique Zecchin) Rodrigues").
    text = _PARENS.sub(_drop_parenthesis, text)
    # "11.12.2019 - Jane Doe", "23.06.2016 um 16:14 Uhr - Jane Doe - 91 comments"
    text = _LEADING_DATE.sub("", normalize_space(text) or "")
    if _picture_credit(text):
        return ()
    text = strip_byline_prefix(text)
    # "Jobs & Hire": the site's name is not split into two "persons".
    whole = fold(text)
    if whole in keys or whole.replace(" ", "") in keys:
        return ()
    # "Text & Fotos: Jane Doe": a label before a colon.
    if ":" in text:
        head, _, tail = text.partition(":")
        if tail.strip() and _is_label_or_date(head) and not _DIGITS.search(head):
            text = tail.strip()
    # "Posted on March 3, 2020 by Jane Doe", "21.01.2009 · von r23 · in News":
    # what precedes a mid-text "by" is a date or a label.
    mid = _MID_PREFIX.search(text)
    if mid and _is_label_or_date(text[: mid.start() + 1]):
        text = text[mid.end() :]
    names: list[str] = []
    seen: set[str] = set()
    segments = _SPLIT_RE.split(text)
    # What stood before each segment: a list mark or a word joining authors.
    separators = ["", *(m.group(0).strip() for m in _SPLIT_RE.finditer(text))] if len(segments) > 1 else [""]
    if len(segments) == 1:
        segments = _name_role_runs(text)
        separators = ["", *([","] * (len(segments) - 1))]
    after_source = False
    full_name_at = -2  # index of the last segment that was a name of two words or more
    role_at = -2  # index of the last segment that was a name with its job title
    for index, raw in enumerate(segments):
        if not raw:
            continue
        if "©" in raw:
            # "Bild © ARD": a picture credit printed in the byline block.
            continue
        if raw.strip(" .").lower() in NAME_SUFFIXES:
            # "Michael L. Anderson, PhD": the suffix belongs to the name before.
            if names:
                names[-1] = f"{names[-1]}, {raw.strip()}"
            continue
        name = _clean_name(raw)
        if not name:
            continue
        if _is_role(name):
            if not _looks_like_name_with_role(name):
                continue
            role_at = index
            name = _strip_trailing_labels(_strip_role_words(name))
        elif role_at == index - 1 and " " not in name and separators[index] not in _LIST_MARKS:
            # One word joined to a name's job title ends the title: "Jane
            # Doe Redakteurin für Wirtschaft und Umwelt". A co-author there
            # is named in full ("Jane Doe, Reporter, and John Roe").
            continue
        if not is_person_name(name, keys):
            folded = fold(name)
            if folded in AGENCIES or folded in keys or folded.replace(" ", "") in keys or _DOMAIN.search(name):
                after_source = True
            continue
        if after_source and " " not in name:
            # "hessenschau.de, Frankfurt, Germany", "Reuters, London": one
            # word after the site or an agency is the dateline's place.
            continue
        if " " not in name and full_name_at == index - 1 and separators[index] in _LIST_MARKS:
            # "Jane Doe, Washington", "JANE DOE, FUTURISM": one word listed
            # after a full name is the dateline's place or the outlet the
            # story comes from; a co-author is named in full ("Jane Doe,
            # John Roe") or joined by a word ("Jane Doe and Cher").
            continue
        if " " in name:
            full_name_at = index
        key = fold(name)
        if key not in seen:
            seen.add(key)
            names.append(name)
    return tuple(names)


# A parenthesis inside a name: one to three capitalised words or initials.
_INNER_NAME = re.compile(r"^(?:[^\W\d_][\w'’.-]*\s*){1,3}$")


def _drop_parenthesis(match: re.Match[str]) -> str:
    """" " for "(AP)", "(Text)", "(Berlin)"; the parenthesis itself when it
    sits between two name words: "Bruno (Henrique Zecchin) Rodrigues"."""
    inner = match.group(1).strip()
    before = match.string[: match.start()].rstrip()
    after = match.string[match.end() :].lstrip()
    if (
        inner
        and before[-1:].isalpha()
        and after[:1].isupper()
        and _INNER_NAME.match(inner)
        and all(w[:1].isupper() for w in inner.split())
        and fold(inner) not in AGENCIES
        and not _is_role(inner)
        and not _is_role(after.split()[0])
        and not any(w in LABEL_WORDS for w in fold(inner).split())
    ):
        return match.group(0)
    return " "


def without_name_suffix(name: str) -> str:
    """"Michael L. Anderson, PhD" -> "Michael L. Anderson": to compare a name
    printed with its degree against the same name declared without."""
    head, sep, tail = name.rpartition(",")
    if sep and tail.strip(" .").lower() in NAME_SUFFIXES:
        return head.strip()
    return name


def _name_role_runs(segment: str) -> list[str]:
    """A byline printed one name and one role per element, which the markup's
    spaces join into one run ("Erik Lundgren Reporter Maja Holm Reporter"):
    each name with its role (["Erik Lundgren Reporter", "Maja Holm
    Reporter"]). Only when every part is two or more capitalised words
    followed by role words that name a person's job (not a desk or bureau,
    which may be followed by a place); else ``[segment]``."""
    words = segment.split()
    if len(words) < 6:
        return [segment]
    runs: list[str] = []
    start = i = 0
    while i < len(words):
        while i < len(words) and words[i].lower().strip(".,") not in _ROLE_WORDS_ALL:
            i += 1
        lead = words[start:i]
        if len(lead) < 2 or i == len(words) or not all(w[:1].isupper() for w in lead):
            return [segment]
        while i < len(words) and words[i].lower().strip(".,") in _ROLE_WORDS_ALL:
            if words[i].lower().strip(".,") in _COLLECTIVE_ALL:
                return [segment]
            i += 1
        runs.append(" ".join(words[start:i]))
        start = i
    return runs if len(runs) >= 2 else [segment]


def _looks_like_name_with_role(segment: str) -> bool:
    """"Jane Doe Senior Reporter": capitalised name words before the role;
    not a desk ("Jerusalem Post Staff", "Our Foreign Staff")."""
    words = segment.split()
    if words[-1].strip(".,").lower() in _COLLECTIVE_ALL:
        return False
    lead = []
    for w in words:
        if w.lower() in _ROLE_WORDS_ALL:
            break
        lead.append(w)
    return len(lead) >= 2 and all(w[:1].isupper() for w in lead)


def _strip_role_words(segment: str) -> str:
    words = segment.split()
    lead = []
    for w in words:
        if w.lower() in _ROLE_WORDS_ALL:
            break
        lead.append(w)
    return " ".join(lead)


def dedupe(values: Iterable[str]) -> list[str]:
    """Unique values in first-seen order, compared after folding."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        key = fold(value)
        if key and key not in seen:
            seen.add(key)
            out.append(value)
    return out


# --------------------------------------------------------------------------
# Captions
# --------------------------------------------------------------------------

# A credit names a person or agency or two; a longer one is a sentence.
CREDIT_MAX_WORDS = 8
# Labels introducing a photo credit, per language.
CREDIT_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("photograph", "photographs", "photo", "photos", "picture", "pictures", "image",
           "images", "credit", "credits", "photo credit", "image credit", "image credits",
           "image source", "photo source", "photographer", "source", "illustration", "video"),
    "de": ("foto", "fotos", "bild", "bilder", "quelle", "bildquelle", "fotograf", "fotografin",
           "illustration", "bildnachweis"),
    "fr": ("photo", "crédit", "crédits", "crédit photo", "source", "illustration"),
    "es": ("foto", "fotografía", "imagen", "fuente", "crédito"),
    "it": ("foto", "fonte", "immagine"),
    "nl": ("foto", "beeld", "bron"),
}
# Labels a credit element may print without a colon ("Credit Jane Doe"); the
# others ("Photo", "Bild") also begin ordinary captions and names.
BARE_CREDIT_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("credit", "credits", "photo credit", "image credit"),
    "fr": ("crédit", "crédits", "crédit photo"),
    "es": ("crédito",),
}
# Labels that introduce a credit with a preposition, no colon ("Photo by Jane
# Doe", "Foto von …"), per language: a credit when they start the caption's
# last sentence or its credit element.
BY_CREDIT_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("photo by", "photos by", "photograph by", "photographs by", "image by", "picture by",
           "illustration by", "video by"),
    "de": ("foto von", "fotos von", "bild von"),
    "fr": ("photo de", "photo par"),
    "es": ("foto de", "foto por", "fotografía de"),
    "pt": ("foto de", "foto por"),
    "it": ("foto di",),
}
# A caption ending in one of these says where the picture came from, per language.
TRAILING_CREDIT_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("submitted photo", "contributed photo", "courtesy photo", "file photo", "handout photo"),
    "de": ("archivfoto", "symbolfoto", "privatfoto"),
}
# Screen-reader labels printed before a caption ("Image caption …"), per language.
CAPTION_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("image caption", "media caption", "photo caption", "video caption", "caption"),
    "de": ("bildunterschrift", "bildtext"),
    "fr": ("légende",),
    "es": ("pie de foto",),
}
# Gallery counters before a caption: "Image 1 of 9", "Bild 2 von 5", "1/5".
GALLERY_COUNTER_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("image", "photo", "picture", "slide", "of"),
    "de": ("bild", "foto", "von"),
    "fr": ("image", "photo", "sur"),
    "es": ("imagen", "foto", "de"),
    "it": ("immagine", "foto", "di"),
    "nl": ("foto", "afbeelding", "van"),
}
_COUNTER_NOUNS = sorted({w for ws in GALLERY_COUNTER_WORDS.values() for w in ws[:-1]}, key=len, reverse=True)
_COUNTER_OFS = sorted({ws[-1] for ws in GALLERY_COUNTER_WORDS.values()}, key=len, reverse=True)
_GALLERY_COUNTER_RE = re.compile(
    r"^(?:(?:" + "|".join(_COUNTER_NOUNS) + r")\s+)?(?P<at>\d{1,3})\s*(?P<of>/|\s(?:"
    + "|".join(_COUNTER_OFS) + r")\s)\s*(?P<count>\d{1,3})(?![\d/.,])[\s:|.–—-]*(?=\S)",
    re.I,
)
_CAPTION_LABEL_RE = re.compile(
    r"^(?:"
    + "|".join(re.escape(p) for p in sorted({p for ps in CAPTION_LABELS.values() for p in ps}, key=len, reverse=True))
    + r")(?:\s*:\s*|\s+)(?=\S)",
    re.I,
)


def _alternation(labels: dict[str, tuple[str, ...]]) -> str:
    return "|".join(re.escape(p) for p in sorted({p for ps in labels.values() for p in ps}, key=len, reverse=True))


# The separator: a colon, or the ellipsis some sites print ("Credit... Jane Doe").
_CREDIT_SEP = r"\s*(?::|\.\.\.|…)\s*"
_CREDIT_LABEL_RE = re.compile(
    r"(?:^|(?<=[\s.;,|]))(?:" + _alternation(CREDIT_LABELS) + r")" + _CREDIT_SEP
    + r"(?P<credit>[^:]{2,120})$",
    re.I,
)


def _credit_label_search(text: str) -> re.Match[str] | None:
    """``_CREDIT_LABEL_RE.search(text)``, skipped when the text holds none
    of the separators every label is followed by: the regex tries its dozens
    of labels at every character (~9 us a caption), and most captions have
    no colon nor ellipsis."""
    if ":" not in text and "…" not in text and "..." not in text:
        return None
    return _CREDIT_LABEL_RE.search(text)


# Leading labels of a credit element, repeated when a hidden copy precedes
# the printed one ("Credit Credit Jane Doe").
_LEADING_CREDIT_LABELS_RE = re.compile(
    r"^(?:(?:" + _alternation(CREDIT_LABELS) + r")" + _CREDIT_SEP + r"|(?:"
    + _alternation(BARE_CREDIT_LABELS) + r")(?:" + _CREDIT_SEP + r"|\s+))+",
    re.I,
)
_COPYRIGHT_RE = re.compile(r"(?:^|\s)(?:©|\(c\)|copyright\b)\s*(?P<credit>.{2,120})$", re.I)
_TRAILING_PARENS = re.compile(r"\s*[(\[](?P<credit>[^()\[\]]{2,80})[)\]]\s*\.?$")
_BY_CREDIT_LABEL = r"(?:" + _alternation(BY_CREDIT_LABELS) + r")\s+"
# "… in February. Photo by Jane Doe on Unsplash": the caption's last sentence.
_TRAILING_BY_CREDIT_RE = re.compile(r"(?<=[.!?])\s+" + _BY_CREDIT_LABEL + r"(?P<credit>[^.!?]{2,80}?)\.?$", re.I)
_LEADING_BY_CREDIT_RE = re.compile(r"^" + _BY_CREDIT_LABEL + r"(?=\S)", re.I)
_TRAILING_PHRASE_RE = re.compile(r"\s(?P<credit>" + _alternation(TRAILING_CREDIT_PHRASES) + r")\.?$", re.I)
# "… in 2019. J. Scott Applewhite / AP file", "… pasado. EFE": a name and/or an
# agency after the caption's last sentence.
_TRAILING_AGENCY_RE = re.compile(
    r"(?<=[.!?])\s+(?P<credit>(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s*/\s*)?"
    r"(?P<agency>[A-Za-z][A-Za-z .-]{1,30}?)(?:\s+(?:file|photo|archive))?)\.?$"
)
# Trailing parenthetical words that describe the picture, not its source.
_NOT_CREDITS = frozenset(
    "left right centre center top bottom above below pictured file archive front back "
    "links rechts mitte oben unten archiv archivbild symbolbild gauche droite".split()
)
# Figure numbers ("Fig 1", "Abb. 3"), per language: a reference, not a source.
FIGURE_NUMBER_LABELS: dict[str, tuple[str, ...]] = {
    "en": ("fig", "figure", "table", "chart"),
    "de": ("abb", "abbildung", "tabelle", "grafik"),
    "fr": ("fig", "figure", "tableau"),
    "es": ("fig", "figura", "tabla"),
}
_FIGURE_NUMBER_RE = re.compile(r"^(?:" + _alternation(FIGURE_NUMBER_LABELS) + r")\.?\s*\d+[a-z]?$", re.I)
# A "credit" that starts like a date line ("Published Monday, Nov. 18") is the
# page's furniture, per language.
NOT_CREDIT_STARTS: dict[str, tuple[str, ...]] = {
    "en": ("published", "updated", "posted"),
    "de": ("veröffentlicht", "aktualisiert", "publiziert"),
    "fr": ("publié", "mis à jour"),
    "es": ("publicado", "actualizado"),
}
# A video's running time ("01:30 Min.") printed where a credit would be.
_DURATION_RE = re.compile(r"^\d{1,2}:\d{2}\b")
_NOT_CREDIT_START_RE = re.compile(r"^(?:" + _alternation(NOT_CREDIT_STARTS) + r")\b", re.I)


def _looks_like_credit(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 8:
        return False
    if all(w.lower().strip(",.") in _NOT_CREDITS for w in words):
        return False
    if _FIGURE_NUMBER_RE.match(text):
        return False
    # Credits are names: they start with a capital letter, digit or symbol.
    return not text[:1].islower()


def starts_with_credit_label(text: str | None) -> bool:
    """The whole of ``text`` is a labelled credit ("Photo: Jane Doe")."""
    text = normalize_space(text)
    return bool(text) and len(text) <= 130 and _CREDIT_LABEL_RE.match(text) is not None


def strip_caption_label(text: str | None) -> str | None:
    """Drop a screen-reader label and a gallery counter before a caption.

    >>> strip_caption_label("Image caption Crowds in the square")
    'Crowds in the square'
    >>> strip_caption_label("Image 1 of 9 Crowds in the square")
    'Crowds in the square'
    """
    if not text:
        return text
    match = _CAPTION_LABEL_RE.match(text)
    if match:
        text = text[match.end():]
    match = _GALLERY_COUNTER_RE.match(text)
    # "1/2 cup" is a fraction: a counter counts up to its total, and a
    # slashed one over at least three pictures.
    if match and int(match.group("at")) <= int(match.group("count")):
        if match.group("of") != "/" or int(match.group("count")) >= 3:
            text = text[match.end():]
    return text


# The trailing patterns are tried at every character of a caption; on a
# space-normalised text (single spaces, none at its ends, as split_credit
# reads it) they can only match one ending in a bracket (``_TRAILING_PARENS``)
# or holding a sentence's end and a space (``_TRAILING_AGENCY_RE``).
_BRACKET_ENDS = (")", "]", ").", "].", ") .", "] .")


def _may_end_in_brackets(text: str) -> bool:
    return text.endswith(_BRACKET_ENDS)


def _may_end_in_agency(text: str) -> bool:
    return ". " in text or "! " in text or "? " in text


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """Split a photo credit off a caption: (text, credit).

    >>> split_credit("Jets prepare for the withdrawal (AFP/Getty Images)")
    ('Jets prepare for the withdrawal', 'AFP/Getty Images')
    >>> split_credit("Protesters in the square. Photo: Jane Doe/Reuters")
    ('Protesters in the square.', 'Jane Doe/Reuters')
    >>> split_credit("Lanterns on the water (Photo: Ana Ruiz)")
    ('Lanterns on the water', 'Ana Ruiz')
    """
    text = normalize_space(caption)
    if not text:
        return None, None
    for search in (_credit_label_search, _COPYRIGHT_RE.search):
        match = search(text)
        if match:
            credit = match.group("credit").strip(" .;,|")
            rest = text[: match.start()].strip(" ;,|–—-")
            if credit and not rest and len(credit.split()) > CREDIT_MAX_WORDS:
                # "Bild: A drone came close to a carrier. Screenshot …": a
                # label before the whole caption, not before a credit.
                return match.group("credit").strip(), None
            if credit:
                return rest or None, credit
    match = _TRAILING_PARENS.search(text) if _may_end_in_brackets(text) else None
    if match and _looks_like_credit(match.group("credit").strip()):
        rest = text[: match.start()].strip()
        if rest:
            # "(Photo: Jane Doe)": the label inside the brackets goes too.
            return rest, clean_credit(match.group("credit")) or match.group("credit").strip()
        if _CREDIT_LABEL_RE.match(match.group("credit").strip()):
            # The whole caption is a labelled credit in brackets: "(Foto: Jane Doe)".
            return None, clean_credit(match.group("credit"))
    match = _TRAILING_PHRASE_RE.search(text)
    if match:
        return text[: match.start()].strip() or None, match.group("credit")
    match = _TRAILING_BY_CREDIT_RE.search(text) if " " in text else None
    if match and len(match.group("credit").split()) <= CREDIT_MAX_WORDS:
        return text[: match.start()].strip() or None, match.group("credit").strip()
    if not _may_end_in_agency(text):
        return text, None
    match = _TRAILING_AGENCY_RE.search(text)
    if match and match.group("agency").strip().lower() in AGENCIES:
        return text[: match.start()].strip(), match.group("credit").strip()
    return text, None


def clean_credit(credit: str | None) -> str | None:
    """A credit printed in its own element: drop its brackets, labels and ©;
    None for what is no credit (a footnote number, a duration, a date line,
    a figure number)."""
    credit = normalize_space(credit)
    if not credit:
        return None
    credit = credit.strip(" ()[]")
    credit = re.sub(r"^(?:©|\(c\)|copyright\b)\s*", "", credit, flags=re.I)
    match = _LEADING_CREDIT_LABELS_RE.match(credit) or _LEADING_BY_CREDIT_RE.match(credit)
    if match and len(credit) - match.end() >= 2:
        credit = credit[match.end():]
    else:
        match = _credit_label_search(credit)
        if match:
            credit = match.group("credit")
    credit = re.sub(r"^(?:©|\(c\)|copyright\b)\s*", "", credit, flags=re.I)
    credit = credit.strip(" ()[].;,|")
    if not any(c.isalpha() for c in credit) or _FIGURE_NUMBER_RE.match(credit):
        return None
    if _NOT_CREDIT_START_RE.match(credit) or _DURATION_RE.match(credit):
        return None
    return credit or None


# --------------------------------------------------------------------------
# Language, tags, URLs
# --------------------------------------------------------------------------

_LANG_RE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|\d{3}|[a-zA-Z]{4}))?(?:[-_].*)?$")


def normalize_language(tag: str | None) -> str | None:
    """BCP 47 form of a language tag: "en_us" -> "en-US", "DE" -> "de".

    Values that are not tags ("english", "x-default", "") give None.
    """
    tag = (tag or "").strip()
    match = _LANG_RE.match(tag)
    if not match:
        return None
    lang, region = match.group(1).lower(), match.group(2)
    if lang in {"xx", "zz"}:
        return None
    if not region:
        return lang
    if len(region) == 4:
        return f"{lang}-{region.title()}"
    return f"{lang}-{region.upper()}"


def split_tags(value: str | None) -> list[str]:
    """Keywords as one comma/semicolon separated string -> list."""
    value = normalize_space(value)
    if not value:
        return []
    return [t for t in (normalize_space(p) for p in re.split(r"\s*[,;]\s*", value)) if t]


_PLACEHOLDERS_ALL = frozenset().union(*labelrules.PLACEHOLDER_CATEGORIES.values())


def is_placeholder_category(value: str | None) -> bool:
    """A section or tag a CMS fills in when none was chosen ("Uncategorized",
    "Allgemein", "front-page"): it says nothing about the article."""
    return fold(value) in _PLACEHOLDERS_ALL


_REPEATED_PART = re.compile(r"\s+[-–|/>»]\s+")


def first_category(value: str | None) -> str | None:
    """The section of a category list a CMS printed as one string
    ("Radtouren Berlin, berlin, fahrradtour" -> "Radtouren Berlin"), its
    name once when it is printed with itself ("News - News" -> "News")."""
    value = normalize_space(value)
    if not value:
        return None
    first = next((p for p in (normalize_space(x) for x in value.split(",")) if p), None)
    if not first:
        return None
    parts = _REPEATED_PART.split(first)
    if len(parts) > 1 and len({fold(p) for p in parts}) == 1:
        return parts[0]
    return first


def is_address(value: str | None) -> bool:
    """A URL or a site path where a label's text was expected."""
    value = (value or "").strip()
    return value.startswith(("/", "http://", "https://", "www."))


_PARENTHESISED = re.compile(r"\([^()]*\)")


def _holds_list(value: str) -> bool:
    """A value that is itself a list: a semicolon, or two commas outside
    parentheses ("a, b, c"; not "Trump, Donald J" nor "Prices (Fares,
    Fees and Rates)")."""
    return ";" in value or _PARENTHESISED.sub("", value).count(",") >= 2


def split_tag_values(values: Iterable[str | None]) -> list[str]:
    """The tags of one source (``article:tag`` elements, JSON-LD
    ``keywords``): several values are one tag each, as the site gave them
    ("Trump, Donald J" is one tag), unless a value is a list itself; a
    single value is a list to split."""
    given = [v for v in (normalize_space(x) for x in values) if v]
    if len(given) == 1:
        return split_tags(given[0])
    return [t for v in given for t in (split_tags(v) if _holds_list(v) else [v])]


_TAG_LABELS_ALL = frozenset().union(*labelrules.TAG_LABELS.values())
_SITE_KEYWORDS_ALL = frozenset().union(*labelrules.SITE_KEYWORD_WORDS.values())
_KEY_VALUE = re.compile(r"^([^\W\d_][\w-]*)\s*:\s*(\S.*)$")
# An address or a path: "://about:blank", "/article", "culture/wide_angle".
_ADDRESS = re.compile(r"://|^/|^www\.|@")
# A CMS template left unfilled: "[NAME]", "{{tag}}", "%TAG%".
_PLACEHOLDER = re.compile(r"^(?:\[[^\]]*\]|\{\{.*\}\}|%\w+%)$")
# Longer than this is a sentence or a title, not a tag.
MAX_TAG_WORDS = 8


def clean_tag(value: str | None) -> str | None:
    """A tag as a reader would see it, or None for a CMS or tracking token.

    "Category: Moon" -> "Moon" (a label prefix); "Lite:true", "/article",
    "[NAME]", "channel_other", "article-payant-classique" -> None: a
    ``key:value`` token, a path or address, an unfilled placeholder, or a
    lower-case slug (an underscore, or three hyphenated words) are the
    CMS's bookkeeping. A hyphenated word ("science-fiction") stays."""
    value = normalize_space(value)
    if not value:
        return None
    match = _KEY_VALUE.match(value)
    if match:
        if match.group(1).lower() in _TAG_LABELS_ALL:
            value = match.group(2)
        elif " " not in value:
            return None
    if _ADDRESS.search(value) or _PLACEHOLDER.match(value):
        return None
    if " " not in value:
        if value == value.lower() and ("_" in value or value.count("-") >= 2 or "/" in value):
            return None
    elif len(value.split()) > MAX_TAG_WORDS:
        return None
    return value


def names_the_site(keywords: list[str]) -> bool:
    """A keyword list holding two or more words that describe a site, not
    an article ("Nachrichten", "latest news", "free"): the site's list."""
    return len({fold(k) for k in keywords} & _SITE_KEYWORDS_ALL) >= 2


def is_site_keyword_list(keywords: list[str]) -> bool:
    """A ``<meta name="keywords">`` list that is the site's, the same on
    every page: dozens of terms, or words that describe a site. (Only for
    that tag: an ``article:tag`` list of dozens of entities is the article's.)"""
    return len(keywords) > labelrules.MAX_PAGE_KEYWORDS or names_the_site(keywords)


_FILE_WORDS = re.compile(r"[^\W\d_]+")


def is_site_mark_url(url: str | None) -> bool:
    """An image URL that is the site's logo, an icon or a blank placeholder
    ("fb_logo.jpg", "favicon.png", "/i/blank.jpg", "ms-icon-310x310.png"):
    no picture of the story."""
    # String splits, not urlsplit: this runs on every image candidate.
    path = (url or "").split("?", 1)[0].split("#", 1)[0].lower()
    directories, _, name = path.rpartition("/")
    if not labelrules.NON_PICTURE_DIRECTORIES.isdisjoint(directories.split("/")):
        return True
    stem = name.rsplit(".", 1)[0]
    words = _FILE_WORDS.findall(stem)
    if not words:
        return False
    if not labelrules.NON_PICTURE_FILE_WORDS.isdisjoint(words):
        return True
    if any(a + b in labelrules.NON_PICTURE_FILE_WORDS for a, b in zip(words, words[1:])):
        return True
    # Sizes and counters ("_460x320", "-1") leave a trailing "x": skip it.
    meaningful = [w for w in words if w != "x"]
    return bool(meaningful) and meaningful[-1] == labelrules.LOGO_WORD


# Frequent short words of each language, none shared with another list here:
# their share of a text tells its language.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to is that with was for are this be have not you from by which were".split()),
    "de": frozenset("der die das und ist nicht mit sich auf ein eine dem den des für auch wird werden sind oder "
                    "wie bei nach".split()),
    "fr": frozenset("le les et est une du dans pour qui pas sur au ce elle avec sont mais".split()),
    "es": frozenset("el los las y una del por para con su más pero fue está".split()),
    "pt": frozenset("os uma dos não em na ao é foi também".split()),
    "it": frozenset("il gli di che è della delle per non sono anche nel alla".split()),
    "nl": frozenset("het van een niet op dat zijn voor ook wordt".split()),
}
# A declared language whose words make less than this share of the text,
# while another language's make at least MIN_SHARE (and twice the next),
# is a template's default ("en-US" on a German blog).
MAX_ABSENT_SHARE = 0.02
MIN_SHARE = 0.08
MIN_WORDS_FOR_LANGUAGE = 60
# The opening words are enough: the check must stay a few microseconds.
LANGUAGE_SAMPLE_WORDS = 400
# Where the opening words are looked for: more than 400 words of any prose.
LANGUAGE_SAMPLE_CHARS = 8000


def checked_language(declared: str | None, words: list[str]) -> str | None:
    """``declared`` unless the text plainly is in another language: a CMS
    theme that prints ``<html lang="en">`` on every site it serves says
    nothing. Only a declared language with a word list is checked, on the
    text's first words; the answer is then the bare language code."""
    base = (declared or "").split("-", 1)[0]
    if base not in FUNCTION_WORDS or len(words) < MIN_WORDS_FOR_LANGUAGE:
        return declared
    return _checked_sample(declared, base, [w.lower() for w in words[:LANGUAGE_SAMPLE_WORDS]])


def checked_text_language(declared: str | None, text: str | None) -> str | None:
    """``checked_language`` of the text's opening words, as the page's body
    is checked. The same answer for less work: nothing is read when the
    declared language has no word list (a third of pages), and the opening
    is lowered in one call and split only as far as the sample goes, where
    splitting 8,000 characters and lowering 400 words one by one cost more
    than the count itself."""
    base = (declared or "").split("-", 1)[0]
    if base not in FUNCTION_WORDS or not text:
        return declared
    # A lowered text splits into the lowered words: no character lowers to
    # or from white space, and the one context rule of str.lower (a final
    # sigma) looks no further than the word's own letters.
    words = text[:LANGUAGE_SAMPLE_CHARS].lower().split(None, LANGUAGE_SAMPLE_WORDS)
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return declared
    return _checked_sample(declared, base, words[:LANGUAGE_SAMPLE_WORDS])


def _checked_sample(declared: str | None, base: str, sample: list[str]) -> str | None:
    # The declared language first: on almost every page it is the text's,
    # and the other languages need not be counted (map, not a generator:
    # this runs on every page).
    if sum(map(FUNCTION_WORDS[base].__contains__, sample)) / len(sample) >= MAX_ABSENT_SHARE:
        return declared
    shares = {lang: sum(map(vocab.__contains__, sample)) / len(sample) for lang, vocab in FUNCTION_WORDS.items()}
    ranked = sorted(shares, key=shares.__getitem__, reverse=True)
    best, second = ranked[0], ranked[1]
    if shares[best] >= MIN_SHARE and shares[best] >= 2 * shares[second]:
        return best
    return declared


# --------------------------------------------------------------------------
# Authors in Chinese, Japanese and Korean bylines
# --------------------------------------------------------------------------

# Han, kana and Hangul: a byline holding one is split by the rules below.
# Patterns as strings, compiled by ``re``'s own cache on first use: a class
# of tens of thousands of characters costs milliseconds to compile, which
# every process would pay at import though most never meet such a byline.
_CJK_CHAR = r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
_KANA = r"[\u3040-\u309f\u30a1-\u30fa]"
_HANGUL = r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]"
_HAN_OR_KANA_ONLY = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]+"
_HANGUL_ONLY = r"[\uac00-\ud7af]+"
# Below the first of these (Hangul Jamo, U+1100) no character is one.
_FIRST_CJK = "\u1100"

# Labels before (or, in Korean, after) the names of those who wrote the
# article, per language; "新华社记者", "本报记者": an outlet glued to one.
CJK_AUTHOR_LABELS: dict[str, tuple[str, ...]] = {
    # Author, reporter, correspondent, special/trainee reporter, text, written by.
    "zh": ("作者", "记者", "記者", "通讯员", "通訊員", "特约记者", "实习记者", "实习生", "撰文", "撰稿", "文"),
    # Text, reporter, writer, author.
    "ja": ("文", "記者", "執筆者", "執筆", "筆者", "著者", "特派員"),
    # Text.
    "ko": ("글",),
}
# The same, written after the name ("김민준 기자"), per language.
CJK_TRAILING_AUTHOR_LABELS: dict[str, tuple[str, ...]] = {
    # Reporter, correspondent, senior reporter, guest reporter.
    "ko": ("기자", "특파원", "선임기자", "객원기자"),
}
# Labels of the editor on duty ("责任编辑：Name" closes most Chinese news
# pages), per language: the names after them (up to the next author label)
# are not the authors; only a byline naming no one else gives them, as the
# site's own author meta tag often does.
CJK_EDITOR_LABELS: dict[str, tuple[str, ...]] = {
    # Editor in charge, editor.
    "zh": ("责任编辑", "責任編輯", "责编", "責編", "编辑", "編輯"),
    # Editing.
    "ja": ("編集",),
    # Editing.
    "ko": ("편집",),
}
# Labels of people who did not write it: the names after them (up to the
# next author label) are left out.
CJK_OTHER_LABELS: dict[str, tuple[str, ...]] = {
    # Proofreading, review, supervisor, photo, picture, source, producer, planning, design.
    "zh": ("校对", "校對", "审核", "審核", "监制", "監製", "摄影", "攝影", "图", "圖", "来源", "來源", "出品",
           "策划", "制图", "美编"),
    # Photo, photography, illustration.
    "ja": ("写真", "撮影", "図", "イラスト"),
    # Photo, graphics, video, filming.
    "ko": ("사진", "그래픽", "영상", "촬영"),
}
# Written after a name, these credit the picture to it: "李晓燕 摄".
CJK_PICTURE_SUFFIXES: dict[str, tuple[str, ...]] = {"zh": ("摄", "攝")}
# A word ending in one of these names a newsroom, a bureau or an outlet, not
# a person: "新华社", "金沢支局", "연합뉴스", per language.
CJK_ORGANISATION_ENDINGS: dict[str, tuple[str, ...]] = {
    # News agency, paper, site, station, bureau, desk, centre, channel.
    "zh": ("社", "报", "報", "网", "網", "台", "站", "局", "部", "中心", "频道", "新闻", "新聞", "杂志", "公司"),
    # Bureau, head office, branch, paper, news agency, broadcaster, desk.
    "ja": ("支局", "総局", "支社", "本社", "新聞", "通信", "放送", "部", "局"),
    # Paper, daily, news, broadcaster, agency, bureau, desk.
    "ko": ("신문", "일보", "뉴스", "방송", "통신", "지국", "총국", "취재부", "뉴시스"),
}
# Words only Japanese bylines hold: a bureau ("金沢支局", "ソウル総局").
JA_BUREAU_WORDS = ("支局", "総局")
# "Our paper", "this site": the outlet speaking of itself, per language.
CJK_OWN_OUTLET: dict[str, tuple[str, ...]] = {"zh": ("本报", "本報", "本刊", "本台", "本网", "本網")}

_CJK_AUTHOR_ALL = frozenset(w for labels in (CJK_AUTHOR_LABELS, CJK_TRAILING_AUTHOR_LABELS)
                            for ws in labels.values() for w in ws)
_CJK_EDITOR_ALL = frozenset(w for ws in CJK_EDITOR_LABELS.values() for w in ws)
_CJK_OTHER_ALL = frozenset(w for ws in CJK_OTHER_LABELS.values() for w in ws) | _CJK_EDITOR_ALL
_CJK_PICTURE_ALL = frozenset(w for ws in CJK_PICTURE_SUFFIXES.values() for w in ws)
_CJK_ORG_ENDINGS = tuple(sorted({w for ws in CJK_ORGANISATION_ENDINGS.values() for w in ws}, key=len, reverse=True))
_CJK_OWN_OUTLET = frozenset(w for ws in CJK_OWN_OUTLET.values() for w in ws)
# Labels of two characters or more are found glued to a name or an outlet
# ("记者李晓燕", "新华社记者", "山本美咲記者"); one-character ones only alone.
_CJK_GLUED_LABEL = re.compile(
    "|".join(sorted((w for w in _CJK_AUTHOR_ALL | _CJK_OTHER_ALL if len(w) > 1), key=len, reverse=True))
)
# "文/图", "文・写真": text and pictures by the names that follow, one label.
_CJK_COMBINED_LABEL = re.compile(
    "(" + "|".join(sorted(_CJK_AUTHOR_ALL, key=len, reverse=True)) + r")\s*[/／・·&＆]\s*(?:"
    + "|".join(sorted(_CJK_OTHER_ALL - _CJK_EDITOR_ALL, key=len, reverse=True)) + ")"
)
# Marks between people: ideographic and full-width commas, slashes, bars.
_CJK_LIST_MARK = re.compile(r"\s*[、，,;；|｜/／•]\s*|\s+[·・]\s+")
# "ワシントン＝山本美咲", "(서울=연합뉴스)": the place before an equals sign.
_CJK_PLACE = re.compile(r"^[^=＝]*[=＝]")
_CJK_BRACKETS = re.compile(r"[(（\[【〔「]([^()（）\[\]【】〔〕「」]*)[)）\]】〕」]")
_CJK_OPENING = "(（[【〔"
_CJK_CLOSING = ")）]】〕"
# Hangul syllables in a Korean name: a surname of one or two, a given name
# of one or two.
_CJK_NAME_CHARS = (2, 4)
# Han or kana characters of a word kept as a name. A Chinese name has two to
# four, but a section or outlet glued to one ("青网校园崔宁宁", as a site's
# author meta tag prints it) cannot be cut apart surely: kept as printed,
# as the general rules did; longer is a phrase.
_CJK_WORD_MAX = 8
# One half of a Japanese name written with a space ("山本 美咲"): up to three.
_JA_NAME_PART_MAX = 3


def has_cjk(text: str) -> bool:
    """Whether a text holds Han, kana or Hangul."""
    return not text.isascii() and max(text) >= _FIRST_CJK and re.search(_CJK_CHAR, text) is not None


def cjk_language(text: str, language: str | None) -> str:
    """Which splitting rules a CJK byline follows: "ko" for Hangul, "ja" when
    kana are there, else the page's declared language among zh, ja and ko,
    else "zh" (a name of Han characters only, no language declared)."""
    if re.search(_HANGUL, text):
        return "ko"
    if re.search(_KANA, text) or any(word in text for word in JA_BUREAU_WORDS):
        return "ja"
    base = (language or "").split("-")[0].lower()
    return base if base in ("ja", "ko") else "zh"


@lru_cache(maxsize=1024)
def split_cjk_authors(text: str, keys: frozenset[str], language: str) -> tuple[str, ...]:
    """Person names in a Chinese, Japanese or Korean byline.

    Chinese and Korean write a name without a space, so a space separates
    two people ("作者：李晓燕 王浩"); Japanese often writes one between the
    family and the given name ("山本 美咲"), so "、" separates people and a
    space does not. Labels say whose names follow (``CJK_AUTHOR_LABELS``,
    ``CJK_OTHER_LABELS``); newsrooms, bureaus and outlets are no people.
    Runs of Latin-script words go to the general rules."""
    text = normalize_space(URL_IN_TEXT.sub(" ", _EMAIL.sub(" ", text))) or ""
    # "（金沢支局　山本 美咲、…）", "（记者 张明）": the whole byline in brackets.
    while (len(text) > 2 and text[0] in _CJK_OPENING and text[-1] in _CJK_CLOSING
           and not any(c in _CJK_OPENING or c in _CJK_CLOSING for c in text[1:-1])):
        text = text[1:-1].strip()
    text = _CJK_BRACKETS.sub(_cjk_bracket, text)
    text = _CJK_COMBINED_LABEL.sub(r"\1 ", text)
    # Names by whom they credit: the authors, the editor on duty, others.
    credited: dict[str, list[str]] = {"author": [], "editor": [], "other": []}
    role = "author"
    for segment in _CJK_LIST_MARK.split(text):
        words: list[str] = []
        for word in re.split(r"[\s:：]+", segment):
            for part in _cjk_parts(_CJK_PLACE.sub("", word), language):
                label = ("author" if part in _CJK_AUTHOR_ALL else "editor" if part in _CJK_EDITOR_ALL
                         else "other" if part in _CJK_OTHER_ALL else None)
                if label:
                    # A label ends the names before it, which the label
                    # before them credited; a Korean author label follows
                    # the names it credits ("김민준 기자").
                    credited["author" if label == "author" and language == "ko" else role].extend(
                        _cjk_names(words, keys, language))
                    words, role = [], label
                elif part in _CJK_PICTURE_ALL:
                    words = []
                elif part:
                    words.append(part)
        credited[role].extend(_cjk_names(words, keys, language))
    return tuple(dedupe(credited["author"] or credited["editor"]))


def _cjk_bracket(match: re.Match[str]) -> str:
    """A bracket inside a CJK byline: its names when a label says whose they
    are ("（记者 张明）（责任编辑：刘强）"), else nothing ("(서울=연합뉴스)",
    "（实习）")."""
    inner = match.group(1)
    words = re.split(r"[\s:：/／]+", inner)
    labelled = _CJK_GLUED_LABEL.search(inner) or any(w in _CJK_AUTHOR_ALL or w in _CJK_OTHER_ALL for w in words)
    return f"、{inner}、" if labelled else " "


def _cjk_parts(word: str, language: str) -> list[str]:
    """A word with a label glued to it cut apart ("记者李晓燕" -> ["记者",
    "李晓燕"], "김민준기자" -> ["김민준", "기자"]); an outlet before the label
    ("新华社记者") is left out. Korean sets a dot between two names
    ("김민준·이서연 기자"); Chinese and Japanese between a foreign name's parts."""
    if language == "ko" and ("·" in word or "・" in word):
        return [p for piece in re.split(r"[·・]", word) for p in _cjk_parts(piece, language)]
    if not word or word in _CJK_AUTHOR_ALL or word in _CJK_OTHER_ALL:
        return [word]
    match = _CJK_GLUED_LABEL.search(word)
    if match is None:
        return [word]
    before, after = word[: match.start()], word[match.end() :]
    if before in _CJK_OWN_OUTLET or before.endswith(_CJK_ORG_ENDINGS):
        before = ""
    return [p for p in (before, match.group(0), *_cjk_parts(after, language)) if p]


def _cjk_names(words: list[str], keys: frozenset[str], language: str) -> list[str]:
    """The people among one segment's words, by the language's rule for spaces."""
    names: list[str] = []
    latin: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if not has_cjk(word):
            latin.append(word)
            i += 1
            continue
        if latin:
            names.extend(_split_authors(" ".join(latin), keys))
            latin = []
        following = words[i + 1] if i + 1 < len(words) else ""
        if (
            language == "ja"
            and len(word) <= _JA_NAME_PART_MAX
            and 0 < len(following) <= _JA_NAME_PART_MAX
            and _is_cjk_name_word(word, part=True)
            and _is_cjk_name_word(following, part=True)
        ):
            names.append(f"{word} {following}")
            i += 2
            continue
        if _is_cjk_name_word(word, part=False) and fold(word) not in keys:
            names.append(word)
        i += 1
    if latin:
        names.extend(_split_authors(" ".join(latin), keys))
    return names


def _is_cjk_name_word(word: str, *, part: bool) -> bool:
    """A word that may be a person's name (or, ``part``, half of a Japanese
    one): Han or kana, or Hangul of a name's length; no outlet."""
    if word in _CJK_OWN_OUTLET or word in _CJK_AUTHOR_ALL or word in _CJK_OTHER_ALL or fold(word) in AGENCIES:
        return False
    if len(word) >= 3 and word.endswith(_CJK_ORG_ENDINGS):
        return False
    if re.fullmatch(_HANGUL_ONLY, word):
        return _CJK_NAME_CHARS[0] <= len(word) <= _CJK_NAME_CHARS[1]
    # "迪丽热巴·迪力木拉提", "ジョン・スミス": a transliterated name, dotted.
    if "·" in word or "・" in word:
        pieces = re.split(r"[·・]", word)
        return all(p and re.fullmatch(_HAN_OR_KANA_ONLY, p) for p in pieces)
    if not re.fullmatch(_HAN_OR_KANA_ONLY, word):
        return False
    return part or 2 <= len(word) <= _CJK_WORD_MAX
