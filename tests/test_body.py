"""Body extraction on small hand-made pages, one test per class of error the
corpus showed (see notes/readme-extraction.md)."""
from __future__ import annotations

import json

from newsarchive.extraction import body as body_mod
from newsarchive.extraction.config import ExtractionConfig, ExtraRule
from newsarchive.extraction.page import extract_article, load_article

URL = "https://news.example.com/2024/05/01/story.html"

P1 = ("The council voted on Tuesday to close the old bridge, ending a debate that had run for "
      "more than a decade and divided the town along familiar lines.")
P2 = ("Engineers said the structure, built in 1887, could no longer carry modern traffic, and that "
      "repairs would cost more than a new crossing downstream.")
P3 = ("Residents who live near the river, many of whom cross it twice a day, said they feared "
      "longer journeys, though most accepted that the bridge had to go.")
P4 = ("The new crossing is due to open in the spring of next year, the council said, with a "
      "footpath and a cycle lane on each side of the road.")


def page(article_html: str, *, head: str = "", outside: str = "") -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><title>Bridge to close</title>{head}</head>
<body><header class="site-header"><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><h1>Council votes to close the old bridge</h1>{article_html}</main>{outside}
<footer class="site-footer"><p>© 2024 Example News. All rights reserved.</p></footer></body></html>"""


def body_of(html: str, **kwargs) -> str:
    return extract_article(html.encode("utf-8"), URL, **kwargs).body or ""


def test_paragraphs_split_by_ads_are_all_kept():
    html = page(f"""<div class="story-body"><p>{P1}</p><p>{P2}</p>
      <div class="ad-slot"><span>Advertisement</span></div><p>{P3}</p>
      <div id="gpt-ad-2"></div><p>{P4}</p></div>""")
    text = body_of(html)
    assert text.split("\n\n") == [P1, P2, P3, P4]


def test_lists_subheadings_and_quotes_inside_the_article_are_kept():
    html = page(f"""<article class="post"><div class="entry-content"><p>{P1}</p>
      <h2>What happens next</h2><ul><li>The bridge closes on 1 June for all traffic.</li>
      <li>A ferry will run every twenty minutes until the new crossing opens.</li></ul>
      <blockquote><p>"We have waited long enough for this decision," said the mayor.</p></blockquote>
      <p>{P2}</p><p>{P3}</p></div></article>""")
    text = body_of(html)
    for part in ("What happens next", "The bridge closes on 1 June", "A ferry will run",
                 "We have waited long enough", P1, P2, P3):
        assert part in text


def test_lede_block_before_the_body_container_is_kept():
    lede = ("Drivers face a twenty-mile detour from June after the council decided to close the "
            "town's oldest bridge for good.")
    meta = '<meta name="description" content="The bridge is closing: what it means for you.">'
    html = page(f"""<div class="article-header"><div class="lede"><p class="lead">{lede}</p></div></div>
      <div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div>""", head=meta)
    text = body_of(html)
    assert text.startswith(lede)
    assert P4 in text


def test_the_standfirst_is_not_repeated_in_the_body_but_a_plain_first_paragraph_is():
    dek = "Drivers face a twenty-mile detour from June after the council decided to close the bridge."
    meta = f'<meta name="description" content="{dek}">'
    html = page(f"""<div class="article-header"><p class="standfirst">{dek}</p></div>
      <div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""", head=meta)
    assert body_of(html).startswith(P1)
    # The same text as a plain first paragraph (sites often copy it into the
    # meta description) is article text.
    html = page(f'<div class="article-body"><p>{dek}</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>', head=meta)
    assert body_of(html).startswith(dek)


def test_text_in_divs_without_paragraphs_is_kept():
    html = page(f"""<div class="content"><div>{P1}<br><br>{P2}</div><div>{P3}</div></div>""")
    text = body_of(html)
    assert P1 in text and P2 in text and P3 in text


def test_captions_and_credits_are_dropped_and_recorded():
    html = page(f"""<div class="article-body"><p>{P1}</p>
      <figure><img src="/bridge.jpg"><figcaption>The bridge in 1920 <span class="credit">(Town archive)</span></figcaption></figure>
      <p>{P2}</p><div class="wp-caption"><img src="/b.jpg"><p class="wp-caption-text">The river at dusk</p></div>
      <p>{P3}</p></div>""")
    article = extract_article(html.encode(), URL)
    assert "The bridge in 1920" not in article.body
    assert "The river at dusk" not in article.body
    assert any(d.rule == "caption" and "The bridge in 1920" in d.text for d in article.dropped)


def test_byline_and_dateline_repeated_in_the_body_are_dropped():
    html = page(f"""<div class="article-body"><p>By Jane Doe and John Roe</p>
      <p>Published: 1 May 2024 10:00 BST</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""",
                head='<meta name="author" content="Jane Doe"><meta name="author" content="John Roe">')
    text = body_of(html)
    assert "Jane Doe" not in text
    assert "Published" not in text
    assert text.startswith(P1)


def test_promo_boxes_are_dropped_whole_with_their_heading():
    html = page(f"""<div class="article-body"><p>{P1}</p>
      <div class="sc-x1"><h3>Sign up for our morning newsletter</h3>
        <p>Get the day's most important stories delivered to you every morning, free.</p></div>
      <p>{P2}</p>
      <div class="sc-x2"><h3>Related articles</h3><ul><li><a href="/a">Town votes on parking</a></li>
        <li><a href="/b">Ferry firm wins contract</a></li><li><a href="/c">Mayor re-elected</a></li></ul></div>
      <p>{P3}</p></div>""")
    article = extract_article(html.encode(), URL)
    assert article.body.split("\n\n") == [P1, P2, P3]
    rules = {d.rule for d in article.dropped}
    assert {"newsletter", "related"} <= rules


def test_comments_author_bio_share_bar_are_dropped():
    html = page(f"""<article><div class="entry-content"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
      <div class="share-tools"><a href="#">Share on Facebook</a><a href="#">Share on X</a></div>
      <div class="author-bio"><p>Jane Doe has covered local politics for the paper since 2009, and
        lives by the river with two cats and far too many bicycles.</p></div></article>
      <div id="comments" class="comments-area"><h2>3 comments</h2><ol class="comment-list">
      <li class="comment"><p>I have crossed that bridge every day for forty years, and I will miss it dearly.</p></li>
      <li class="comment"><p>About time too, it has been falling apart since I was a child, honestly.</p></li></ol></div>""")
    text = body_of(html)
    assert text.split("\n\n") == [P1, P2, P3]


def test_a_long_comment_thread_does_not_win_over_the_article():
    comments = "".join(
        f'<li class="comment"><div class="comment-body"><p>Reader comment number {i}, which goes on '
        f'at some length, with commas, opinions, and more opinions, about the bridge.</p></div></li>'
        for i in range(30))
    html = page(f"""<div class="article-body"><p>{P1}</p><p>{P2}</p></div>
      <section id="comments"><ol class="commentlist">{comments}</ol></section>""")
    text = body_of(html)
    assert text.split("\n\n") == [P1, P2]


def test_layout_classes_naming_ads_or_sidebars_do_not_drop_the_article():
    html = page(f"""<div class="non-ad-column l-sidebar-fixed has-comments">
      <div class="article-text"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></div>""")
    assert body_of(html).split("\n\n") == [P1, P2, P3]


def test_sidebar_aside_is_not_taken_with_the_article():
    sidebar = " ".join(["This sidebar has a long text about the archive of the town, with commas."] * 6)
    html = page(f"""<div class="wrap"><div class="post-body"><p>{P1}</p><p>{P2}</p></div>
      <aside class="widget-col"><div class="textwidget"><p>{sidebar}</p></div></aside></div>""")
    assert "sidebar" not in body_of(html)


def test_article_split_in_sibling_sections_is_taken_whole():
    sections = "".join(
        f'<div class="outline-2"><h2>Part {i}</h2><div class="outline-text"><p>{p}</p><p>{p}</p></div></div>'
        for i, p in enumerate([P1, P2, P3, P4]))
    html = page(f'<div id="content">{sections}</div>')
    text = body_of(html)
    assert all(p in text for p in (P1, P2, P3, P4))


def test_reference_list_does_not_outscore_the_article():
    refs = "".join(f"<li>Author {i}, A., Other, B., and Third, C. A long reference title, with commas, "
                   f"Journal of Things, vol. {i}, pp. 1-20, 2019.</li>" for i in range(40))
    html = page(f"""<div class="article-body"><section class="abstract"><p>{P1}</p><p>{P2}</p></section>
      <section class="refs"><h2>References</h2><ol class="references">{refs}</ol></section></div>""")
    text = body_of(html)
    assert P1 in text and P2 in text


def test_comma_separated_link_lists_are_not_prose():
    names = ", ".join(f'<a href="/u/{i}">user{i}</a>' for i in range(80))
    html = page(f"""<div class="chapter"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
      <div id="kudos"><p>{names} left kudos on this work!</p></div>""")
    text = body_of(html)
    assert P1 in text and "user5" not in text


def test_a_newsletter_line_does_not_drop_a_whole_long_article():
    paras = "".join(f"<p>{p}</p>" for p in (P1, P2, P3, P4) * 3)
    html = page(f'<div class="entry-content"><p>SIGN UP FOR OUR NEWSLETTER</p>{paras}</div>')
    text = body_of(html)
    assert "NEWSLETTER" not in text and P4 in text


def test_labels_in_other_languages_are_dropped():
    de = ("Der Stadtrat hat am Dienstag beschlossen, die alte Brücke zu schließen, nach einer "
          "Debatte, die mehr als zehn Jahre gedauert hat.")
    es = "El ayuntamiento decidió el martes cerrar el viejo puente, tras un debate de más de diez años."
    html = page(f"""<div class="artikel-text"><p>{de}</p><p>Anzeige</p><p>Lesen Sie auch</p><p>{de}</p>
      <p>Publicidad</p><p>{es}</p><p>Te puede interesar</p><p>{es}</p></div>""")
    text = body_of(html)
    for label in ("Anzeige", "Lesen Sie auch", "Publicidad", "Te puede interesar"):
        assert label not in text
    assert de in text and es in text


def test_link_only_paragraph_teasers_are_dropped():
    html = page(f"""<div class="article-body"><p>{P1}</p><p><a href="/other">Town votes on parking fees</a></p>
      <p>{P2}</p><p>{P3}</p></div>""")
    assert "parking" not in body_of(html)


def test_hidden_elements_are_dropped():
    html = page(f"""<div class="article-body"><p>{P1}</p><div style="display: none"><p>Hidden text that
      a reader never sees, such as a template for a pop-up box.</p></div><p>{P2}</p><p>{P3}</p></div>""")
    assert "Hidden text" not in body_of(html)


def test_headline_repeated_in_the_container_is_dropped():
    html = page(f"""<article><h1>Council votes to close the old bridge</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>""")
    assert "Council votes" not in body_of(html)


def test_site_css_rule_drops_its_box():
    html = page(f"""<div class="article-body"><p>{P1}</p><div class="podcast-plug"><p>Listen to our
      podcast about bridges, every Friday, wherever you get your podcasts.</p></div><p>{P2}</p><p>{P3}</p></div>""")
    config = ExtractionConfig(extra_rules=(ExtraRule("example-podcast", "div.podcast-plug", kind="css"),))
    article = extract_article(html.encode(), URL, config=config)
    assert "podcast" not in article.body
    assert any(d.rule == "example-podcast" for d in article.dropped)


def test_site_css_rule_reads_element_names_as_html_does():
    # The site file's check compiles a css rule as HTML (element names in any
    # case), extraction compiled it as XML: "DIV.podcast-plug" loaded and then
    # matched nothing on any page.
    html = page(f"""<div class="article-body"><p>{P1}</p><div class="podcast-plug"><p>Listen to our
      podcast about bridges, every Friday, wherever you get your podcasts.</p></div><p>{P2}</p><p>{P3}</p></div>""")
    config = ExtractionConfig(extra_rules=(ExtraRule("example-podcast", "DIV.podcast-plug", kind="css"),))
    assert "podcast" not in extract_article(html.encode(), URL, config=config).body


def _ld(body_text: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Bridge",
            "articleBody": body_text}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_article_body_used_only_when_the_page_has_little_text():
    full = "\n\n".join([P1, P2, P3, P4] * 2)
    # A script-rendered page: the markup holds no article text.
    html = page('<div id="app"><p>Loading…</p></div>', head=_ld(full))
    assert P4 in body_of(html)
    # A teaser articleBody never replaces a full page.
    html = page(f'<div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p></div>',
                head=_ld(P1[:80] + "…"))
    assert body_of(html).split("\n\n") == [P1, P2, P3, P4]


def test_bad_input_never_raises():
    for data in (b"", b"   ", b"\x00\x01\x02binary", b"%PDF-1.4 ...", b"<html><body><p>unclosed <div><b>",
                 "plain text, no markup at all", b"\xff\xfe\x00garbage"):
        article = load_article(data, URL)
        assert article.url == URL
    article = extract_article(b"<html><body><p>" + P1.encode() + b"</p></body></html>", URL,
                              headers={"Content-Type": "application/pdf"})
    assert not article.body


def test_charset_from_header_then_meta_then_utf8():
    text = "Le conseil a décidé de fermer le vieux pont, après un débat de plus de dix ans, à l'unanimité."
    latin = f'<html><head><meta charset="iso-8859-1"></head><body><div><p>{text}</p></div></body></html>'
    assert text in (load_article(latin.encode("latin-1"), URL).body or "")
    # The HTTP header wins over a wrong <meta>.
    wrong_meta = latin.replace("iso-8859-1", "utf-8").encode("latin-1")
    assert text in (load_article(wrong_meta, URL, headers={"Content-Type": "text/html; charset=ISO-8859-1"}).body or "")
    # No declaration at all: UTF-8, or the guessed codec when the page is not UTF-8.
    bare = f"<html><body><div><p>{text}</p></div></body></html>"
    assert text in (load_article(bare.encode("utf-8"), URL).body or "")
    assert text in (load_article(bare.encode("latin-1"), URL).body or "")
    # A <meta> claiming UTF-16 on an ASCII-readable page is read as UTF-8.
    utf16_meta = f'<html><head><meta charset="utf-16"></head><body><div><p>{text}</p></div></body></html>'
    assert text in (load_article(utf16_meta.encode("utf-8"), URL).body or "")


def test_token_rules_match_words_not_substrings():
    rule = body_mod.boilerplate.attribute_rule_for
    assert rule("ad-slot") == "advertisement"
    assert rule("header") is None and rule("loaded") is None
    assert rule("commentary") is None
    assert rule("comments-open") is None
    assert rule("relatedArticles") == "related"
    assert rule("non-ad-column") is None
    # Run-together names are caught by stems, with their exceptions.
    assert rule("sect_commentlinks") == "comments"
    assert rule("commentator-box") is None
    assert rule("artDetailAutor__text") == "author-bio"
    assert rule("editorial-disclosure") == "disclosure"
    assert rule("td-post-next-prev") == "related"
    assert rule("entry-content-read-more") is None  # the article text, "read more" expander


def test_footer_inside_the_article_is_dropped():
    html = page(f"""<article><div class="text"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
      <footer><p>Filed in Local news by the newsroom team, who can be reached at the usual address.</p></footer></article>""")
    assert "Filed in" not in body_of(html)


def test_comment_and_search_forms_are_dropped():
    html = page(f"""<div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>
      <form action="/comment"><fieldset><legend>Who are you?</legend><p>Leave an empty line between
      paragraphs to make your comment easier to read for everyone.</p></fieldset></form></div>""")
    assert "empty line" not in body_of(html)


def test_deck_heading_and_teaser_intro_are_ledes_unless_they_are_the_standfirst():
    meta = '<meta name="description" content="The bridge is closing: what it means for you.">'
    deck = "Residents say the closure will add twenty minutes to their journeys, and that the town was not asked."
    html = page(f"""<div class="top"><h2 class="article-deck">{deck}</h2></div>
      <div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""", head=meta)
    assert body_of(html).startswith(deck)
    intro = "The old bridge has stood for 137 years; from June, it will carry nobody at all, the council decided."
    html = page(f"""<div class="article-teaser-intro"><p>{intro}</p></div>
      <div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""", head=meta)
    assert body_of(html).startswith(intro)


def test_gallery_captions_are_the_text_of_a_gallery_page():
    slides = "".join(
        f'<figure class="slide"><img src="/s{i}.jpg"><figcaption class="slide-caption"><p>{p}</p></figcaption></figure>'
        for i, p in enumerate((P1, P2, P3, P4, P1 + " Again.")))
    html = page(f'<article class="gallery"><div class="slides">{slides}</div><p>Five bridges.</p></article>')
    text = body_of(html)
    assert P1 in text and P4 in text
    # On an ordinary article the same captions stay out.
    html = page(f"""<div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p>
      <figure><img src="/a.jpg"><figcaption>The old bridge in the snow, seen from the east bank</figcaption></figure></div>""")
    assert "snow" not in body_of(html)


def test_hidden_text_is_dropped_even_when_long_unless_named_as_the_content():
    html = page(f"""<article><div style="visibility: hidden"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>
      <div><p>{P4}</p><p>{P4}</p></div></article>""")
    assert P1 not in body_of(html)
    # A paywalled body hidden by style but named as the content is the article.
    html = page(f"""<article><div class="teaser"><p>{P1[:60]}…</p></div>
      <div class="paywall-full-content" style="display:none;"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article>""")
    assert P2 in body_of(html)


def test_paragraph_of_linked_story_headlines_is_dropped_but_short_linked_names_stay():
    stories = "<br><br>".join(
        f'-<a href="/news/{i}">{title}</a>' for i, title in enumerate((
            "Flooding closes the coastal road for a second week running",
            "Library extension wins a national architecture prize",
            "School meals to be free for every pupil from September")))
    brands = "<br>".join(f'<a href="/b/{n}">{n}</a>' for n in ("Acme", "Birch & Co", "Corvid"))
    html = page(f"""<div class="story-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>
      <p>Makers we tested:<br>{brands}</p><span>More local news</span><p>{stories}</p></div>""")
    text = body_of(html)
    assert P3 in text
    assert "Flooding closes the coastal road" not in text
    assert "School meals to be free" not in text
    assert "Birch & Co" in text  # short names are content, not a list of other stories


def test_lightbox_enlarge_label_and_its_caption_are_dropped():
    # German: the label runs into the caption; a sentence would say "Vergrößern Sie".
    html = page(f"""<div class="story-body"><p>{P1}</p>
      <div class="img-wrap"><a href="/big.jpg"><strong>Vergrößern</strong></a>
        <strong class="title">Die alte Brücke vom Nordufer aus gesehen, 1910.</strong></div>
      <div class="img-wrap"><a href="/big2.jpg">Click to enlarge</a></div>
      <p>{P2}</p><p>{P3}</p>
      <p>Vergrößern Sie die Karte, um die Umleitung durch die drei Dörfer zu sehen.</p>
      <p>Enlarge the map to see the detour, which runs through three villages and adds twenty minutes.</p></div>""")
    text = body_of(html)
    assert "vom Nordufer" not in text
    assert "enlarge" not in text.lower().replace("enlarge the map", "")
    assert P2 in text
    assert "Vergrößern Sie die Karte" in text  # the verb in a sentence is text
    assert "Enlarge the map to see the detour" in text


def test_press_contact_block_is_dropped():
    contact = ("<p>Press contact<br>Jane Example<br>Head of communications<br>"
               "Tel.: +44 20 7946 0000<br>E-mail: press@example.com</p>")
    contact_de = "<p>Max Mustermann<br>E-Mail: presse@example.de<br>Telefon: +49 40 123456</p>"
    html = page(f'<div class="story-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>{contact}{contact_de}</div>')
    text = body_of(html)
    assert P3 in text
    assert "Jane Example" not in text and "Max Mustermann" not in text


def test_video_page_whose_only_text_is_the_teaser_caption_keeps_it():
    teaser = ("New York is the centre of the pandemic in the United States. Sport has come to a halt "
              "as well, and the leagues do not know when they can play again.")
    html = f"""<html><head><title>Sport stops</title></head><body><h1>Sport stops</h1>
      <div class="player"><figure><video src="/v.mp4"></video>
        <figcaption class="caption"><p>{teaser}</p><p>2 min</p><p>Video available until 28.02.2021</p></figcaption>
      </figure></div><footer class="site-footer"><p>© 2024 Example TV. All rights reserved.</p></footer></body></html>"""
    text = body_of(html)
    assert teaser in text
    assert "2 min" not in text and "available until" not in text


def test_excerpt_equal_to_the_standfirst_stays_in_the_body():
    # A CMS "excerpt" (or "epigraph") is the opening of the text itself,
    # even when the loader also takes it as the standfirst.
    intro = ("Since December the council has sent hundreds of letters to drivers who cross the "
             "old bridge, and most of them were wrong.")
    meta = f'<meta name="description" content="{intro}">'
    html = page(f"""<header class="entry-header"><div class="entry-excerpt"><p>{intro}</p></div></header>
      <div class="entry-content"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""", head=meta)
    article = extract_article(html.encode(), URL)
    assert article.body.startswith(intro)
    epigraph = page(f"""<div class="epigraph-container"><h2 class="epigraph">{intro}</h2></div>
      <div class="entry-content"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""", head=meta)
    assert intro in body_of(epigraph)
    dek = page(f"""<header><h2 class="article__dek">{intro}</h2></header>
      <div class="entry-content"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""", head=meta)
    assert intro not in body_of(dek)  # a dek is a subtitle: kept in Article.standfirst only


def test_teaser_box_under_the_headline_is_the_lede_but_linked_teasers_are_not():
    lede = ("Drivers face a twenty-mile detour from June after the council decided to close the "
            "town's oldest bridge for good.")
    html = f"""<html><head><title>Bridge</title></head><body>
      <div class="article-header"><h1>Council votes to close the old bridge</h1>
        <div class="artikel-teaser"><p>{lede}</p></div></div>
      <div class="article-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>
        <div class="teaser-list"><p><a href="/other">A new ferry will cross the river from the summer onwards.</a></p></div></div>
      </body></html>"""
    text = body_of(html)
    assert text.startswith(lede)
    assert "A new ferry" not in text


def test_cms_submitted_by_line_is_a_byline():
    html = page(f"""<div class="node"><p>Submitted by jdoe on 24 July 2017 - 18:55</p>
      <div class="field-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></div>""")
    text = body_of(html)
    assert "Submitted by" not in text and P1 in text


