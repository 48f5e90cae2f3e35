"""Which candidate names the authors: structured data against the printed
byline. One small hand-made page per class of error fixed on real pages
(never a copy of one); each fails without its fix."""
from __future__ import annotations

import lxml.html
import pytest

from newsarchive.extraction.config import ExtractionConfig
from newsarchive.extraction.loader import load_metadata
from newsarchive.items import Article

URL = "https://www.example-news.com/world/2020/05/03/the-story"


def _load(html: str, url: str = URL) -> Article:
    doc = lxml.html.document_fromstring(html)
    return load_metadata(doc, url, config=ExtractionConfig())


def _page(head: str = "", body: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def _person(name: str, page_type: str = "NewsArticle", extra: str = "") -> str:
    return (
        '<script type="application/ld+json">{"@type": "%s", "headline": "Rivers rise again",'
        ' "author": {"@type": "Person", "name": "%s"%s}}</script>' % (page_type, name, extra)
    )


# -- the site's name is never split into "persons" -----------------------------

def test_site_name_with_ampersand_is_not_two_authors() -> None:
    # "Jobs & Hire" in the author meta tag is the site (og:site_name), not
    # "Jobs" and "Hire"; the printed "By ..." line names the author.
    art = _load(_page(
        '<meta name="author" content="Jobs &amp; Hire"><meta property="og:site_name" content="Jobs &amp; Hire">',
        '<article><h1>Rivers rise again</h1><div class="story"><p>By Jose de la Cruz</p>'
        "<p>The river rose by two metres overnight.</p></div></article>",
    ))
    assert art.authors == ["Jose de la Cruz"]


def test_person_named_like_the_host_gives_way_to_the_article_byline() -> None:
    # "El Example" is the site elexample.com typed as a Person; the byline
    # is not next to the headline but further down the article.
    art = _load(_page(
        _person("El Example") + '<meta property="og:site_name" content="ElExample.com">',
        '<div class="top"><h1>Rivers rise again</h1></div><p>Lead</p><p>More</p><p>More</p>'
        '<div class="content"><span class="article-author">Jacobo Muster Peláez | Publicado hace 3 horas</span>'
        "<p>The river rose.</p></div>",
    ), url="https://www.elexample.com/region/rivers-rise-EN123")
    assert art.authors == ["Jacobo Muster Peláez"]


def test_site_heading_marked_as_author_is_not_the_author() -> None:
    # A blog theme marks its site-title heading "vcard author"; the post's
    # own "vom <name>" line is the byline.
    art = _load(_page(
        "<title>Das schwulste Musikvideo der Welt : Krimi-Archiv</title>",
        '<h1 class="vcard author"><a href="https://www.example-news.com/" class="fn">Krimi-Archiv</a></h1>'
        '<div class="post"><h3 class="entry-title">Das schwulste Musikvideo der Welt</h3>'
        '<h4 class="vcard author">vom <span class="fn">Krimiblogger</span></h4><p>Text</p></div>',
    ))
    assert art.authors == ["Krimiblogger"]


# -- the printed byline against the structured data -----------------------------

def test_labelled_author_line_beats_an_author_meta_naming_someone_else() -> None:
    art = _load(_page(
        '<meta name="author" content="Auto Illustrierte">',
        '<div class="article"><h1>Rivers rise again</h1>'
        '<div class="news-author">Text &amp; Fotos: Ivan Muster</div><p>Text</p></div>',
    ))
    assert art.authors == ["Ivan Muster"]


def test_unlabelled_teaser_author_does_not_beat_the_declared_author() -> None:
    # The declared name is printed next to the headline: a labelled teaser
    # ("von Schuhmann") further down the same block does not win.
    art = _load(_page(
        _person("Cortyn"),
        '<article><h1>Rivers rise again</h1><span class="author-name">Cortyn</span>'
        '<div class="box"><div class="authors">von Schuhmann</div></div></article>',
    ))
    assert art.authors == ["Cortyn"]


def test_author_page_link_in_the_article_beats_the_posting_account() -> None:
    # Yoast declares the account that posted (on the WebPage object); the
    # article links to the author's page.
    art = _load(_page(
        _person("Gilles Poster", page_type="WebPage"),
        '<article><header><h1>Rivers rise again</h1></header><div class="meta"><p>Lead</p></div>'
        '<div class="body"><p>Text</p><p>Par <a href="https://www.example-news.com/fr/staff/uriel-muster/"'
        ' class="text-red">Uriel Muster</a></p></div></article>',
    ))
    assert art.authors == ["Uriel Muster"]


def test_links_that_only_contain_author_in_the_path_are_not_bylines() -> None:
    art = _load(_page(
        _person("Elizabeth Muster"),
        '<article><h1>Rivers rise again</h1><p>Text</p>'
        '<a href="https://idp.example.com/authorize/user?client=1">Login</a></article>',
    ))
    assert art.authors == ["Elizabeth Muster"]


def test_names_printed_with_degrees_next_to_the_headline() -> None:
    art = _load(_page(
        '<meta name="dc.creator" content="Michael L. Muster"><meta name="dc.creator" content="Carla Beispiel">',
        '<article><h1>Rivers rise again</h1><div class="authors">Michael L. Muster, PhD, Carla Beispiel, MD</div>'
        "<p>Text</p></article>",
    ))
    assert art.authors == ["Michael L. Muster, PhD", "Carla Beispiel, MD"]


def test_first_name_person_takes_the_full_name_from_its_description() -> None:
    art = _load(_page(
        _person("Nils", extra=', "description": "Nils Pickmann ist freier Autor und Journalist."'),
        "<article><h1>Rivers rise again</h1><p>Text</p></article>",
    ))
    assert art.authors == ["Nils Pickmann"]


# -- logins next to the headline ------------------------------------------------

def test_member_profile_link_after_the_headline_is_the_author() -> None:
    # Recipe, deal and forum sites: "von <a href="/user/...">login</a>", deep
    # in a box of rating icons and counters after the headline.
    icons = '<span class="icon"></span>' * 12
    art = _load(_page(
        body='<div class="tip"><h1>Tomaten richtig schneiden</h1><h2>...der Trick mit dem Strunk</h2>'
        f'<div class="box"><div class="stats">{icons}<div>2 Bewertungen</div><div>727</div></div>'
        '<div class="user"><span>von</span> <span><a href="https://www.example-news.com/user/Marianne1.html">'
        "Marianne1</a></span> am 20.09.2020</div></div><p>Text</p></div>",
    ))
    assert art.authors == ["Marianne1"]


def test_initials_linking_to_an_author_page_are_a_person() -> None:
    art = _load(_page(
        body='<article><h1>Rivers rise again</h1><div class="entry-meta"><span>Posted on</span>'
        '<span> by <a href="https://www.example-news.com/author/levente/">LD</a></span></div>'
        "<p>Text</p></article>",
    ))
    assert art.authors == ["LD"]


def test_lower_case_login_takes_the_name_the_page_prints() -> None:
    art = _load(_page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
        ' "author": {"@type": "Person", "name": "christian.muster"}}</script>',
        '<article><h1>Rivers rise again</h1><figure><figcaption>Chefredakteur Christian P. Muster bewertet'
        " die Wahl</figcaption></figure><p>Text. (Christian P. Muster)</p></article>",
    ))
    assert art.authors == ["Christian P. Muster"]


