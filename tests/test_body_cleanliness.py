"""Body cleanliness (issue 3): one small saved-HTML test per class of leak
the corpus showed, each failing without its fix. Pages are inline strings;
nothing here touches the network."""
from __future__ import annotations

import json

from newsarchive.extraction import boilerplate
from newsarchive.extraction.page import extract_article
# The same four paragraphs as the body tests: a plain local-news article.
from tests.test_body import P1, P2, P3, P4

URL = "https://news.example.com/2024/05/01/story.html"

ARTICLE = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p>"

D1 = ("Der Gemeinderat hat am Dienstag beschlossen, die alte Brücke zu schließen, und damit eine "
      "Debatte beendet, die seit mehr als zehn Jahren geführt wurde.")
D2 = ("Die Ingenieure sagten, das Bauwerk aus dem Jahr 1887 könne den heutigen Verkehr nicht mehr "
      "tragen, und eine Sanierung koste mehr als eine neue Brücke.")
D3 = ("Anwohner, die den Fluss zweimal am Tag überqueren, fürchten längere Wege, auch wenn die "
      "meisten einsehen, dass die Brücke nicht zu halten war.")


def page(article_html: str, *, outside: str = "", headline: str = "Council votes to close the old bridge",
         lang: str = "en") -> str:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><title>{headline}</title></head>
