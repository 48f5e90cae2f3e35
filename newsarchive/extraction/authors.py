"""Authors of an article: who wrote it, as person names only.

``choose_authors`` weighs the page's structured data (JSON-LD ``author``,
author meta tags, microdata) against its visible byline markup, unmarked
"By ..." lines and a labelled byline paragraph under the headline;
``split_authors`` (``processors.split_authors`` plus co-authors in
parentheses and desk signs) turns each candidate string into names.
Never the site, "Staff", a date, a role or an agency (the issue's rule),
and several authors are always split.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from newsarchive.extraction.boilerplate import heads_other_content
from newsarchive.extraction.processors import (
    AGENCIES,
    AUTHOR_CONJUNCTION_WORDS,
    NAME_PARTICLES,
    dedupe,
    fold,
    has_byline_label,
    is_person_name,
    is_role_word,
    site_name_keys,
    strip_byline_prefix,
    title_parts,
    without_name_suffix,
)
from newsarchive.extraction.processors import split_authors as split_byline
from newsarchive.extraction.structured import (
    ORGANISATION_TYPES,
    StructuredData,
    json_text,
    microdata_value,
    schema_types,
)
from newsarchive.extraction.visible import (
    BYLINE_LABEL_START,
    MEMBER_PAGE,
    VisiblePage,
    element_text,
    in_foreign_region,
)

# Meta keys naming the author, most trusted first.
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
               "dcterms.creator", "byl", "citation_author", "cxenseparse:author", "article.author",
               "og:article:author", "author_name", "authors", "shareaholic:article_author_name")
# Meta keys of library and journal pages, whose authors carry degrees.
SCHOLARLY_AUTHOR_META = frozenset({"dc.creator", "dcterms.creator", "citation_author"})

# Co-authors in parentheses after the first author, joined by a word that
# joins authors (processors.AUTHOR_CONJUNCTIONS, per language): "Jane Doe
# (with John Roe)", "Martin X (avec Damien Y et Morgane Z)". Without this the
# parenthesis is dropped whole, as for "(AP)".
_JOINING_WORDS = "|".join(map(re.escape, sorted(AUTHOR_CONJUNCTION_WORDS, key=len, reverse=True)))
_CO_AUTHORS = re.compile(rf"\(\s*(?:{_JOINING_WORDS})\s+([^()]+)\)", re.I)

# Signs of the desk or the editor printed where a byline would be: the
# newsroom, not a person. Per language: de "red" / "red." (Redaktion).
DESK_SIGNS: dict[str, frozenset[str]] = {
    "de": frozenset({"red"}),
}
_DESK_SIGNS_ALL = frozenset().union(*DESK_SIGNS.values())
# An editor's initials glued to an agency: "det/dpa", "ls / AFP" (an
# abbreviation of the person, the agency's text; neither is a name).
_INITIALS_BEFORE_AGENCY = re.compile(r"(?<![\w./])([^\W\d_A-Z]{2,4})\s?/\s?([\w. -]{2,30})")


def split_authors(
    text: str | None, site_names: Iterable[str | None] = (), language: str | None = None
) -> list[str]:
    """``processors.split_authors`` (person names in a byline string), with
    co-authors in parentheses kept ("Jane Doe (with John Roe)") and desk
    signs left out ("red", "det/dpa"). ``language``: the page's, see there."""
    if not text:
        return []
    if "(" in text:
        def co_authors(match: re.Match[str]) -> str:
            # Only names: "(con información de EFE)" is a source note, dropped
            # whole as before.
            inner = split_byline(match.group(1), site_names, language)
            named = inner and all(w[:1].isupper() or w in NAME_PARTICLES for n in inner for w in n.split())
            return f", {match.group(1)}" if named else " "

        text = _CO_AUTHORS.sub(co_authors, text)
    names = split_byline(text, site_names, language)
    if not names:
        return names
    signs = {fold(m.group(1)) for m in _INITIALS_BEFORE_AGENCY.finditer(text) if fold(m.group(2)) in AGENCIES} \
        if "/" in text else set()
    return [n for n in names if fold(n) not in _DESK_SIGNS_ALL and (not signs or fold(n) not in signs)]


_ITEMPROP_NAME = etree.XPath(".//*[@itemprop='name']")
# Two to four capital letters: a person's initials when they link to the
# person's page.
_INITIALS = re.compile(r"^[^\W\d_a-z]{2,4}$")


def _own_property(prop: etree._Element, item: etree._Element) -> bool:
    """Whether a microdata property belongs to ``item`` itself, not to an
    item nested in it (a Person's ``worksFor`` Organization and its name)."""
    for node in prop.iterancestors():
        if node is item:
            return True
        if node.get("itemscope") is not None:
            return False
    return False