def test_login_not_printed_as_a_name_stays_as_declared() -> None:
    art = _load(_page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
        ' "author": {"@type": "Person", "name": "jane.muster"}}</script>',
        "<article><h1>Rivers rise again</h1><p>Muster said nothing.</p></article>",
    ))
    assert art.authors == ["jane.muster"]


def test_library_identifier_links_are_not_bylines() -> None:
    # "/authorities/names/n79021322" in an "Authority control" box.
    art = _load(_page(
        '<script type="application/ld+json">{"@type": "Article", "headline": "Rivers rise again",'
        ' "author": {"@type": "Organization", "name": "Contributors"}}</script>',
        '<article><h1>Rivers rise again</h1><p>Text</p><div class="authority-control">Authority control'
        '<span class="uid"><a href="https://id.example.gov/authorities/names/n79021322">n79021322</a></span>'
        "</div></article>",
    ))
    assert art.authors == []


def test_journal_author_list_below_the_title_keeps_printed_degrees() -> None:
    # Dublin Core names the authors bare; the page prints the list with
    # degrees a few blocks below the title, out of reach of the neighbour
    # search: the names as printed.
    art = _load(_page(
        '<meta name="dc.Creator" content=" Jane  Doe "><meta name="dc.Creator" content="John Roe">',
        '<div class="citation"><div class="head"><h1>Rivers rise again</h1></div>'
        '<div class="subtitle">An observational study</div><ul class="corrections"></ul>'
        '<ul class="rlist">summary</ul>'
        '<ul class="loa-authors"><li><span>Jane Doe, PhD</span>, </li><li><span>John Roe, MD</span></li></ul>'
        "</div><p>The river rose by two metres overnight.</p>",
    ))
    assert art.authors == ["Jane Doe, PhD", "John Roe, MD"]