def test_label_left_dangling_before_an_embed_is_dropped_but_a_sentence_stays():
    html = page(f"""<div class="story-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>
      <h2>The map to save:</h2><iframe src="https://maps.example.com/embed"></iframe></div>""")
    text = body_of(html)
    assert text.endswith(P3)
    html = page(f"""<div class="story-body"><p>{P1}</p><p>{P2}</p>
      <p>Residents were quick to share their views on the closure online:</p>
      <blockquote class="twitter-tweet"></blockquote></div>""")
    assert body_of(html).endswith("views on the closure online:")


def test_heading_of_media_on_the_same_subject_is_dropped():
    html = page(f"""<div class="story-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>
      <h4>Audios et vidéos sur le sujet</h4><div class="group"><a href="/m/1"><img src="/x.jpg"></a></div></div>""")
    text = body_of(html)
    assert "sur le sujet" not in text and text.endswith(P3)


def test_pager_between_posts_is_dropped():
    html = page(f"""<div class="story-body"><p>{P1}</p><p>{P2}</p><p>{P3}</p>
      <div class="links"><span><a href="/p/1">Vorheriges</a></span> <span><a href="/p/3">Weiter</a></span></div>
      <p>Previous post</p></div>""")
    text = body_of(html)
    assert text.endswith(P3)


