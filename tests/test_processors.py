"""Unit tests of the loader's small processors, one behaviour per test."""
from __future__ import annotations

import pytest

from newsarchive.extraction.processors import (
    clean_credit,
    clean_tag,
    dedupe,
    drop_control_characters,
    first_category,
    fold,
    is_address,
    is_person_name,
    is_placeholder_category,
    is_site_keyword_list,
    is_site_mark_url,
    names_the_site,
    normalize_language,
    normalize_space,
    site_name_keys,
    split_authors,
    split_credit,
    strip_caption_label,
    split_tag_values,
    split_tags,
    strip_byline_prefix,
    strip_site_name,
)


# -- whitespace ---------------------------------------------------------------

def test_normalize_space_collapses_nbsp_and_zero_width() -> None:
    assert normalize_space("  Big\u00a0news\u200b today \n") == "Big news today"


def test_normalize_space_is_the_regex_definition_on_any_white_space() -> None:
    """The fast path (translate only when an invisible character is there,
    str.split for runs of white space) gives what the regex definition gives:
    every Unicode white space collapsed, invisible characters removed first."""
    import random
    import re

    invisible = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

    def reference(text: str) -> str | None:
        return re.sub(r"\s+", " ", text.translate(invisible)).strip() or None

    alphabet = "ab \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2007\u2028\u202f\u3000\u200b\u200c\u00ad\ufeffé"
    rnd = random.Random(7)
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 24)))
        assert normalize_space.__wrapped__(text) == reference(text), repr(text)
    assert normalize_space("a \u200b b") == "a b" and normalize_space("\u00ad\u200b") is None


def test_normalize_space_decodes_double_escaped_entities() -> None:
    assert normalize_space("Tom &amp; Jerry") == "Tom & Jerry"


def test_normalize_space_empty_is_none() -> None:
    assert normalize_space(" \n\t") is None
    assert normalize_space(None) is None


@pytest.mark.parametrize("text, expected", [
    ("Bell \x07story", "Bell story"),
    ("Jane\x01 Doe", "Jane Doe"),
    ("a \x1b[31m b", "a [31m b"),
    ("NUL\x00 and DEL\x7f and C1\x85 here", "NUL and DEL and C1 here"),
    ("\x07", None),
    ("First line\x0b\n\nSecond\tpara", "First line\n\nSecond\tpara"),
])
def test_drop_control_characters(text: str, expected: str | None) -> None:
    assert drop_control_characters(text) == expected


def test_drop_control_characters_returns_clean_text_itself() -> None:
    text = "Tab\tand new\nlines and ünïcode stay"
    assert drop_control_characters(text) is text
    assert drop_control_characters(None) is None


def test_fold_ignores_case_and_punctuation() -> None:
    assert fold("„Es kommt“ – darauf an!") == fold("es kommt darauf an")


# -- headlines ----------------------------------------------------------------

def test_site_name_keys_from_host_and_name() -> None:
    keys = site_name_keys(["www.example-news.co.uk", "The Example Times"])
    assert {"example news", "examplenews", "the example times", "example times"} <= keys


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        ("Big news today | The Example Times", ["The Example Times"], "Big news today"),
        ("The Example Times - Big news today", ["The Example Times"], "Big news today"),
        # The site name and its slogan after it go together.
        ("Big news | Example Media - Analysis Opinion Critique", ["Example Media"], "Big news"),
        ("Laufen im Winter › Nordish by Nature", ["Nordish by Nature"], "Laufen im Winter"),
        ("Example.de » Blog » A post", ["example.de"], "A post"),
    ],
)
def test_strip_site_name_with_evidence(title: str, names: list[str], expected: str) -> None:
    assert strip_site_name(title, names) == expected


def test_strip_site_name_keeps_dashes_without_evidence() -> None:
    title = "Russia - the long withdrawal - begins"
    assert strip_site_name(title, ["example.com"]) == title


def test_strip_site_name_keeps_a_colon_headline() -> None:
    # A part that merely starts with the site's name is not the site's name.
    title = "Mother's day: Trome celebrated with the mums"
    assert strip_site_name(title, ["trome.pe"]) == title


def test_strip_site_name_uses_the_heading_as_reference() -> None:
    assert strip_site_name("Chronik: Lotte Tobisch ist tot - wien.example", [], "Lotte Tobisch ist tot") == (
        "Lotte Tobisch ist tot"
    )


# -- authors ------------------------------------------------------------------

def test_split_authors_commas_without_spaces() -> None:
    assert split_authors("Laura Pitel,Nadia Beard,Steve Anderson") == ["Laura Pitel", "Nadia Beard", "Steve Anderson"]