# -- desks, co-authors, lists of names -------------------------------------------

def test_desk_sign_and_agency_in_the_story_footer_are_not_persons() -> None:
    # "red" is the German newsroom's sign (Redaktion), "det/dpa" an editor's
    # initials on an agency text: no person is named.
    for footer in ('red, wien.example-news.com/<a href="/agenturen">Agenturen</a>', "det/dpa"):
        art = _load(_page(
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
            ' "author": {"@type": "Organization", "name": "Example News"}}</script>',
            '<div class="story"><h1>Rivers rise again</h1><p>The river rose by two metres.</p>'
            f'<div class="story-footer"><div class="byline"><p>{footer}</p></div></div></div>',
        ))
        assert art.authors == [], footer


def test_co_authors_in_parentheses_are_authors_too() -> None:
    # "(avec X et Y)": the parenthesis names co-authors, not an agency.
    art = _load(_page(
        '<meta name="author" content="Martin Muster (avec Damien Exemple et Morgane Modèle)">',
        "<article><h1>Rivers rise again</h1><p>The river rose by two metres overnight.</p></article>",
    ))
    assert art.authors == ["Martin Muster", "Damien Exemple", "Morgane Modèle"]
    art = _load(_page(
        "",
        '<article><h1>Rivers rise again</h1><p class="byline">By Jane Doe (with John Roe)</p>'
        "<p>The river rose by two metres overnight.</p></article>",
    ))
    assert art.authors == ["Jane Doe", "John Roe"]


def test_json_ld_person_whose_name_is_a_list() -> None:
    art = _load(_page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
        ' "author": {"@type": "Person", "name": ["Jane Doe", "John Roe"]}}</script>',
        "<article><h1>Rivers rise again</h1><p>The river rose by two metres overnight.</p></article>",
    ))
    assert art.authors == ["Jane Doe", "John Roe"]


# -- a labelled byline paragraph under the headline ------------------------------

def test_byline_paragraph_under_the_headline_beats_the_posting_account() -> None:
    # Drupal's "submitted by" names the account; the article's own first
    # paragraphs say who wrote it.
    art = _load(_page(
        "",
        '<div class="node"><span class="submitted">Gespeichert von webteam am 7. Juli 2019</span>'
        "<h1>Vegetarisch leben</h1><p><strong>Vegetarisch leben</strong><br><em>Eine Analyse</em></p>"
        "<p>Blog Beitrag von Margarete Muster</p><p>Vegetarier zu sein wird immer beliebter.</p></div>",
    ))
    assert art.authors == ["Margarete Muster"]


def test_interview_byline_names_the_interviewer_not_the_guest() -> None:
    art = _load(_page(
        '<meta name="author" content="Paul Poster">',
        "<article><h1>Gespräch mit einer Autorin</h1><p><strong>„Ein Zitat.“</strong></p>"
        "<p><em>Ein Interview von <strong>Eugen Muster</strong> mit <strong>Sonja Beispiel</strong>.</em></p>"
        "<p>Die Autorin Sonja Beispiel schreibt Krimis.</p></article>",
    ))
    assert art.authors == ["Eugen Muster"]


def test_sentences_and_related_teasers_starting_like_a_byline_do_not_count() -> None:
    art = _load(_page(
        '<meta name="author" content="Paul Poster">',
        "<article><h1>Neue Regeln</h1><p>Von Montag an gelten neue Regeln.</p><p>Von links: Jane Doe und John Roe</p>"
        '<div class="related"><h4>Lesen Sie auch</h4><p class="related__author">von <strong>Jesse Muster</strong></p></div>'
        "<p>Die Regeln betreffen alle.</p></article>",
    ))
    assert art.authors == ["Paul Poster"]


