"""split_authors and has_byline_label on byline strings: one behaviour per
test, each a class of error fixed on real pages."""
from __future__ import annotations

import pytest

from newsarchive.extraction.authors import split_authors as split_with_co_authors
from newsarchive.extraction.processors import has_byline_label, split_authors, without_name_suffix


def test_site_name_with_ampersand_is_rejected_whole() -> None:
    assert split_authors("Jobs & Hire", ["Jobs & Hire", "jobsnhire.com"]) == []
    # Other names joined by "&" are still split.
    assert split_authors("Jane Doe & John Roe", ["Jobs & Hire"]) == ["Jane Doe", "John Roe"]


def test_parenthesised_middle_name_stays_as_printed() -> None:
    assert split_authors("Bruno (Henrique Zecchin) Rodrigues ") == ["Bruno (Henrique Zecchin) Rodrigues"]


@pytest.mark.parametrize(
    "byline, expected",
    [
        ("By Jane Doe (Reuters)", ["Jane Doe"]),
        ("Jane Doe (AP) and John Roe", ["Jane Doe", "John Roe"]),
        ("Jane Doe (Text) und John Roe (Fotos)", ["Jane Doe", "John Roe"]),
    ],
)
def test_parenthesised_agencies_and_roles_are_still_dropped(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


def test_url_in_parentheses_leaves_no_bracket() -> None:
    assert split_authors("Bradley M. Kuhn (http://example.org/bkuhn/)") == ["Bradley M. Kuhn"]


def test_german_vom_prefix() -> None:
    assert split_authors("vom Krimiblogger") == ["Krimiblogger"]


def test_more_posts_label_after_a_name() -> None:
    assert split_authors("Heinz Steiner Weitere Beiträge") == ["Heinz Steiner"]
    assert split_authors("Weitere Beiträge") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Text & Fotos: Ivan Muster", True),
        ("Von Jane Doe", True),
        ("By Jane Doe", True),
        ("Autor: Jane Doe", True),
        ("Erstellt von Fabian am Dienstag 6. Mai 2014", True),
        ("Foto: Ingo Muster", False),
        ("Jane Doe", False),
        ("12:30: Jane Doe", False),
    ],
)
def test_has_byline_label(text: str, expected: bool) -> None:
    assert has_byline_label(text) is expected


def test_without_name_suffix() -> None:
    assert without_name_suffix("Michael L. Anderson, PhD") == "Michael L. Anderson"
    assert without_name_suffix("Anderson, Michael") == "Anderson, Michael"


def test_place_after_the_site_or_an_agency_is_not_a_person() -> None:
    assert split_authors("hessenschau.de, Frankfurt, Germany", ["hessenschau.de"]) == []
    assert split_authors("Reuters, London") == []
    assert split_authors("Jane Doe, Reuters, London") == ["Jane Doe"]
    # Two-word names after an agency are still persons.
    assert split_authors("dpa, Jane Doe") == ["Jane Doe"]


def test_picture_credit_in_a_byline_block_is_not_a_person() -> None:
    assert split_authors("Bild © ARD") == []
    assert split_authors("Jane Doe | Bild © ARD") == ["Jane Doe"]


def test_picture_label_alone_credits_the_photographer() -> None:
    assert split_authors("Foto: Ingo Muster") == []
    assert split_authors("Text & Fotos: Ivan Muster") == ["Ivan Muster"]


def test_co_authors_in_parentheses_only_when_they_are_names() -> None:
    assert split_with_co_authors("Ana Gómez (con Juan de la Cruz)") == ["Ana Gómez", "Juan de la Cruz"]
    # A source note in the same form is dropped whole, as "(AP)" is.
    assert split_with_co_authors("Ana Gómez (con información de EFE)") == ["Ana Gómez"]
    assert split_with_co_authors("Jane Doe (and agencies)") == ["Jane Doe"]


def test_professional_title_before_the_name_is_not_part_of_it() -> None:
    assert split_authors("Autor: Rechtsanwalt Jane Doe") == ["Jane Doe"]
    assert split_authors("Rechtsanwältin Jane Doe und Notar John Roe") == ["Jane Doe", "John Roe"]
    # A title alone names no one.
    assert split_authors("Rechtsanwalt") == []