def test_split_authors_by_and_role_and_agency() -> None:
    assert split_authors("By Jane Doe and John Smith, Political Correspondent | Reuters") == [
        "Jane Doe",
        "John Smith",
    ]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Von Max Müller und Erika Mustermann", ["Max Müller", "Erika Mustermann"]),
        ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
        ("Isabel Caro, Rocío Latorre y José Miguel Wilson", ["Isabel Caro", "Rocío Latorre", "José Miguel Wilson"]),
        ("Jane Doe & John Smith", ["Jane Doe", "John Smith"]),
    ],
)
def test_split_authors_conjunctions_per_language(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


def test_split_authors_drops_parenthesised_agency() -> None:
    assert split_authors("Jane Doe (AP)") == ["Jane Doe"]


def test_split_authors_drops_email_and_handle() -> None:
    assert split_authors("Jane Doe jane.doe@example.com @janedoe") == ["Jane Doe"]


def test_split_authors_drops_trailing_date() -> None:
    assert split_authors("VON MORITZ MUSTER am 21. April 2020") == ["MORITZ MUSTER"]
    assert split_authors("By Emily Example 8 January 2020, 3:51 pm") == ["Emily Example"]


def test_split_authors_mid_text_by_after_a_date() -> None:
    assert split_authors("Posted on September 21, 2020 by Adi Example") == ["Adi Example"]
    assert split_authors("Dezember 10, 2019 · von freeman1984 · in Uncategorized") == ["freeman1984"]


def test_split_authors_keeps_von_inside_a_name() -> None:
    assert split_authors("Walter von Aachen") == ["Walter von Aachen"]


def test_split_authors_label_before_colon() -> None:
    assert split_authors("Text & Fotos: Ivan Example") == ["Ivan Example"]


def test_split_authors_degree_suffix_stays_with_name() -> None:
    assert split_authors("Michael Anderson, PhD, Carla Dobkin, PhD") == ["Michael Anderson, PhD", "Carla Dobkin, PhD"]


@pytest.mark.parametrize("byline", ["Staff", "By", "Posted on", "Publiziert am", "Redaktion", "Reuters", "15 March 2019"])
def test_split_authors_non_persons(byline: str) -> None:
    assert split_authors(byline) == []


def test_split_authors_site_name_is_not_a_person() -> None:
    assert split_authors("Example News", ["Example News"]) == []


def test_is_person_name_rejects_domains_and_organisations() -> None:
    assert not is_person_name("jungefreiheit.de")
    assert not is_person_name("Hanns-Seidel-Stiftung e.V.")
    assert not is_person_name("Leave a reply")
    assert is_person_name("Jose de la Cruz")


def test_strip_byline_prefix() -> None:
    assert strip_byline_prefix("Written by: Jane Doe") == "Jane Doe"
    assert strip_byline_prefix("Von Max Müller") == "Max Müller"


def test_dedupe_folds() -> None:
    assert dedupe(["Jane Doe", "JANE DOE", "John"]) == ["Jane Doe", "John"]


# -- captions -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("Jets prepare for the withdrawal (AFP/Getty Images)", "Jets prepare for the withdrawal", "AFP/Getty Images"),
        ("A soldier guards a jet (AP)", "A soldier guards a jet", "AP"),
        ("Protesters in the square. Photo: Jane Doe/Reuters", "Protesters in the square.", "Jane Doe/Reuters"),
        ("Der Platz am Morgen. Foto: dpa", "Der Platz am Morgen.", "dpa"),
        ("Der Platz. Bild: Max Muster", "Der Platz.", "Max Muster"),
        ("The harbour at dawn. Credit: Example Agency", "The harbour at dawn.", "Example Agency"),
        ("The harbour © Example Agency", "The harbour", "Example Agency"),
        # The label inside the brackets is not part of the credit.
        ("Lanterns on the water. (Photo: Ana Ruiz)", "Lanterns on the water.", "Ana Ruiz"),
        ("Der Platz am Morgen (Foto: dpa)", "Der Platz am Morgen", "dpa"),
    ],
)
def test_split_credit(caption: str, text: str, credit: str) -> None:
    assert split_credit(caption) == (text, credit)


def test_split_credit_keeps_descriptive_parentheses() -> None:
    assert split_credit("Mr X (left) and Mrs Y (right)") == ("Mr X (left) and Mrs Y (right)", None)


def test_clean_credit_drops_label_and_copyright_sign() -> None:
    assert clean_credit(" (AFP/Getty Images)") == "AFP/Getty Images"
    assert clean_credit("© Foto: Max Muster") == "Max Muster"


# -- language and tags --------------------------------------------------------

@pytest.mark.parametrize(
    ("tag", "expected"),
    [("en_us", "en-US"), ("DE", "de"), ("de-DE", "de-DE"), ("zh-hans-CN", "zh-Hans"), ("english", None), ("", None)],
)
def test_normalize_language(tag: str, expected: str | None) -> None:
    assert normalize_language(tag) == expected