def test_byline_paragraph_after_the_standfirst_beats_the_author_link() -> None:
    # The author link by the headline is the account that posted; the
    # article prints "Von X" (styled, in nested inline elements) after its
    # standfirst.
    art = _load(_page(
        "",
        '<article><h1>Erfinderinnen: eine Forscherin</h1><div class="meta"><a rel="author" href="/author/ia">Isa Angel</a>'
        '<span class="date">25. Dezember 2022</span></div><div class="text"><p><em>Ihr gelang einiges. Ein Resümee.</em></p></div>'
        '<div class="text"><p><span style="color: red"><strong>Von Mat\u00adthi\u00adas Muster</strong></span></p></div>'
        "<p>Die Forscherin hat viel entdeckt.</p></article>",
    ))
    assert art.authors == ["Matthias Muster"]


def test_personal_site_named_for_its_owner_when_nothing_else_names_anyone() -> None:
    # The h1 is the post's title; no byline, no author field: the site's
    # name says whose blog it is.
    art = _load(_page(
        "<title>Gregor Muster's Digital Home | Rivers rise again</title>",
        "<h1>Rivers rise again</h1><p>The river rose by two metres overnight.</p>",
    ))
    assert art.authors == ["Gregor Muster"]
    art = _load(_page(
        '<title>Rivers rise again</title><meta property="og:site_name" content="Das Blog von Greta Muster">',
        "<h1>Rivers rise again</h1><p>The river rose by two metres overnight.</p>",
    ))
    assert art.authors == ["Greta Muster"]
    # A possessive that is not a person's name is no author.
    art = _load(_page(
        "<title>Rivers rise again - Grandma's Blog</title>",
        "<h1>Rivers rise again</h1><p>The river rose by two metres overnight.</p>",
    ))
    assert art.authors == []


# -- a byline inside a link to another article is that article's --------------

def test_byline_inside_a_teaser_card_link_is_not_the_article_author() -> None:
    # The article names no one; a related-article card further down links
    # the whole card (headline, "Von X") to the other story: X wrote that one.
    art = _load(_page(body=(
        "<div class='content'><h1>Rivers rise again</h1>"
        "<p>The river rose by two metres overnight.</p></div>"
        "<div class='more'><a href='/world/2020/05/02/other-story'>"
        "<h3>Dams hold for now</h3><div class='author-name'>Von Jane Teaser</div></a></div>"
    )))
    assert art.authors == []


def test_byline_link_to_the_author_page_still_counts() -> None:
    # A link to the author's own page is the byline, not a teaser card.
    art = _load(_page(body=(
        "<article><h1>Rivers rise again</h1>"
        "<a href='/author/jane-doe'><span class='author-name'>Jane Doe</span></a>"
        "<p>The river rose by two metres overnight.</p></article>"
    )))
    assert art.authors == ["Jane Doe"]


# -- an author line that signs off the text after a line break ----------------

def test_author_label_after_a_line_break_at_the_end_of_the_text() -> None:
    # No byline markup; the item's text (one <div> of <br>-separated lines)
    # ends with "Autor: <a>Rechtsanwalt</a> Jane Doe".
    art = _load(_page(body=(
        "<div class='news'><h1>Rivers rise again</h1><div class='text'>"
        "The river rose by two metres overnight.<br><br>The court agreed.<br><br>"
        "Quelle: Agentur für Rechtsnews<br><br>"
        "Autor: <a href='/rechtsanwalt/'>Rechtsanwalt</a> Jane Doe</div></div>"
    )))
    assert art.authors == ["Jane Doe"]


def test_author_label_without_its_colon_after_a_line_break_is_not_a_byline() -> None:
    # "Von" starting a line of the text is a sentence, not a signature.
    art = _load(_page(body=(
        "<div class='news'><h1>Rivers rise again</h1><div class='text'>"
        "The river rose by two metres overnight.<br><br>"
        "Von Regensburg Nord aus sah man das Wasser.</div></div>"
    )))
    assert art.authors == []


# -- posts without a headline element: the post's h2 title is the anchor ------