def _person_names(value: Any, site_names: list[str], language: str | None = None) -> list[str]:
    """Person names in a JSON-LD author value; organisations are skipped."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            out.extend(split_authors(item, site_names, language))
        elif isinstance(item, dict):
            types = schema_types(item)
            if any(t in ORGANISATION_TYPES for t in types) and "Person" not in types:
                continue
            raw_name = item.get("name")
            if isinstance(raw_name, list) and len(raw_name) > 1:
                # {"@type": "Person", "name": ["Jane Doe", "John Roe"]}: a CMS
                # that fills one Person with every author; json_text keeps
                # only the first.
                for each in raw_name:
                    text = json_text(each)
                    if text:
                        out.extend(split_authors(text, () if "Person" in types else site_names, language))
                continue
            name = json_text(raw_name)
            if not name and (item.get("givenName") or item.get("familyName")):
                name = " ".join(filter(None, [json_text(item.get("givenName")), json_text(item.get("familyName"))]))
            if name and " " not in name.strip():
                name = _full_name(name.strip(), json_text(item.get("description")))
            if name:
                # A declared Person named like the site runs a personal site:
                # still a person. Untyped names must not be the site's.
                out.extend(split_authors(name, () if "Person" in types else site_names, language))
    return out


def _full_name(name: str, description: str | None) -> str:
    """A Person declared by first name or login ("Nils") whose bio starts
    with the full name ("Nils Pickert ist freier Autor…"): the full name."""
    if not description or not description.startswith(name + " "):
        return name
    words = [name]
    for word in description[len(name) :].split()[:3]:
        bare = word.rstrip(",;:.")
        if not _SURNAME_WORD.match(bare) or is_role_word(bare):
            break
        words.append(bare)
        if bare != word:  # "Nils Pickert, freier Autor": the comma ends the name
            break
    return " ".join(words)


# A capitalised name word in running text ("Pickert", "O'Neill", "Müller-Lang").
_SURNAME_WORD = re.compile(r"^[^\W\d_a-z][^\W\d_]+(?:['’-][^\W\d_]+)*$")


def _names_site(folded: str, keys: frozenset[str]) -> bool:
    """A folded name that is the site's: "el colombiano" for "elcolombiano.com"."""
    return folded in keys or folded.replace(" ", "") in keys


def _url_like(value: str) -> bool:
    return value.startswith(("http://", "https://", "//", "/")) or "www." in value


# Byline kinds by trust: "byline" markup first, then author classes and
# links to author pages in document order.
_STRICT_KINDS = (frozenset({"byline"}),)
_ALL_KINDS = (frozenset({"byline"}), frozenset({"class", "link"}))


def _cut_by_markup(spaced: str, printed: str) -> bool:
    """Whether the spaced text of an element differs from its printed text
    only by spaces put between inline elements inside a word."""
    return printed != spaced and len(printed) < len(spaced) and printed.replace(" ", "") == spaced.replace(" ", "")


def _visible_names(bylines: list[tuple[str, str, str]], site_names: list[str], *, strict: bool,
                   language: str | None = None) -> tuple[list[str], str | None]:
    """Names in byline markup: every rel=author link, else the first "byline"
    element, else (unless ``strict``) the first element with an author class."""
    rel_names: list[str] = []
    rel_printed: list[str] = []
    for kind, text, printed in bylines:
        if kind == "rel":
            found = split_authors(text, site_names, language)
            if found:
                rel_names.extend(found)
                rel_printed.append(printed)
    if rel_names:
        return dedupe(rel_names), ", ".join(rel_printed)
    groups = _STRICT_KINDS if strict else _ALL_KINDS
    keys = site_name_keys(site_names)
    for wanted in groups:
        after_source = False
        for kind, text, printed in bylines:
            if kind in wanted:
                found = split_authors(text, site_names, language)
                if not found and _cut_by_markup(text, printed):
                    # A word the markup cut ("Will Knigh<span>t</span>"): as printed.
                    found = split_authors(printed, site_names, language)
                if found and after_source and all(" " not in n for n in found):
                    # "<a>Reuters,</a> <span>Washington,</span>": the byline's
                    # place after the agency or the site, in an element of
                    # its own (split_authors skips it within one string).
                    continue
                if found:
                    return found, printed
                folded = fold(text)
                after_source = folded in AGENCIES or _names_site(folded, keys)
    return [], None