def test_split_tags() -> None:
    assert split_tags("Syria, Russia; Vladimir Putin") == ["Syria", "Russia", "Vladimir Putin"]


def test_strip_short_suffix_for_title_only_pages() -> None:
    from newsarchive.extraction.processors import strip_short_suffix

    assert strip_short_suffix("Lorem ipsum dolor sit amet – My website") == "Lorem ipsum dolor sit amet"
    assert strip_short_suffix("No App Store over mobile data with iOS 13 ? | iPhone | Forum") == (
        "No App Store over mobile data with iOS 13 ?"
    )
    # A short title keeps its dash.
    assert strip_short_suffix("Spider-Man - Review") == "Spider-Man - Review"


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # A month name inside a name stays; one before a number is a date.
        ("by Laura June Topolsky July 10, 2015", ["Laura June Topolsky"]),
        ("Isabel Caro y José Miguel Wilson Hace 13 horas", ["Isabel Caro", "José Miguel Wilson"]),
        ("By Ian Mohr View author archive email the author", ["Ian Mohr"]),
        ("Autor: Peter Maahn/SP-X", ["Peter Maahn"]),
        ("Posted by T. V. Raman", ["T. V. Raman"]),
        ("Stand: 20. April 2020, 14:57 Uhr", []),
        ("23.06.2016 um 16:14 Uhr - Markus Muster - 91 Ergänzungen", ["Markus Muster"]),
        ("06.11.2023 13:30 von Olga", ["Olga"]),
        # Month names are first names too.
        ("Von Volkmar Muster, Jan Lukas Beispiel und April Roe", ["Volkmar Muster", "Jan Lukas Beispiel", "April Roe"]),
    ],
)
def test_split_authors_real_byline_shapes(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


def test_byline_prefixes_of_cms_blocks_and_a_bare_prefix() -> None:
    assert split_authors("Gespeichert von rasos am 24. Juli 2017 - 18:55") == ["rasos"]
    assert split_authors("Submitted by Jane Doe on March 3, 2020") == ["Jane Doe"]
    assert split_authors("Blog Beitrag von Margarita Koreneva") == ["Margarita Koreneva"]
    # The label alone, its name in the next element: no author.
    assert split_authors("Gespeichert von") == []


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("Trump in New York last week. Credit... Anna Moneymaker/The New York Times",
         "Trump in New York last week.", "Anna Moneymaker/The New York Times"),
        ("Rene Benko. Photographer: Jane Doe/Getty Images", "Rene Benko.", "Jane Doe/Getty Images"),
        ("Christopher Battin Submitted photo", "Christopher Battin", "Submitted photo"),
        ("Omar speaks at the Capitol on July 25, 2019. J. Scott Applewhite / AP file",
         "Omar speaks at the Capitol on July 25, 2019.", "J. Scott Applewhite / AP file"),
        ("Un grupo de pingüinos en la Antártida. EFE", "Un grupo de pingüinos en la Antártida.", "EFE"),
        ("(Foto: FKP Scorpio)", None, "FKP Scorpio"),
        # A figure number is no credit; an ordinary last sentence is none either.
        ("Async Task Framework [Fig 1]", "Async Task Framework [Fig 1]", None),
        ("He met Mr. Smith. Then he left.", "He met Mr. Smith. Then he left.", None),
    ],
)
def test_split_credit_more_forms(caption: str, text: str | None, credit: str) -> None:
    assert split_credit(caption) == (text, credit)


@pytest.mark.parametrize(
    ("raw", "credit"),
    [
        ("Image credit: TNG Collaboration", "TNG Collaboration"),
        ("Image Source: Jane Doe / Shutterstock", "Jane Doe / Shutterstock"),
        ("(Bild: Hersteller)", "Hersteller"),
        ("Credit Credit Jane Doe/EPA", "Jane Doe/EPA"),
        ("Published Monday, Nov. 18, 2019", None),
        ("22", None),
        ("01:30 Min. | 19.10.19 | ARD", None),
        ("Fig 1", None),
    ],
)
def test_clean_credit_labels_and_non_credits(raw: str, credit: str | None) -> None:
    assert clean_credit(raw) == credit


@pytest.mark.parametrize(
    ("caption", "text"),
    [
        ("Image caption Crowds in the square", "Crowds in the square"),
        ("Media caption Mr Obama told the BBC", "Mr Obama told the BBC"),
        ("Image 1 of 9 Crowds in the square", "Crowds in the square"),
        ("Bild 2 von 5: Der Platz", "Der Platz"),
        ("1/5 Am Freitagabend", "Am Freitagabend"),
        ("1/2 cup of sugar", "1/2 cup of sugar"),
        ("10 of the best photos", "10 of the best photos"),
    ],
)
def test_strip_caption_label(caption: str, text: str) -> None:
    assert strip_caption_label(caption) == text