def test_post_title_h2_under_a_site_name_h1_anchors_the_byline_search() -> None:
    # The only h1 is the site's name (a link home); the post's title is an
    # unclassed h2, with its "Posted by" line under it.
    art = _load(_page(
        '<meta property="og:title" content="Rivers rise again">',
        "<div id='top'><h1><a href='https://www.example-news.com/'>Example News</a></h1></div>"
        "<div class='post'><h2>Rivers rise again</h2>"
        "<div>Posted by Jane Doe, John Roe on 2020-05-03</div>"
        "<p>The river rose by two metres overnight.</p></div>",
    ))
    assert art.authors == ["Jane Doe", "John Roe"]


def test_member_link_whose_address_spells_the_login_names_the_poster() -> None:
    # A forum login in lower-case words ("Catch more fish") reads like no
    # person's name; the member page's address spells it, so it is the poster.
    art = _load(_page(body=(
        "<div class='thread'><h1>Rivers rise again</h1>"
        "<ul><li><span>Author</span> <a href='/members/catch-more-fish.2107/'>Catch more fish</a></li></ul>"
        "<p>The river rose by two metres overnight.</p></div>"
    )))
    assert art.authors == ["Catch more fish"]


def test_member_link_of_an_account_that_stands_for_no_one_is_not_an_author() -> None:
    art = _load(_page(body=(
        "<div class='thread'><h1>Rivers rise again</h1>"
        "<ul><li><a href='/members/admin/'>admin</a></li></ul>"
        "<p>The river rose by two metres overnight.</p></div>"
    )))
    assert art.authors == []


# -- a personal site's social account spells its owner's printed name -----------

def test_social_handle_spelling_a_name_the_header_prints_gives_the_owner() -> None:
    # Nothing names anyone; the declared account "@JaneDoe" spells the name
    # the blog's header prints as its tagline.
    art = _load(_page(
        '<meta name="twitter:creator" content="@JaneDoe">',
        "<header><span class='site-title'><a href='/'>Sprachpunkt</a></span>"
        "<span class='site-description'>Jane Doe</span></header>"
        "<article><h1>Rivers rise again</h1><p>The river rose by two metres overnight.</p></article>",
    ))
    assert art.authors == ["Jane Doe"]


def test_social_handle_not_printed_as_a_name_gives_no_author() -> None:
    # "@ExampleNews" is the site's account: the page never prints "Example
    # News" on its own, so it names no one.
    art = _load(_page(
        '<meta name="twitter:creator" content="@ExampleNews">',
        "<article><h1>Rivers rise again</h1><p>Example News reports the river rose.</p></article>",
    ))
    assert art.authors == []


def test_poster_name_then_the_post_date_under_a_post_title_names_the_poster() -> None:
    # A forum post: site-name h1, the thread's title as an h2, then the
    # poster's account name and the post's date, with no byline label.
    art = _load(_page(
        '<meta property="og:title" content="Rivers rise again">',
        "<h1><a href='https://www.example-news.com/'>Example News</a></h1>"
        "<main><h2 class='Title'>Rivers rise again</h2><div class='post'><div class='info'>"
        "<span class='PostAccountName'>riverwatch77</span><span><span>28.09.19</span><span>12:44</span></span>"
        "</div><div class='text'>The river rose by two metres overnight.</div></div></main>",
    ))
    assert art.authors == ["riverwatch77"]


def test_user_name_class_without_a_date_after_it_is_not_the_poster() -> None:
    # The same markup without the post's date: a name list, not a post header.
    art = _load(_page(
        '<meta property="og:title" content="Rivers rise again">',
        "<h1><a href='https://www.example-news.com/'>Example News</a></h1>"
        "<main><h2 class='Title'>Rivers rise again</h2><div class='info'>"
        "<span class='username'>riverwatch77</span></div>"
        "<div class='text'>The river rose by two metres overnight.</div></main>",
    ))
    assert art.authors == []