def test_arrow_call_to_action_and_shop_box_heading_are_dropped():
    html = page(f"""<div class="story-body"><p>{P1}</p><p>{P2}</p>
      <p>&gt;&gt;&gt; Order the new issue now! &lt;&lt;&lt;</p><p>{P3}</p>
      <h3>Empfehlungen aus dem Example-Shop</h3></div>""")
    text = body_of(html)
    assert "Order the new issue" not in text and "Example-Shop" not in text
    assert text.endswith(P3)


def test_section_label_above_the_story_is_dropped():
    html = page(f"""<div class="story-body"><span class="kicker">Chronik</span><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>""")
    text = body_of(html)
    assert text.startswith(P1)
    html = page(f"""<div class="story-body"><p>{P1}</p><p>Chronik</p><p>{P2}</p></div>""")
    assert "Chronik" in body_of(html)  # only the very first block is a kicker


def test_two_line_breaks_separate_paragraphs_and_one_breaks_a_line():
    # An old CMS sets the whole article in one container, its paragraphs
    # separated by <br><br> (white space between the two counts too).
    html = page(f"""<div class="story">{P1}<br><br>{P2}<br>A line of its own.<br> \n <br>{P3}<br><br><br>{P4}</div>""")
    assert body_of(html) == f"{P1}\n\n{P2}\nA line of its own.\n\n{P3}\n\n{P4}"