def test_split_credit_label_before_a_whole_sentence_is_no_credit() -> None:
    assert split_credit("Bild: Eine Drohne näherte sich am Sonntag einem Flugzeugträger. Screenshot aus Twitter") == (
        "Eine Drohne näherte sich am Sonntag einem Flugzeugträger. Screenshot aus Twitter", None
    )


# -- tags, section, lead image -------------------------------------------------

def test_placeholder_categories_in_several_languages() -> None:
    assert is_placeholder_category("Uncategorized")
    assert is_placeholder_category("front-page")
    assert is_placeholder_category("Allgemein")
    assert not is_placeholder_category("Politics")


def test_first_category() -> None:
    assert first_category("Radtouren Berlin, berlin, fahrradtour") == "Radtouren Berlin"
    assert first_category("Abnehmen,") == "Abnehmen"
    assert first_category("News - News") == "News"
    assert first_category("Economy & Business") == "Economy & Business"
    assert first_category(" ") is None


def test_is_address() -> None:
    assert is_address("/dom-eda/soh/?gmpage=1")
    assert is_address("https://blog.example.com/category/learn/")
    assert not is_address("Learn")


def test_split_tag_values_keeps_one_tag_per_element() -> None:
    # Several values: each is a tag as the site gave it, commas and all.
    assert split_tag_values(["Trump, Donald J", "Prices (Fares, Fees and Rates)", "Tariffs"]) == [
        "Trump, Donald J", "Prices (Fares, Fees and Rates)", "Tariffs"]
    # One value is a list; so is a value with a semicolon or two commas.
    assert split_tag_values(["Syria, Russia"]) == ["Syria", "Russia"]
    assert split_tag_values(["a, b, c", "d"]) == ["a", "b", "c", "d"]
    assert split_tag_values([" ", None]) == []


@pytest.mark.parametrize("raw, tag", [
    ("Category: Moon", "Moon"),
    ("Tag:Nodejs", "Nodejs"),
    ("Lite:true", None),
    ("@post-id:1913719", None),
    ("/article", None),
    ("://about:blank", None),
    ("[NAME]", None),
    ("channel_other", None),
    ("article-payant-classique", None),
    ("AdNode:culture/wide_angle", None),
    ("editor@example.org example.org/editor", None),
    ("a tag that runs on like a sentence for far too many words", None),
    ("science-fiction", "science-fiction"),
    ("COVID-19", "COVID-19"),
    ("Star Wars: The Last Jedi", "Star Wars: The Last Jedi"),
    ("Crash / Unfall", "Crash / Unfall"),
])
def test_clean_tag(raw: str, tag: str | None) -> None:
    assert clean_tag(raw) == tag


def test_site_keyword_lists() -> None:
    assert names_the_site(["Nachrichten", "Inland", "Ausland", "Sport"])
    # A word repeated is one word.
    assert not names_the_site(["News", "Zimbabwe", "News"])
    assert is_site_keyword_list([f"k{i}" for i in range(30)])
    assert not is_site_keyword_list(["Butter", "Rotwein", "Olivenöl"])


@pytest.mark.parametrize("url, mark", [
    ("https://blog.example.org/images/example_fb_logo.jpg", True),
    ("https://cdn.example.com/i/blank.jpg", True),
    ("https://example.org/2019/04/cropped-site-favicon.jpg?w=200", True),
    ("https://example.org/img/ms-icon-310x310.png", True),
    ("https://example.org/images/no-img_460x320_logo.jpg", True),
    ("https://avatars.example.com/blavatar/f40de3dc?s=200", True),
    ("https://example.org/uploads/cropped-logo-1.jpg", True),
    # A news photo of a company's logo names more after it.
    ("https://example.org/uploads/acme-logo-getty-1024-683-57ed9e94e3d24.jpg", False),
    ("https://example.org/uploads/2020/05/flooded-street.jpg", False),
])
def test_is_site_mark_url(url: str, mark: bool) -> None:
    assert is_site_mark_url(url) is mark


def test_checked_language_overrules_a_template_default_only_on_plain_evidence() -> None:
    from newsarchive.extraction.processors import checked_language

    german = ("Der Verein hat sich auf die neue Saison vorbereitet und die Spieler sind mit dem Trainer "
              "nicht immer einer Meinung, wie er bei der Versammlung auch sagte. ").split() * 5
    english = ("The club has prepared for the new season and the players are not always of one mind "
               "with the coach, as he said at the meeting. ").split() * 5
    assert checked_language("en-US", german) == "de"
    assert checked_language("en", english) == "en"
    assert checked_language("de-DE", german) == "de-DE"
    # Too short to tell, or a language without a word list: as declared.
    assert checked_language("en", german[:20]) == "en"
    assert checked_language("ja", german) == "ja"
    assert checked_language(None, german) is None