def test_paragraphs_after_the_headline_are_what_the_xpath_selected() -> None:
    """The Python walk that finds the short paragraphs after the headline
    selects what ``following::p[position() <= 6][string-length(
    normalize-space(.)) <= 100]`` selects: comments and processing
    instructions do not count, scripts do, only XPath's white space is
    collapsed, paragraphs after the heading's ancestors count too."""
    from lxml import etree

    from newsarchive.extraction.authors import _paragraphs_after

    xpath = etree.XPath("following::p[position() <= 6][string-length(normalize-space(.)) <= 100]")
    html = ("<html><body><div><h1>T</h1><p>a<!-- a comment " + "x" * 120 + " --> b</p>"
            "<p><?php echo '" + "y" * 120 + "'; ?>short</p>"
            "<p>x<script>var s = '" + "z" * 120 + "';</script></p><p>" + "\u00a0 " * 60 + "w</p>"
            "<section><p>nested <b>bold <p>inner</p></b></p></section></div>"
            "<p>" + " \t\n" * 50 + "spaces</p><p>" + "n" * 101 + "</p><p>" + "m" * 100 + "</p>"
            "<p>Von Jane Doe</p></body></html>")
    doc = lxml.html.document_fromstring(html)
    checked = 0
    for el in doc.iter(etree.Element):
        assert _paragraphs_after(el) == xpath(el), el.tag
        checked += 1
    assert checked > 10
    heading = doc.find(".//h1")
    texts = ["".join(p.itertext())[:12] for p in _paragraphs_after(heading)]
    # The script's text counts (too long); the comment and the PI do not.
    assert texts[:2] == ["a b", "short"] and len(_paragraphs_after(heading)) == 4
    # Past the sixth paragraph nothing is taken, short or not.
    assert all("Von Jane" not in t for t in texts)


def test_lede_byline_found_beyond_the_headline_block() -> None:
    art = _load(_page(
        _person("Web Desk"),
        "<article><header><h1>Rivers rise again</h1></header>"
        "<div class='text'><p>Ein Beitrag von Jane Doe</p><p>" + "Text. " * 40 + "</p></div></article>",
    ))
    assert art.authors == ["Jane Doe"]


def test_author_meta_holding_the_sites_name_is_not_taken_as_the_owner() -> None:
    # The club behind example-club.de in the author meta tag: not a person,
    # and not the owner of a personal site (that needs the site's very name).
    art = _load(_page(
        '<meta name="author" content="EFC Example Club">'
        "<title>EFC Example Club Regensburg - Rivers rise again</title>",
        "<table><tr><td>Rivers rise again</td></tr><tr><td><p>The river rose.</p></td></tr></table>",
    ), url="http://example-club.de/modules/news/article.php?storyid=504")
    assert art.authors == []


def test_personal_site_named_after_its_owner_still_names_the_owner() -> None:
    art = _load(_page(
        '<meta name="author" content="Jane Doe"><meta property="og:site_name" content="Jane Doe">',
        "<article><h1>Rivers rise again</h1><p>The river rose.</p></article>",
    ), url="https://janedoe.example/rivers")
    assert art.authors == ["Jane Doe"]


def test_place_in_its_own_author_element_after_the_agency_is_not_the_author() -> None:
    art = _load(_page(
        "",
        "<article><h1>Rivers rise again</h1><p>Lead</p><p>More</p><p>More</p><div class='article-author'>"
        "<a class='article-author__name' href='/author/reuters'>Reuters, </a>"
        "<span class='article-author__name'> Washington, </span></div><p>The river rose.</p></article>",
    ))
    assert art.authors == []


_POST = (
    "<table><tr><td class='itemHead'><span class='itemTitle'>News : Rivers rise again</span></td></tr>"
    "<tr><td class='itemInfo'><span class='itemPoster'>Geschrieben von "
    "<a href='http://example-club.de/userinfo.php?uid=6'>Cooper</a></span>"
    " <span class='itemPostDate'>am 25.08.2015 22:30</span></td></tr>"
    "<tr><td><p>The river rose by two metres overnight.</p></td></tr></table>"
)


def test_labelled_link_to_a_members_page_names_the_poster() -> None:
    # Community software's byline: a label, then a link to the poster's page,
    # in no byline markup and far from any heading.
    art = _load(_page("<title>Example Club - Rivers rise again</title>", _POST),
                url="http://example-club.de/modules/news/article.php?storyid=504")
    assert art.authors == ["Cooper"]


