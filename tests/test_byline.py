"""The printed byline's cleanup (``newsarchive.extraction.byline``), one
behaviour per test, then whole pages whose byline box holds more."""
from __future__ import annotations

from newsarchive.extraction.byline import clean_byline, strip_contacts, unglue
from newsarchive.extraction.page import extract_article


# -- processors ----------------------------------------------------------------

def test_dates_and_times_are_cut_away() -> None:
    assert clean_byline("Chris Davies - Nov 19, 2019, 10:31 pm CST", ["Chris Davies"]) == "Chris Davies"
    assert clean_byline("Monday November 18, 2019 7:45 am PST by Joe Rossignol", ["Joe Rossignol"]) \
        == "by Joe Rossignol"
    assert clean_byline("Von Isabella.DiBiase am Samstag, 19. Oktober 2019 um 11:14 Uhr", ["Isabella.DiBiase"]) \
        == "Von Isabella.DiBiase"
    assert clean_byline("By Tariq Malik, Mike Wall 2019-11-18T22:05:36Z Spaceflight", ["Tariq Malik", "Mike Wall"]) \
        == "By Tariq Malik, Mike Wall"


def test_separated_parts_without_the_names_are_cut_away() -> None:
    assert clean_byline("8. Januar 2020 · by Aureliana · in Gefühle", ["Aureliana"]) == "by Aureliana"
    assert clean_byline("Jacobo Peláez | Publicado hace 3 horas", ["Jacobo Peláez"]) == "Jacobo Peláez"


def test_labels_and_reading_time_are_cut_away() -> None:
    assert clean_byline("James Lynch from University of Michigan Last updated on 20 Feb, 2020. 3 min read",
                        ["James Lynch"]) == "James Lynch from University of Michigan"
    assert clean_byline("Detroit News wire services Published 11:11 PM EST Nov 19, 2019", []) \
        == "Detroit News wire services"
    # An author label after the date label stays ("veröffentlicht von").
    assert clean_byline("veröffentlicht von stylegart", ["stylegart"]) == "veröffentlicht von stylegart"


def test_glued_words_are_spaced() -> None:
    assert unglue("By Meg JamesStaff Writer", ["Meg James"]) == "By Meg James, Staff Writer"
    assert unglue("ByJ.R. Stone", ["J.R. Stone"]) == "By J.R. Stone"
    assert unglue("Geschrieben vonElisa Marvena", ["Elisa Marvena"]) == "Geschrieben von Elisa Marvena"
    assert unglue("By Jill Disis, CNN", ["Jill Disis"]) == "By Jill Disis, CNN"
    assert unglue("Autorin: Uta Staschewski", ["Uta Staschewski"]) == "Autorin: Uta Staschewski"


def test_contact_details_and_follow_buttons_go() -> None:
    assert strip_contacts("By Megan Rowe meganr@example.com(509) 459-5382").split() == ["By", "Megan", "Rowe"]
    assert clean_byline("Catherine Shu @catherineshu / 2 days", ["Catherine Shu"]) == "Catherine Shu"
    assert clean_byline("Bradley M. Kuhn (http://example.org/bkuhn/)", ["Bradley M. Kuhn"]) == "Bradley M. Kuhn"
    assert clean_byline("Gina Roberts-Grey Follow", ["Gina Roberts-Grey"]) == "Gina Roberts-Grey"


def test_a_byline_without_a_byline_is_none() -> None:
    assert clean_byline("25. Oktober 2023", ["Nils Pickert"]) is None
    assert clean_byline("Stand: 20. April 2020, 14:57 Uhr", []) is None
    assert clean_byline("Publicado el 11 de mayo", ["Camila Méndez"]) is None
    assert clean_byline("01.12.2022 / / CSP / International / Wirtschaft", ["Solarserver"]) is None


def test_a_plain_byline_is_left_as_it_is() -> None:
    assert clean_byline("Von Roland Brockmann und Sebastian Drescher", ["Roland Brockmann", "Sebastian Drescher"]) \
        == "Von Roland Brockmann und Sebastian Drescher"
    assert clean_byline("christian.stadtfeld", ["Christian P. Stadtfeld"]) == "christian.stadtfeld"
    assert clean_byline("Autor: www.example.com", []) == "Autor: www.example.com"


# -- pages ---------------------------------------------------------------------

P1 = ("The council voted on Tuesday to close the old river bridge for two years, "
      "after engineers found cracks in three of its piers during an inspection.")