def choose_authors(
    data: StructuredData, page: VisiblePage, site_names: list[str], language: str | None = None
) -> tuple[list[str], str | None]:
    """(authors, byline as printed). ``language``: the page's declared
    language, for bylines in Han characters (see ``processors.split_authors``).

    Structured data first; but when the byline markup next to the headline
    names other people than the structured data, the page wins: CMSs often
    declare the account that posted the article as its author.
    """
    names, byline = _choose_authors(data, page, site_names, language)
    lede, lede_printed = _lede_byline(page, site_names, language)
    if lede and not {fold(n) for n in lede} & {fold(n) for n in names}:
        # The article's own text says who wrote it ("Ein Beitrag von Jane
        # Doe" as its own paragraph under the headline): the structured
        # data, the author link or the "submitted by" line name the account
        # that posted it.
        names, byline = lede, lede_printed
    if any(_LOGIN_NAME.match(n) for n in names):
        names = [_printed_name(n, page) if _LOGIN_NAME.match(n) else n for n in names]
    return names, byline


# A CMS login made of the person's names in lower case: "christian.stadtfeld",
# "jane_doe" ("Isabella.DiBiase" is already written as the person wants it).
_LOGIN_NAME = re.compile(r"^([^\W\d_A-Z]{2,})[._]([^\W\d_A-Z]{2,})$")
_TEXTS_WITH = etree.XPath("//body//text()[contains(., $word)]")


def _printed_name(login: str, page: VisiblePage) -> str:
    """The name a login stands for as the page prints it ("christian.stadtfeld"
    -> "Christian P. Stadtfeld", from a caption or a signature), else the
    login as declared."""
    match = _LOGIN_NAME.match(login)
    if match is None:
        return login
    first, last = match.group(1), match.group(2)
    printed = re.compile(
        rf"\b{re.escape(first.title())}(?:\s+[^\W\d_]\.)*\s+{re.escape(last.title())}\b"
    )
    for text in _TEXTS_WITH(page.doc, word=last.title())[:20]:
        parent = text.getparent()
        if parent is not None and parent.tag in {"script", "style", "title"}:
            continue
        found = printed.search(text)
        if found:
            return found.group(0)
    return login


Found = tuple[list[str], "str | None"]
"""(authors, the byline as printed)."""


@dataclass
class _Evidence:
    """What the page shows about its authors next to the headline, read once
    for every step of ``_choose_authors``."""

    page: VisiblePage
    site_names: list[str]
    keys: frozenset[str]
    near: list[tuple[str, str, str]]
    """Byline markup next to the headline: (kind, text, as printed)."""
    shown: list[str]
    """The names that markup shows, read strictly."""
    shown_printed: str | None
    byline: str | None
    """The byline as printed next to the headline, if any."""
    credit: str | None = None
    """An agency credited where a byline would be ("By AFP"), met on the way."""
    language: str | None = None
    """The page's declared language."""

    @classmethod
    def read(cls, page: VisiblePage, site_names: list[str], language: str | None = None) -> _Evidence:
        near = page.bylines(region_only=True)
        shown, shown_printed = _visible_names(near, site_names, strict=True, language=language)
        byline = shown_printed or next((printed for _k, _t, printed in near), None)
        return cls(page, site_names, site_name_keys(site_names), near, shown, shown_printed, byline,
                   language=language)

    def split(self, text: str | None, site_names: Iterable[str | None] | None = None) -> list[str]:
        """``split_authors`` with the site's names and the page's language."""
        return split_authors(text, self.site_names if site_names is None else site_names, self.language)

    def names_in(self, bylines: list[tuple[str, str, str]]) -> Found:
        return _visible_names(bylines, self.site_names, strict=False, language=self.language)

    def printed_for(self, names: list[str], fallback: str | None) -> str | None:
        """The element that prints every name, as printed ("A,B,C").

        Of several byline boxes the shortest: a "byline-block" around the
        byline also holds its date and comment count. (Author links and
        rel=author name one person without the byline's label.)
        """
        wanted = {fold(n) for n in names}
        printing = [(kind, printed) for kind, text, printed in self.near
                    if wanted <= {fold(n) for n in self.split(text)}]
        if not printing:
            return fallback
        boxes = [printed for kind, printed in printing if kind in {"byline", "class"}]
        return min(boxes, key=len) if boxes else printing[0][1]


def _has_role(text: str | None) -> bool:
    return bool(text) and any(is_role_word(w) for w in text.replace(",", " ").split())


def _choose_authors(
    data: StructuredData, page: VisiblePage, site_names: list[str], language: str | None = None
) -> Found:
    evidence = _Evidence.read(page, site_names, language)
    found = _declared_authors(data, evidence)
    if found is not None:
        return found
    for step in _PAGE_STEPS:
        found = step(data, evidence)
        if found is not None:
            return found
    # "By AFP" as the only byline, or an agency as the declared author: the
    # article is credited, but to no person.
    byline = evidence.byline
    return [], agency_credit(byline) or byline or evidence.credit or _declared_agency(data)