@pytest.mark.parametrize("body", [
    # A reader's comment signed the same way.
    "<table><tr><td><p>The river rose.</p></td></tr></table><div class='comments'><p>Posted by "
    "<a href='/user/jane77'>jane77</a></p></div>",
    # A sentence that ends with "by", not a label.
    "<table><tr><td><p>The river rose, as was reported by <a href='/profile/jane'>Jane</a>.</p></td></tr></table>",
])
def test_member_link_in_a_comment_or_a_sentence_is_not_the_byline(body: str) -> None:
    art = _load(_page("<title>Rivers rise again</title>", body), url="http://forum.example.org/t/123")
    assert art.authors == []


def test_printed_byline_is_the_byline_not_the_box_around_it() -> None:
    # A "byline-block" holds the byline, its date and the comment count; the
    # byline as printed is the inner byline, not the whole box.
    art = _load(_page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
        ' "author": [{"@type": "Person", "name": "Maria Okafor"}, {"@type": "Person", "name": "Tom Reyes"}]}'
        "</script>",
        '<article><h1>Rivers rise again</h1><div class="byline-block">'
        '<span class="byline">By <a rel="author" href="/profile/maria-okafor">Maria Okafor</a> and '
        '<a rel="author" href="/profile/tom-reyes">Tom Reyes</a></span>'
        '<time datetime="2024-03-12T08:15:00+00:00">Tuesday 12 March 2024 08:15 GMT</time>'
        '<a class="comment-count" href="#comments">18 comments</a></div>'
        "<p>The river rose by two metres overnight.</p></article>",
    ))
    assert art.authors == ["Maria Okafor", "Tom Reyes"]
    assert art.byline == "By Maria Okafor and Tom Reyes"


@pytest.mark.parametrize(("text", "expected"), [
    ("By AFP", "AFP"), ("Von dpa und AFP", "dpa und AFP"), ("AFP/Reuters", "AFP/Reuters"),
    ("By The Associated Press", "The Associated Press"), ("Par AFP", "AFP"),
    ("By Jane Doe", None), ("By AFP staff", None), ("By Staff", None), ("", None), (None, None),
])
def test_agency_credit_is_a_byline_of_agencies_only(text: str | None, expected: str | None) -> None:
    from newsarchive.extraction.authors import agency_credit

    assert agency_credit(text) == expected


def test_unmarked_agency_byline_is_the_byline_but_names_no_author() -> None:
    # Authors are persons: "By AFP" credits the agency, which stays in
    # ``byline`` only.
    art = _load(_page("", '<h1>Rivers rise again</h1><div class="story"><span class="by">By AFP</span>'
                          "<br><br>The river rose by two metres overnight, the regional authorities said.</div>"))
    assert art.authors == []
    assert art.byline == "AFP"
    art = _load(_page("", '<h1>Rivers rise again</h1><p>By Jane Doe</p><p>The river rose by two metres.</p>'))
    assert art.authors == ["Jane Doe"] and art.byline == "By Jane Doe"


@pytest.mark.parametrize("page, byline", [
    # Printed in a byline box: the credit without its "By".
    (_page("", '<h1>Rivers rise again</h1><p class="byline">By AFP</p><p>The river rose by two metres.</p>'),
     "AFP"),
    # Declared only in structured data: JSON-LD text, an Organization, microdata.
    (_page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
           ' "author": "AFP"}</script>', "<h1>Rivers rise again</h1><p>The river rose by two metres.</p>"), "AFP"),
    (_page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
           ' "author": {"@type": "Organization", "name": "Reuters"}}</script>',
           "<h1>Rivers rise again</h1><p>The river rose by two metres.</p>"), "Reuters"),
    (_page("", '<article itemscope itemtype="https://schema.org/BlogPosting"><h1 itemprop="headline">Rivers'
               ' rise again</h1><span itemprop="author">AFP</span><p>The river rose by two metres.</p></article>'),
     "AFP"),
    # An Organization that is not an agency is no byline of its own.
    (_page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Rivers rise again",'
           ' "author": {"@type": "Organization", "name": "Coast Times"}}</script>',
           "<h1>Rivers rise again</h1><p>The river rose by two metres.</p>"), None),
])
def test_an_agency_credit_is_the_byline_wherever_it_is_given(page: str, byline: str | None) -> None:
    # usertest8: a wire story credited only in its structured data lost the credit.
    art = _load(page)
    assert art.authors == []
    assert art.byline == byline