<body><header class="site-header"><nav><a href="/">Home</a></nav></header>
<main><h1>{headline}</h1>{article_html}</main>{outside}</body></html>"""


def extract(html: str):
    return extract_article(html.encode("utf-8"), URL)


def body_of(html: str) -> str:
    return extract(html).body or ""


def rules_of(html: str) -> dict[str, str]:
    return {d.text: d.rule for d in extract(html).dropped}


# --------------------------------------------------------------------------
# Structure

def test_blog_index_keeps_the_first_post_not_the_other_posts():
    # A blog's front page: the first post is long, the others are excerpts
    # under one wrapper, and a small sibling of that wrapper (a lone line)
    # once made the container climb to take them all in.
    excerpts = "".join(
        f'<div class="post-{n} post hentry"><h2><a href="/p{n}">Older post {n}</a></h2>'
        f'<div class="entry-content"><p>An older post number {n}, with a sentence or two of its own, '
        f'long enough to read like a paragraph of prose.</p></div></div>'
        for n in range(2, 6))
    html = f"""<!DOCTYPE html><html><head><title>Blog</title></head><body>
      <div id="wrapper"><div id="main"><div><p>Tagline of the blog, set as a paragraph.</p></div>
      <div id="container"><div id="content">
        <div class="post-1 post hentry"><h2><a href="/p1">Council votes to close the old bridge</a></h2>
          <div class="entry-content">{ARTICLE}<p>{P1} {P2}</p><p>{P3} {P4}</p></div></div>
        {excerpts}
      </div></div></div></div></body></html>"""
    text = body_of(html)
    assert P1 in text and P4 in text
    assert "An older post number" not in text


def test_sidebar_with_half_the_page_text_but_not_its_paragraphs_is_dropped():
    # A short article beside a long sidebar: the sidebar holds more than half
    # of the page's text (mostly link lists), which alone used to protect it
    # as "the article"; its prose boxes then pulled the container up to the
    # wrapper of both.
    links = "".join(f"<li><a href='/x{m}'>Link number {m} to somewhere else on the site</a></li>" for m in range(30))
    boxes = "".join(
        f'<div class="block"><div class="block-body"><p>Open licences for research, teaching and study, '
        f'box {n}. We visit universities, colleges and institutes, book us!</p></div></div>' for n in range(3))
    html = f"""<!DOCTYPE html><html><head><title>Council votes to close the old bridge</title></head><body>
      <div id="main"><div class="region-content"><h1>Council votes to close the old bridge</h1>
      <div class="field-item"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></div>
      <div id="sidebar-second" class="column sidebar">{boxes}<ul>{links}</ul></div></div></body></html>"""
    text = body_of(html)
    assert P1 in text and P3 in text
    assert "Open licences" not in text and "Link number" not in text


def test_microdata_author_box_is_an_author_bio():
    html = page(f"""<article class="contentarea">{ARTICLE}
      <div class="saboxplugin-wrap" itemprop="author" itemscope itemtype="https://schema.org/Person">
        <div class="saboxplugin-authorname">Paddy</div>
        <div class="saboxplugin-desc"><div itemprop="description"><p>Patrick, photographer from
        Hamburg and founder of this blog. I like every kind of photography, as long as people are in it.</p>
        </div></div></div></article>""")
    out = extract(html)
    assert P4 in (out.body or "")
    assert "photographer from" not in (out.body or "")
    assert any(d.rule == "author-bio" for d in out.dropped)


def test_related_heading_among_the_siblings_ends_the_article():
    # "Related" is a sibling of the teaser cards, not the heading of a box
    # holding them, and each card reads like prose.
    cards = "".join(
        f'<div class="post-item"><div><a href="/cat">Learn</a></div><div><h3><a href="/s{n}">Other story {n}</a></h3>'
        f'<p>Another story from the site, with a sentence of teaser text that reads like prose number {n}.</p></div></div>'
        for n in range(3))
    html = page(f"""<article><div class="wrap">
      <p class="text-large">Follow these steps to cross the river safely while the bridge is closed.</p>
      <div class="text-left">{ARTICLE}</div>
      <h3 class="section-title">Related</h3>{cards}</div></article>""")
    text = body_of(html)
    assert P1 in text and P4 in text
    assert "Another story from the site" not in text


def test_teaser_cards_after_a_related_heading_are_dropped():
    # The heading is not the first line of a box holding the cards (it sits
    # in a widget of its own, the grid in another); each card is a label, a
    # linked title and a short excerpt.
    cards = "".join(
        f'<div class="grid-item"><div class="meta">Fashion</div>'
        f'<div class="title"><a href="/s{n}"><h2>Other story {n}</h2></a></div>'
        f'<div class="excerpt">A short teaser for another story on the site, number {n}.</div></div>'
        for n in range(4))
    html = page(f"""<div class="page">{ARTICLE}
      <div class="widget"><h2>Verwandte Beiträge</h2></div>
      <div class="widget-grid">{cards}</div></div>""")
    out = extract(html)
    text = out.body or ""
    assert P1 in text and P4 in text
    assert "Other story" not in text and "short teaser" not in text
    assert any(d.rule == "teaser-cards" for d in out.dropped)


def test_linked_subheadings_of_the_article_are_kept():
    # Headings that are links (a numbered list of products, anchors) are
    # the article's own when no "Related" heading comes before them.
    items = "".join(f'<h3><a href="/item{n}">{n}. Item number {n}</a></h3><p>What you need for item {n}: '
                    f'a hat, a coat and a little patience.</p>' for n in range(5))
    html = page(f"<article>{ARTICLE}{items}</article>")
    text = body_of(html)
    assert "4. Item number 4" in text and "What you need for item 0" in text


def test_kicker_before_the_headline_is_dropped():
    html = f"""<!DOCTYPE html><html><head><title>Hay: better than its name</title></head><body>
      <article class="entry"><header><h3 class="subtitle">Reading sample: the perfect dinner</h3>
      <h1>Hay: better than its name</h1></header>{ARTICLE}</article></body></html>"""
    out = extract(html)
    assert "Reading sample" not in (out.body or "")
    assert rules_of(html).get("Reading sample: the perfect dinner") == "kicker"


def test_heading_left_last_over_a_widget_is_dropped():
    html = page(f"""<div class="entry-content">{ARTICLE}<h3>No wish to ride alone?</h3>
      <div data-widget="booking"></div><p>Powered by GetYourGuide. Become a partner.</p></div>""")
    out = extract(html)
    text = out.body or ""
    assert text.endswith(P4)
    rules = {d.text: d.rule for d in out.dropped}
    assert rules.get("No wish to ride alone?") == "dangling-heading"
    assert rules.get("Powered by GetYourGuide. Become a partner.") == "promo"


def test_boilerplate_lines_of_a_br_block_are_dropped_alone():
    html = page(f"""<div class="press">{ARTICLE}<p>Sprache: Deutsch<br>
      <a href="/feed">RSS-Feed abonnieren</a><br>
      Hinweis: Für den Inhalt der Pressemitteilung ist der Herausgeber verantwortlich.<br>
      <a href="/vorstand">Hier geht es zur neuen Vorstandsstruktur</a></p></div>""", lang="de")
    out = extract(html)
    text = out.body or ""
    assert "Sprache: Deutsch" in text
    for gone in ("RSS-Feed", "Hinweis: Für den Inhalt", "Hier geht es zur"):
        assert gone not in text


def test_small_box_ending_in_an_app_call_to_action_is_dropped():
    html = page(f"""<div class="story">{ARTICLE}<div class="action">
      <p class="heading">Tip: the sports app of our sister paper</p>
      <p>All the news of the league in one app, with highlights, live tickers and tables on your phone.</p>
      <p><a href="/app">The sports app: free now for iOS and Android!</a></p></div></div>""")
    text = body_of(html)
    assert P4 in text
    assert "highlights, live tickers" not in text and "sports app" not in text


def test_bem_element_named_legend_is_a_caption():
    html = page(f"""<div class="mainContent__body">{ARTICLE[:len(ARTICLE) // 2]}
      <figure><img src="/a.jpg" alt=""></figure>
      <div class="mainContent__legend">The two teams at the stadium | EXAMPLE NEWS</div>
      {ARTICLE[len(ARTICLE) // 2:]}</div>""")
    assert "EXAMPLE NEWS" not in body_of(html)


def test_bem_element_reading_leaves_whole_token_names_and_modifiers():
    # "__legend" names a caption; a "--social" variant of the content and a
    # box's "__footer" are not boxes of their own; "caption-style" is a look.
    assert boilerplate.attribute_rule_for("mainContent__legend") == "caption"
    assert boilerplate.attribute_rule_for("article__content--social") is None
    assert boilerplate.attribute_rule_for("product__footer") is None
    assert boilerplate.attribute_rule_for("content-header__caption-style--default") is None


# --------------------------------------------------------------------------
# Text rules (per language, in boilerplate.py)

def test_notes_about_the_text_are_disclaimers():
    judge = boilerplate.judge_block
    assert judge("Bei diesem Beitrag handelt es sich um ein Blog aus der Community") == "disclaimer"
    assert judge("Dieser Text entspricht den Vorgaben der ärztlichen Fachliteratur, medizinischen "
                 "Leitlinien sowie aktuellen Studien und wurde von Medizinern geprüft.") == "disclaimer"
    # A sentence that merely mentions physicians stays.
    assert judge("Die Studie wurde an drei Kliniken durchgeführt, sagte der Sprecher.") is None


def test_pointers_to_other_pages_and_print_promos_are_dropped():
    judge = boilerplate.judge_block
    assert judge("Alles über nachhaltige Wanderschuhe findest Du hier.") == "related"
    assert judge("Wie Apple welche Daten in der iCloud schützt, erklären wir in unserem Beitrag "
                 "iCloud: Praktischer Speicher oder Datensauger?") == "related"
    assert judge("Was Sie bei der Fütterung beachten müssen, lesen Sie in unserer Februar-Ausgabe. "
                 "Das Heft können Sie hier versandkostenfrei bestellen.") == "promo"
    assert judge("Si vous souhaitez critiquer ou développer cet article, vous êtes invité à proposer "
                 "un texte au comité de rédaction.") == "comments"
    assert judge("Hier geht es durch eine idyllische Siedlung bis zum Ufer des Sees.") is None


def test_box_headings_for_further_reading_drop_the_box():
    for heading in ("Keep Reading", "Aller plus loin", "Verwandte Beiträge"):
        html = page(f"""<div class="story">{ARTICLE}<div class="callout"><div class="h5">{heading}</div>
          <p>A long and rich reading list, with titles, authors, years and a sentence on each.</p></div></div>""")
        text = body_of(html)
        assert P4 in text and "reading list" not in text, heading


def test_counted_repeat_is_not_taken_for_a_rules_needle():
    # "[^|]{1,60}" once made "1,60" the literal a caption rule waited for.
    assert boilerplate.needle_of(r"\|\s*(foto|photo)s?\s*:\s*[^|]{1,60}$") == ":"
    assert boilerplate.judge_block("Der Bürgermeister am Montag im Rathaus | Foto: Max Muster") == "caption"


def test_article_in_bare_divs_under_a_box_name_is_kept():
    # The guard of the sidebar rule above: on a page whose text is not in
    # paragraphs, a wrapper holding most of it ("content-sidebar-wrap") is
    # the article even though its name has "sidebar" and the headline sits
    # outside it.
    html = f"""<!DOCTYPE html><html><head><title>Council votes to close the old bridge</title></head><body>
      <h1>Council votes to close the old bridge</h1>
      <div class="content-sidebar-wrap"><div>{P1}<br>{P2}</div><div>{P3}<br>{P4}</div>
      <div>{P1} {P2}<br>{P3} {P4}</div></div>
      <div class="notes"><p>A short note set in a paragraph, as pages have, long enough to count: one.</p>
      <p>A second note set in a paragraph, as pages have, long enough to count: two.</p>
      <p>A third note set in a paragraph, as pages have, long enough to count: three.</p></div></body></html>"""
    text = body_of(html)
    assert P1 in text and P4 in text


def test_credit_lines_paywall_prompts_and_marked_ads_are_dropped():
    judge = boilerplate.judge_block
    for text in ("Main image credit: Getty", "Photo Source: Markus Spiske from Pexels.",
                 "(All photos: Atlas staff)", "Words: Rudolf Fischer, Simon Kohler Photos: Simon Kohler",
                 "Ab 2025 könnte Apple seine eigenen iPhone-Akkus verbauen. (Foto: iFixit)",
                 "Traffic near the airport on the freeway (Getty/Kevork Djansezian)",
                 "Autohäuser in Thüringen dürfen wieder öffnen. (Symbolfoto) Bildrechte: IMAGO",
                 "Bildcredit: (c) yakushkina - depositphotos.com"):
        assert judge(text) == "caption", text
    assert judge("Bereits Abonnent/in? Anmelden") == "registration"
    assert judge("Unzufrieden mit Ihrem Leasingvertrag? Jetzt bequem online kündigen! (Anzeige)") == "advertisement"
    assert judge("Weiterlesen: Kein Getreide mehr: Ist glutenfreie Ernährung wirklich gesünder?") == "related"
    # An abbreviation in brackets ending a sentence is not an agency credit.
    assert judge("Das Thema mit den meisten Hindernissen: die elektronische Patientenakte (ePA)") is None


def test_headline_repeated_further_down_keeps_the_subheadings_before_it():
    html = f"""<!DOCTYPE html><html><head><title>Council votes to close the old bridge</title></head><body>
      <article><h1>Council votes to close the old bridge</h1><p>{P1}</p><h2>What happens next</h2>
      <p>{P2}</p><h1>Council votes to close the old bridge</h1><p>{P3}</p><p>{P4}</p></article></body></html>"""
    text = body_of(html)
    assert "What happens next" in text and P1 in text and P4 in text


def test_class_hidden_is_hidden_markup_but_hidden_xs_is_not():
    html = page(f"""<div class="story">{ARTICLE}
      <div class="related-slider"><span class="hidden"><span itemprop="url">https://news.example.com/img/a.jpg</span>
      <span itemprop="width">890</span></span></div>
      <div class="hidden-xs"><p>{P1} Shown on wide screens only, and part of the text.</p></div></div>""")
    text = body_of(html)
    assert "img/a.jpg" not in text
    assert "Shown on wide screens only" in text
    assert boilerplate.attribute_rule_for("hidden") == "hidden"
    assert boilerplate.attribute_rule_for("hidden-xs hidden-sm") is None


def test_soft_hyphens_and_zero_width_spaces_leave_the_body():
    # Sites that hyphenate their text put a soft hyphen inside every long
    # word; kept, "Ita­li­ens" is three words to search and to the rules.
    shy = "\u00ad"
    hyphenated = f"Die Weine Ita{shy}li{shy}ens, ne{shy}ben Ba{shy}ro{shy}lo und Bar{shy}ba{shy}res{shy}co, sind welt\u200bberühmt."
    share = f"<p>Face{shy}book Whats{shy}App E-Mail</p>"
    article = extract(page(f"<article><p>{hyphenated} {P1}</p><p>{P2}</p><p>{P3}</p>{share}</article>", lang="de"))
    assert "Die Weine Italiens, neben Barolo und Barbaresco, sind weltberühmt." in article.body
    assert shy not in article.body and "\u200b" not in article.body
    assert "WhatsApp" not in article.body  # the share bar, now read as such
    # Joiners are spelling, not decoration (Persian, Indic scripts, emoji).
    persian = f"<article><p>{P1}</p><p>{P2}</p><p>می\u200cخواهم این را بگویم که همه چیز خوب است و ما ادامه می\u200cدهیم.</p></article>"
    assert "می\u200cخواهم" in (extract(page(persian, lang="fa")).body or "")


def test_french_picture_credit_line_under_the_text():
    credit = ("Image illustrative : <a href='https://www.flickr.com/photos/x'>Lots of Lego Minifigures</a> by "
              "<a href='https://www.flickr.com/photos/y'>Ninja Brick</a>, en licence "
              "<a href='https://creativecommons.org/licenses/by/2.0/'>Creative Commons by</a>")
    text = body_of(page(f"<article>{ARTICLE}<hr><p>{credit}</p></article>", lang="fr"))
    assert P4 in text and "Image illustrative" not in text
    judge = boilerplate.judge_block
    assert judge("Photo d'illustration : AFP") == "caption"
    # A sentence about an illustration is text.
    assert judge("Image illustrative de la crise, cette photo a fait le tour du monde en quelques heures.") is None


def test_soft_hyphens_leave_a_structured_article_body_too():
    shy = "\u00ad"
    long_text = " ".join([f"Ita{shy}li{shy}ens Weine sind be{shy}rühmt, und das seit langem."] * 40)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "articleBody": long_text})
    html = (f'<html><head><script type="application/ld+json">{ld}</script></head>'
            f"<body><h1>Weine</h1><p>Ein kurzer Anriss, mehr nicht.</p></body></html>")
    text = body_of(html)
    assert "Italiens Weine sind berühmt" in text and shy not in text


def test_a_drop_cap_set_apart_goes_back_in_front_of_its_paragraph():
    # The first letter styled big in its own element before the paragraph:
    # alone it read as a one-letter kicker and was dropped ("urkey, …").
    rest = P1[1:]
    html = page(f'<div class="story"><div><span class="cap-x1">{P1[0]}</span><p>{rest[0].lower()}{rest[1:]}</p></div>'
                f"<div><p>{P2}</p></div><div><p>{P3}</p></div></div>")
    text = body_of(html)
    assert text.startswith(P1[0] + rest[0].lower() + rest[1:])
    # Letters that head something of their own stay apart: sizes "S", "M", "L".
    sizes = page(f"<div>{ARTICLE}<ul><li>S</li><li>M</li><li>L</li></ul></div>")
    assert "S\n\nM\n\nL" in body_of(sizes)


def test_share_label_with_the_services_after_it_leaves_the_body():
    # "Share this article: Facebook Twitter WhatsApp" closing the text: the
    # label alone and the services alone were dropped, not the two together.
    bars = ["Share this article: Facebook Twitter WhatsApp", "Share: Facebook Twitter WhatsApp",
            "Share this article", "Facebook Twitter WhatsApp"]
    html = page(f"<article>{ARTICLE}" + "".join(f"<p>{b}</p>" for b in bars) + "</article>")
    rules = rules_of(html)
    text = body_of(html)
    for bar in bars:
        assert bar not in text
        assert rules[bar] == "share"
    assert P4 in text


def test_generated_class_hashes_are_no_words() -> None:
    # CSS-in-JS and CSS-modules hashes hold letters that read as rule words:
    # "css-o8ad6j" as o / ad / j dropped a whole article as an advertisement.
    rule = boilerplate.attribute_rule_for
    for hashed in ("css-o8ad6j", "Body_text__3ad9x", "sc-adRtYz", "view-dom-id-2561c32c87ebb83e39e25e2c77ad3a27",
                   "orgd7109ad"):
        assert rule(hashed) is None, hashed
    # Real names with digits keep their words, and a label after a hash reads.
    assert rule("ad300x250") == "advertisement"
    assert rule("ad1") == "advertisement"
    assert rule("div-gpt-ad-1494528017690-0") == "advertisement"
    assert rule("css-1q2w3e-comments") == "comments"
    assert boilerplate.without_hashes("col-md-6") == "col-md-6"
    assert boilerplate.without_hashes("css-o8ad6j") == "css-"


def test_paragraphs_under_a_hashed_class_with_ad_letters_stay() -> None:
    paragraphs = "".join(f'<div class="css-o8ad6j css-npuu8f">{p}</div>' for p in (P1, P2, P3, P4))
    body = body_of(page(f'<div class="css-1x7e2k">{paragraphs}</div>'))
    assert P1 in body and P4 in body