def _declared_authors(data: StructuredData, evidence: _Evidence) -> Found | None:
    """The structured data's authors (JSON-LD, author meta tags, microdata),
    weighed against the page by ``_settle``; None when it declares none."""
    site_names = evidence.site_names
    meta_names: list[str] = []
    meta_values: list[str] = []
    for key in AUTHOR_META:
        meta_values = [v for v in data.all_meta(key) if not _url_like(v)]
        meta_names = dedupe(n for v in meta_values for n in evidence.split(v))
        if meta_names:
            break
    if data.main is not None:
        # A name declared twice (a microdata byline and an author box) is one.
        names = dedupe(_person_names(data.resolve(data.main.get("author") or data.main.get("creator")), site_names,
                                     evidence.language))
        if names:
            # JSON-LD often names only the first of several authors the
            # author meta tag lists.
            if {fold(n) for n in names} < {fold(n) for n in meta_names}:
                names = meta_names
            return _settle(evidence, names, ", ".join(names))
    if meta_names:
        return _settle(evidence, meta_names, ", ".join(meta_values), scholarly=key in SCHOLARLY_AUTHOR_META)
    for el in data.microdata.get("author", []) + data.microdata.get("creator", []):
        # Every name the property holds: a template's one author property
        # may print the whole byline ("Door <name> en <name>").
        name_els = [n for n in _ITEMPROP_NAME(el) if _own_property(n, el)]
        text = (", ".join(v for v in (microdata_value(n) for n in name_els) if v) if name_els
                else element_text(el, spaced=True))
        names = evidence.split(text) if text and not _url_like(text) else []
        if names:
            return _settle(evidence, names, text)
    return None


def _settle(evidence: _Evidence, names: list[str], printed: str | None, *,
            scholarly: bool = False) -> Found:
    """Declared ``names``, or the page's when its byline markup says otherwise."""
    page, site_names, keys, near, shown = (evidence.page, evidence.site_names, evidence.keys,
                                           evidence.near, evidence.shown)
    declared = {fold(n) for n in names}
    visible = {fold(n) for n in shown}
    # The byline names other people, or the same and more in a plain list
    # of names (no job titles whose commas would split "name, title, unit"):
    # the page wins.
    if shown and not declared & visible:
        return shown, evidence.printed_for(shown, evidence.shown_printed)
    # Whether the page prints a declared name next to the headline (a
    # folded substring test: splitting every neighbour costs more).
    confirmed = any(f" {name} " in f" {fold(text)} " for name in declared for _k, text, _p in near)
    # An author-classed line next to the headline that says it is a
    # byline ("Text & Fotos: Jane Doe", "Von Jane Doe") counts as byline
    # markup, unless a declared name is printed there too (the labelled
    # line is then a teaser's or a recipe card's).
    labelled = [] if confirmed else [b for b in near if b[0] in {"class", "link"} and has_byline_label(b[1])]
    if labelled:
        found, found_printed = evidence.names_in(labelled)
        if found:
            return found, found_printed
    listed, listed_printed = evidence.names_in(near)
    if declared < {fold(n) for n in listed} and not _has_role(listed_printed):
        return listed, evidence.printed_for(listed, listed_printed)
    if all(_names_site(n, keys) for n in declared):
        # A "Person" named like the site: a short byline next to the
        # headline (else in the article) that names someone else is the
        # better evidence.
        others, others_printed = listed, listed_printed
        if not others:
            others, others_printed = evidence.names_in(page.bylines())
        if others and len(others) <= 3 and not all(_names_site(fold(n), keys) for n in others):
            return others, others_printed
    # A link to an author page in the article naming someone else: the
    # page shows who wrote it, the structured data the posting account
    # (not looked for when the byline next to the headline confirms it).
    linked = [] if confirmed else dedupe(n for text in page.author_links() for n in evidence.split(text))
    if linked and not declared & {fold(n) for n in linked} and not all(_names_site(fold(n), keys) for n in linked):
        return linked, evidence.printed_for(linked, ", ".join(linked))
    # The same people printed next to the headline with their degrees
    # ("Jane Doe, PhD"): the names as printed. Without byline markup next
    # to the headline, the page's first byline markup, for names declared
    # in Dublin Core or citation meta tags: journals print their author
    # list a few blocks below the title (not searched on every page: the
    # page-wide byline search costs a tenth of a millisecond).
    if any("," in text for _k, text, _p in near):
        if {fold(n) for n in listed} != declared and {fold(without_name_suffix(n)) for n in listed} == declared:
            return listed, evidence.printed_for(listed, listed_printed)
    elif not near and scholarly:
        found, found_printed = evidence.names_in(page.bylines())
        if found and {fold(n) for n in found} != declared and {fold(without_name_suffix(n)) for n in found} == declared:
            return found, found_printed
    return names, evidence.printed_for(names, evidence.byline or printed)