# -- desks, not persons (each was an "author" on a real page) ------------------

def test_name_holding_the_sites_name_is_the_site() -> None:
    # A club or desk named after the site, with a word in front or behind.
    assert split_authors("EFC Example Club", ["example-club.de"]) == []
    assert split_authors("Jane Doe Example Times", ["The Example Times"]) == []
    # A one-word site name may be anyone's surname.
    assert split_authors("Jane Smith", ["smith.com"]) == ["Jane Smith"]


@pytest.mark.parametrize("byline", [
    "Our Foreign Staff", "Unser Korrespondent", "Notre envoyé spécial",
    "By EXAMPLE POST STAFF NOVEMBER 20, 2019 10:43", "Example Tribune Reporters",
])
def test_newsroom_speaking_of_itself_is_not_a_person(byline: str) -> None:
    assert split_authors(byline) == []


def test_possessive_starts_no_persons_name() -> None:
    from newsarchive.extraction.processors import is_person_name

    # What is left of "Our Foreign Staff" once its role word is cut.
    assert not is_person_name("Our Foreign")
    assert not is_person_name("Nuestro Hombre")
    assert is_person_name("Ourania Doe")


def test_singular_role_after_a_name_is_still_that_persons_job() -> None:
    assert split_authors("Jane Doe Senior Reporter") == ["Jane Doe"]
    assert split_authors("Jane Doe Staff Writer") == ["Jane Doe"]


@pytest.mark.parametrize("byline", ["Editorial", "Telegraph Sport"])
def test_editorial_and_sport_desks_are_not_persons(byline: str) -> None:
    assert split_authors(byline) == []


@pytest.mark.parametrize(("byline", "expected"), [
    ("JANE DOE, EXAMPLEWIRE 18 NOV 2019", ["JANE DOE"]),  # the outlet the story comes from
    ("Jane Doe, Washington", ["Jane Doe"]),  # the dateline's place
    ("Jane Doe / Example", ["Jane Doe"]),
    # Co-authors are named in full, or joined by a word.
    ("Jane Doe, John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe and Cher", ["Jane Doe", "Cher"]),
    ("Cher, Jane Doe", ["Cher", "Jane Doe"]),
])
def test_one_word_listed_after_a_full_name_is_a_place_or_an_outlet(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


@pytest.mark.parametrize(("byline", "expected"), [
    ("By Jane DoeNovember 6, 2023", ["Jane Doe"]),
    ("Jane DoeNovember 6, 2023", ["Jane Doe"]),
    ("By Jane Doe and John SmithNovember 6, 2023", ["Jane Doe", "John Smith"]),
    ("By Jane DoeUpdated November 6, 2023", ["Jane Doe"]),
    ("By Jane DoePosted on Nov. 6, 2023", ["Jane Doe"]),
    ("Von Jane MüllerAktualisiert am 6.11.2023", ["Jane Müller"]),
    ("Von Jane MüllerMärz 5, 2020", ["Jane Müller"]),
    # No date after the capital: the name stays whole.
    ("Ronald McDonald", ["Ronald McDonald"]),
    ("Laura June Topolsky", ["Laura June Topolsky"]),
])
def test_a_date_glued_to_the_name_is_not_part_of_it(byline: str, expected: list[str]) -> None:
    # Markup without spaces glues the date, or its label, to the last name
    # ("Jane DoeNovember"); dates._GLUED_MONTH and _GLUED_DATE_LABEL set it apart.
    assert split_authors(byline) == expected


@pytest.mark.parametrize(("byline", "expected"), [
    ("By and", []), ("and", []), ("Und", []), ("y", []), ("Von und", []), ("Par et", []), ("By & ·", []),
    ("By Jane Doe and", ["Jane Doe"]), ("and Jane Doe", ["Jane Doe"]),
    ("Jane Doe y John Roe", ["Jane Doe", "John Roe"]),
])
def test_a_joining_word_alone_is_no_name(byline: str, expected: list[str]) -> None:
    # "By <a></a> and <a></a>": the names are missing, the word joining
    # them is no author.
    assert split_authors(byline) == expected