P2 = ("Drivers will face a twenty-mile detour from June, and the bus company said "
      "it would run a shuttle across the new footbridge for commuters.")


def _page(byline_html: str) -> str:
    return ("<html><head><title>Bridge to close</title></head><body><article>"
            f"<h1>Bridge to close for two years</h1>{byline_html}"
            f'<div class="article-body"><p>{P1}</p><p>{P2}</p></div></article></body></html>')


def test_the_meta_line_around_the_byline_is_left_out() -> None:
    html = _page('<div class="byline">8. Januar 2020 · <a rel="author" href="/author/jane">by Jane Doe</a>'
                 " · in Feelings</div>")
    article = extract_article(html, "https://example.org/a")
    assert article.authors == ["Jane Doe"]
    assert article.byline == "by Jane Doe"


def test_a_role_glued_to_the_name_is_set_apart() -> None:
    html = _page('<div class="article-authorName"><span class="authorBy">By </span>'
                 '<a href="/people/meg-james"><span>Meg James</span></a>'
                 '<span class="authorTitle">Staff Writer </span></div>')
    article = extract_article(html, "https://example.org/a")
    assert article.authors == ["Meg James"]
    assert article.byline == "By Meg James, Staff Writer"
    assert article.body.startswith(P1)


def test_contact_details_are_left_out_of_the_byline() -> None:
    html = _page('<div class="byline">By <a href="/author/megan-rowe">Megan Rowe</a> '
                 '<a href="mailto:meganr@example.com">meganr@example.com</a>(509) 459-5382</div>')
    article = extract_article(html, "https://example.org/a")
    assert article.byline == "By Megan Rowe"


def test_a_byline_of_only_a_label_and_separators_is_no_byline() -> None:
    """"By | ·" (a template's byline box whose names are missing) was kept
    whole as the byline, because "By" alone is a bare label."""
    assert clean_byline("By | ·", []) is None
    assert clean_byline("By", []) is None
    assert clean_byline("Written by —", []) is None
    # A label with something after it still names the author.
    assert clean_byline("Autor: www.example.com", []) == "Autor: www.example.com"
    html = _page('<div class="byline">By | ·</div>')
    article = extract_article(html, "https://example.org/a")
    assert article.authors == [] and article.byline is None


def test_a_date_glued_to_the_name_leaves_the_name() -> None:
    """"By Jane DoeNovember 6, 2023": the authors were ['Jane DoeNovember']
    and the byline kept the date."""
    for html, byline in [
        ('<p class="meta">By Jane DoeNovember 6, 2023</p>', "By Jane Doe"),
        ('<div class="byline">Jane DoeNovember 6, 2023</div>', "Jane Doe"),
        ('<p class="meta">By Jane DoeUpdated November 6, 2023</p>', "By Jane Doe"),
    ]:
        article = extract_article(_page(html), "https://example.org/news/x1-story")
        assert article.authors == ["Jane Doe"]
        assert article.byline == byline
    article = extract_article(_page('<p class="meta">By Jane Doe and John SmithNovember 6, 2023</p>'),
                              "https://example.org/news/x1-story")
    assert article.authors == ["Jane Doe", "John Smith"]
    assert article.byline == "By Jane Doe and John Smith"
    assert article.published == "2023-11-06"


def test_a_byline_whose_names_are_missing_is_no_byline() -> None:
    """A template's byline box without its names: a label with a joining
    word, separators or a date was kept as the byline, and "and" as an
    author."""
    assert clean_byline("By and", []) is None
    assert clean_byline("By · and ·", []) is None
    assert clean_byline("By | March 3, 2022", []) is None
    assert clean_byline("Von und", []) is None
    # A joining word left at the end joins nothing.
    assert clean_byline("By Jane Doe and", ["Jane Doe"]) == "By Jane Doe"
    assert clean_byline("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]) == "By Jane Doe and John Roe"
    for html in ('<p class="byline">By and</p>', '<p class="byline">By · and ·</p>',
                 '<p class="byline">By <a></a> | <time>March 3, 2022</time></p>'):
        article = extract_article(_page(html), "https://example.org/news/x1-story")
        assert article.authors == [] and article.byline is None
    article = extract_article(_page('<p class="byline">By <a>Jane Doe</a> and <a></a></p>'),
                              "https://example.org/news/x1-story")
    assert article.authors == ["Jane Doe"] and article.byline == "By Jane Doe"