# --- The page's own evidence, when the structured data declares no author.
# Each step answers (authors, as printed) or None; the first that answers wins.

def _shown_near_headline(data: StructuredData, evidence: _Evidence) -> Found | None:
    if evidence.shown:
        return evidence.shown, evidence.printed_for(evidence.shown, evidence.shown_printed)
    return None


def _labelled_after_headline(data: StructuredData, evidence: _Evidence) -> Found | None:
    # "Por Jane Doe | 03/05/2022" as the first line under the headline, with
    # no byline markup next to it: surer than an author-classed element
    # elsewhere on the page (a footer's address, a sidebar's profile).
    text = evidence.page.byline_after_headline()
    if text and BYLINE_LABEL_START.match(text + " "):
        names = evidence.split(text)
        if names:
            # Byline markup elsewhere naming some of these people marks who
            # wrote it ("by Jane Doe (reporting) and John Roe (photography)").
            marked, marked_printed = evidence.names_in(evidence.page.bylines())
            if marked and {fold(n) for n in marked} <= {fold(n) for n in names}:
                return marked, marked_printed
            return names, text
    return None


def _byline_markup(data: StructuredData, evidence: _Evidence) -> Found | None:
    names, printed = evidence.names_in(evidence.page.bylines())
    return (names, printed) if names else None


def _lenient_near_headline(data: StructuredData, evidence: _Evidence) -> Found | None:
    # An author-class element next to a headline that sits in a container
    # classed like a sidebar (found only by the lenient neighbour search).
    names, printed = evidence.names_in(evidence.near)
    return (names, printed) if names else None


def _unmarked_bylines(data: StructuredData, evidence: _Evidence) -> Found | None:
    page = evidence.page
    for text in [page.byline_after_headline(), *page.label_bylines()]:
        names = evidence.split(text) if text else []
        if names:
            return names, text
        evidence.credit = evidence.credit or agency_credit(text)
    return None


def _first_splitting(texts: Iterable[str], evidence: _Evidence) -> Found | None:
    for text in texts:
        names = evidence.split(text)
        if names:
            return names, text
    return None


def _signed_lines(data: StructuredData, evidence: _Evidence) -> Found | None:
    return _first_splitting(evidence.page.signed_lines(), evidence)


def _member_link_near_headline(data: StructuredData, evidence: _Evidence) -> Found | None:
    # A link to the member's page next to the headline (forums, recipe and
    # deal sites): the login as printed; initials ("LD") are a person here,
    # not a desk code, since they link to that person's page.
    for text, href in evidence.page.profile_links_near_headline():
        names = evidence.split(text) or (
            [text] if _INITIALS.match(text) or _login_of(text, href) else [])
        if names:
            return names, text
    return None


def _other_jsonld_objects(data: StructuredData, evidence: _Evidence) -> Found | None:
    # Authors declared on other JSON-LD objects (the WebPage, a teaser list).
    for obj in data.jsonld:
        if obj is data.main:
            continue
        names = _person_names(data.resolve(obj.get("author")), evidence.site_names, evidence.language)
        if names:
            return names, evidence.byline or ", ".join(names)
    return None


def _submitted_lines(data: StructuredData, evidence: _Evidence) -> Found | None:
    return _first_splitting(evidence.page.submitted_lines(), evidence)


def _author_boxes(data: StructuredData, evidence: _Evidence) -> Found | None:
    return _first_splitting(evidence.page.author_box_names(), evidence)


def _labelled_member_link(data: StructuredData, evidence: _Evidence) -> Found | None:
    for text, printed in _labelled_member_links(evidence.page):
        names = evidence.split(text) or ([text] if _login_like(text) else [])
        if names:
            return names, printed
    return None


def _site_named_after_owner(data: StructuredData, evidence: _Evidence) -> Found | None:
    # A personal site named after its owner ("Jane Doe", og:site_name "Jane
    # Doe"): an author field that names the site is the owner, when nothing
    # else names anyone and the name reads as a person's.
    declared = [v for key in AUTHOR_META for v in data.all_meta(key) if not _url_like(v)]
    declared += [microdata_value(el) or "" for el in data.microdata.get("author", [])]
    for value in declared:
        # The site's name itself, not one that holds it among other words
        # ("EFC Bayrische Bembel" on bayrische-bembel.de is a club).
        if not value or not _names_site(fold(value), evidence.keys) or evidence.split(value):
            continue
        names = [n for n in evidence.split(value, ()) if _person_like(n)]
        if names:
            return names, value
    return None