def test_br_paragraphs_splits_on_runs_of_breaks_and_counts_links_per_paragraph():
    br = body_mod._BR
    raw = f"one{br}two{br} \n {br}three{br}{br}{br}four"
    # Linked characters up to each <br>: "two" (3) and "four" (4) are links.
    assert body_mod.br_paragraphs(raw, [0, 3, 3, 3, 3, 3], 7) == [
        [("one", 0), ("two", 3)], [("three", 0)], [("four", 4)]]
    # Breaks before the first text or after the last make no empty paragraph.
    assert body_mod.br_paragraphs(f"{br}{br}one{br}{br}", [0, 0, 0, 0], 0) == [[("one", 0)]]
    # The page's own text holds the marker: the lines' counts are unknown.
    assert body_mod.br_paragraphs(f"a{br}{br}b", [], 5) == [[("a", 0)], [("b", 0)]]


def test_agency_byline_at_the_top_of_an_old_cms_page():
    # "<span class="by">By AFP</span><br><br>": the wire story's byline is
    # recorded as such ("AFP", no person) and is not the body's first line.
    html = page(f"""<div class="story"><span class="by">By AFP</span><br><br>{P1}<br><br>{P2}<br><br>{P3}</div>""")
    article = extract_article(html.encode(), URL)
    assert article.byline == "AFP"
    assert article.authors == []
    assert article.body == f"{P1}\n\n{P2}\n\n{P3}"
    assert any(d.rule == "byline" and d.text == "By AFP" for d in article.dropped)