def _site_title_names_owner(data: StructuredData, evidence: _Evidence) -> Found | None:
    # A personal site whose name says whose it is ("Jane Doe's Blog" in the
    # <title> or og:site_name), when nothing else names anyone.
    for part in _title_parts(evidence.page.title, data.site_names):
        match = _OWNER_SITE.fullmatch(part)
        name = next((g for g in match.groups() if g), None) if match else None
        if name and _person_like(name):
            return [name], part
    return None


def _social_handle(data: StructuredData, evidence: _Evidence) -> Found | None:
    # The page's declared social account spells a person's name
    # ("@JaneDoe") that the page prints on its own (a personal blog's
    # header names its owner), when nothing else names anyone.
    for handle in data.all_meta("twitter:creator")[:1]:
        name = _handle_name(handle)
        if (name and _person_like(name) and not _names_site(fold(name), evidence.keys)
                and _printed_alone(name, evidence.page)):
            return [name], handle
    return None


_PAGE_STEPS: tuple[Callable[[StructuredData, _Evidence], Found | None], ...] = (
    _shown_near_headline,
    _labelled_after_headline,
    _byline_markup,
    _lenient_near_headline,
    _unmarked_bylines,
    _signed_lines,
    _member_link_near_headline,
    _other_jsonld_objects,
    _submitted_lines,
    _author_boxes,
    _labelled_member_link,
    _site_named_after_owner,
    _site_title_names_owner,
    _social_handle,
)
"""The page's evidence in the order it is trusted (README, "How each field is found")."""


def _declared_agency(data: StructuredData) -> str | None:
    """The agency the structured data names as the author ("author": "AFP", an
    Organization named "dpa", a microdata author "Reuters"), else None."""
    author = (data.main.get("author") or data.main.get("creator")) if data.main is not None else None
    items = data.resolve(author)
    values = [item if isinstance(item, str) else json_text(item.get("name")) if isinstance(item, dict) else None
              for item in (items if isinstance(items, list) else [items])]
    values += [microdata_value(el) for el in data.microdata.get("author", [])]
    return next((credit for value in values if (credit := agency_credit(value))), None)


# A link to a member's page, by the path words forum and community software
# gives them: "/user/jane", "/profile/jane.html", "/members/jane.12/",
# "userinfo.php?uid=6", "member.php?u=6", "memberlist.php?...".
# The words start a path segment, per language.
MEMBER_PATH_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("user", "member", "profile"),
    "de": ("benutzer", "mitglied"),
}
_MEMBER_LINK = re.compile(
    r"/(?:" + "|".join(w for ws in MEMBER_PATH_WORDS.values() for w in ws) + r")\w*(?:[/?.=_-]|$)", re.I)
# Links looked at: the byline of a post sits near its top. (An XPath
# filtering the addresses in libxml2 cost fifteen times as much as this walk.)
_MEMBER_LINK_LIMIT = 1500


def _labelled_member_links(page: VisiblePage) -> list[tuple[str, str]]:
    """(name, byline as printed) of links to a member's page whose text is
    preceded by nothing but a byline label: "Geschrieben von <a
    href="/userinfo.php?uid=6">Cooper</a>", "by <a href="/profile/jane">Jane
    Doe</a>", the byline of community and news software that marks it up
    in no other way. Outside comments, related lists and sidebars. A last
    resort: it looks at every link of the page."""
    out: list[tuple[str, str]] = []
    # Within the headline's <article> when there is one (its byline is there).
    root = page.article_root()
    for _i, link in zip(range(_MEMBER_LINK_LIMIT), (page.doc if root is None else root).iter("a")):
        href = link.get("href")
        if not href or not _MEMBER_LINK.search(href):
            continue
        previous = link.getprevious()
        before = (previous.tail if previous is not None else link.getparent().text) or ""
        before = before.strip()
        # The text before the link is a label and nothing else ("von",
        # "Posted by"), not a sentence that ends with "by".
        if not before or len(before) > 40 or strip_byline_prefix(before):
            continue
        text = element_text(link)
        if not text or len(text) > 60 or in_foreign_region(link):
            continue
        out.append((text, f"{before} {text}"))
        if len(out) >= 2:
            break
    return out


def _login_like(text: str) -> bool:
    """A member's login as printed ("Cooper", "jane77"): one word of
    letters and digits, not a role or an account that stands for no one."""
    return (
        " " not in text and text[:1].isalpha() and text.replace("_", "").replace("-", "").isalnum()
        and text.lower() not in NOT_LOGINS and not is_role_word(text) and fold(text) not in AGENCIES
    )


# "@JaneDoe", "@jane_doe_": the words of a social account's handle.
_HANDLE_WORDS = re.compile(r"[A-Z][a-z]+")


def _handle_name(handle: str) -> str | None:
    handle = handle.strip().lstrip("@")
    if not handle.isascii() or not handle.replace("_", "").isalnum():
        return None
    words = _HANDLE_WORDS.findall(handle)
    # The capitalised words must make up the whole handle: "JaneDoe", not
    # "Jane2020" or "JDoeNews".
    if len(words) < 2 or "".join(words) != handle.replace("_", ""):
        return None
    return " ".join(words)


def _printed_alone(name: str, page: VisiblePage) -> bool:
    """Whether the page prints ``name`` as a text of its own (a header's
    tagline, a signature), outside scripts and the <title>."""
    last = name.split()[-1]
    for text in _TEXTS_WITH(page.doc, word=last)[:20]:
        parent = text.getparent()
        if parent is None or parent.tag in {"script", "style", "title"}:
            continue
        if fold(text) == fold(name):
            return True
    return False


# Accounts that stand for no one.
NOT_LOGINS: frozenset[str] = frozenset({"admin", "administrator", "webmaster", "root", "guest", "gast", "anonymous"})


def _login_of(text: str, href: str) -> bool:
    """Whether a member link's text is the member's login, as its address
    spells it ("Catch more fish" -> "/members/catch-more-fish.2107/"): a
    login in lower-case words, which reads like no person's name, is then
    the poster's. Member pages only: an author page is a newsroom's, where
    desks and the site itself have pages too."""
    words = re.findall(r"\w+", text.lower())
    if not words or len(text) > 40 or not MEMBER_PAGE.search(href):
        return False
    if is_role_word(text) or fold(text) in AGENCIES or text.lower() in NOT_LOGINS:
        return False
    path = href.lower()
    return "-".join(words) in path or "_".join(words) in path or (len(words) > 1 and "".join(words) in path)


# How a personal site's name names its owner, per language.
OWNER_SITE_NAMES: dict[str, str] = {
    "en": r"(.+?)(?:['’]s|(?<=s)['’]) (?:blog|weblog|digital home|home ?page|website|web site|site|journal|notebook|notes)",
    "de": r"(?:das )?blog von (.+)",
    "fr": r"le blog de (.+)",
    "es": r"el blog de (.+)",
}
_OWNER_SITE = re.compile("|".join(f"(?:{p})" for p in OWNER_SITE_NAMES.values()), re.I)


def _title_parts(title: str | None, site_names: list[str]) -> list[str]:
    return [p for p in [*site_names, *title_parts(title)] if p and len(p) <= 60]


# A paragraph right after the headline that is a labelled byline, per
# language: the label, then the names. Interview labels name the interviewer;
# the person after "mit"/"with" is the one interviewed.
LEDE_BYLINE_LABELS: dict[str, tuple[str, ...]] = {
    "de": ("ein beitrag von", "ein gastbeitrag von", "blog beitrag von", "blogbeitrag von",
           "ein kommentar von", "ein bericht von", "ein interview von", "ein text von",
           "eine kolumne von", "eine glosse von", "von"),
    "en": ("a guest post by", "a post by", "an interview by", "a report by", "a column by", "by"),
    "fr": ("un article de", "une tribune de", "un entretien de", "une chronique de", "par"),
    "es": ("un artículo de", "una entrevista de", "una columna de", "por"),
}
_LEDE_LABEL = re.compile(
    r"^\s*(" + "|".join(re.escape(label) for label in sorted(
        {label for labels in LEDE_BYLINE_LABELS.values() for label in labels}, key=len, reverse=True))
    + r")\s+(?=[^\W\d_])",
    re.I,
)
_LEDE_LABEL_START = re.compile(_LEDE_LABEL.pattern.replace(r"\s+(?=[^\W\d_])", r"\b"), re.I)
_INTERVIEW_LABEL = re.compile(r"interview|entretien|entrevista", re.I)
_INTERVIEWEE = re.compile(r"\s(?:mit|with|avec|con)\s.*$", re.I)
# XPath's white space (normalize-space), not Python's.
_XML_BLANKS = re.compile(r"[ \t\r\n]+")


def _short_string_value(el: etree._Element, max_chars: int) -> bool:
    """Whether XPath's ``string-length(normalize-space(.)) <= max_chars``:
    the string value is every descendant text (scripts included, comments
    not)."""
    text = "".join(el.itertext())
    if len(text) <= max_chars:
        return True  # normalising only shortens it
    # At least its non-blank characters remain: most paragraphs are decided here.
    if len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\r") > max_chars:
        return False
    return len(_XML_BLANKS.sub(" ", text).strip(" \t\r\n")) <= max_chars


def _paragraphs_after(el: etree._Element, count: int = 6, max_chars: int = 100) -> list[etree._Element]:
    """The short ones (a byline line) among the first ``count`` paragraphs
    after ``el``: what ``following::p[position() <= 6][string-length(
    normalize-space(.)) <= 100]`` selects. Walked in Python: libxml2 collects
    every following paragraph of the page before it keeps the first six,
    which cost four times as much."""
    out: list[etree._Element] = []
    node = el
    while node is not None:
        for sibling in node.itersiblings():
            for p in sibling.iter("p"):
                if _short_string_value(p, max_chars):
                    out.append(p)
                count -= 1
                if count == 0:
                    return out
        node = node.getparent()
    return out


def _lede_byline(page: VisiblePage, site_names: list[str], language: str | None = None) -> tuple[list[str], str | None]:
    """Names in a short paragraph among the first after the headline that
    is nothing but a labelled byline ("Von Jane Doe", "Ein Interview von
    Jane Doe mit John Roe."), each name two or three capitalised words."""
    headings = page.heading_elements()
    if not headings:
        return [], None
    for p in _paragraphs_after(headings[0][1]):
        # The label is the paragraph's first text, maybe in the first
        # children ("<p><span><strong>Von ..."): the whole text is read only
        # after it matched.
        start = next((el.text for _i, el in zip(range(4), p.iter())
                      if isinstance(el.tag, str) and el.text and el.text.strip()), None)
        if not start or not _LEDE_LABEL_START.match(start):
            continue
        text = element_text(p)
        if not text or len(text) > 100:
            continue
        match = _LEDE_LABEL.match(text)
        if match is None or in_foreign_region(p) or _after_other_content_heading(p, headings[0][1]):
            continue  # not a byline, or a related article's teaser
        rest = text[match.end():].rstrip(" .")
        if _INTERVIEW_LABEL.search(match.group(1)):
            rest = _INTERVIEWEE.sub("", rest)
        names = split_authors(rest, site_names, language)
        if names and all(_person_like(n) for n in names):
            return names, text
    return [], None


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")


def _after_other_content_heading(p: etree._Element, headline: etree._Element) -> bool:
    """Whether a heading between the headline and ``p`` announces other
    content ("Lesen Sie auch", "Related"): ``p`` is then a teaser's byline,
    whatever the box's class (a word for ``in_foreign_region``, or a hash)."""
    holds_headline = set(headline.iterancestors())
    node = p
    while node is not None and node not in holds_headline:
        for sibling in node.itersiblings(preceding=True):
            if sibling is headline or sibling in holds_headline:
                return False
            if not isinstance(sibling.tag, str):
                continue
            heads = [sibling] if sibling.tag in _HEADINGS else sibling.iter(*_HEADINGS)
            if any(heads_other_content(element_text(h) or "") for h in heads):
                return True
        node = node.getparent()
    return False


# What joins several agencies in one credit ("AFP/Reuters", "dpa und AFP").
_AGENCY_JOINS = re.compile(r"\s*[,/&;+]\s*|\s+(?:" + _JOINING_WORDS + r")\s+", re.I)


def agency_credit(text: str | None) -> str | None:
    """The agencies a byline credits when it names nothing else ("By AFP"
    -> "AFP", "Von dpa und AFP" -> "dpa und AFP"), else None: the byline of
    a wire story, whose authors are no one (an agency is not a person)."""
    if not text or len(text) > 80:
        return None
    rest = strip_byline_prefix(text).strip(" .,;:-–—|()")
    parts = [p for p in _AGENCY_JOINS.split(rest) if p]
    return rest if parts and all(fold(p) in AGENCIES for p in parts) else None


def _person_like(name: str) -> bool:
    """Two or three capitalised words of letters: "Jane Doe", not "ACME
    News Online" or "heise.de"."""
    words = name.split()
    return 2 <= len(words) <= 3 and is_person_name(name) and all(w[0].isupper() and w.replace("-", "").replace("'", "").isalpha() for w in words) \
        and not any(is_role_word(w) for w in words)


__all__ = ["AUTHOR_META", "agency_credit", "choose_authors"]
