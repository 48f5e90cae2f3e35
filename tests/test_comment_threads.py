"""Reader comments stay out of the body however the thread is marked up
(issue 3): by its structure (links to single comments side by side), by
schema.org microdata, by its heading ("4 thoughts on “…”", per language) or
by a class name in another language. Pages are inline strings; nothing here
touches the network."""
from __future__ import annotations

import pytest

from newsarchive.extraction.page import extract_article
from tests.test_body import P1, P2, P3, P4

URL = "https://blog.example.org/2024/05/01/old-bridge/"
ARTICLE = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P4}</p>"

C1 = "What a shame, I crossed that bridge every morning on my way to school and will miss it dearly."
C2 = "The engineers are right, the old structure was never built for lorries, and repairs cost a fortune."
C3 = "Does anyone know whether the ferry will run again while the new bridge is being built?"


def page(main: str, *, after: str = "", lang: str = "en") -> bytes:
    return f"""<!DOCTYPE html><html lang="{lang}"><head><title>Council votes to close the old bridge</title></head>
<body><div><h1>Council votes to close the old bridge</h1>{main}</div>{after}</body></html>""".encode()


def extract(html: bytes):
    return extract_article(html, URL)


def comment(n: int, text: str, *, reply: bool = True) -> str:
    # No class names at all: only the links say these are comments.
    reply_link = f'<a href="{URL}?replytocom={n}#respond">Reply</a>' if reply else ""
    return (f'<li><div><b>Reader {n}</b> says: <a href="{URL}#comment-{n}">May 2, 2024 at 9:{n:02d} am</a></div>'
            f"<p>{text}</p>{reply_link}</li>")


def test_a_thread_without_class_names_is_told_by_its_permalinks():
    thread = f"<div><h3>Discussion</h3><ol>{comment(11, C1)}{comment(12, C2)}{comment(13, C3)}</ol></div>"
    article = extract(page(f"<div>{ARTICLE}{thread}</div>"))
    assert P1 in article.body and P4 in article.body
    for text in (C1, C2, C3):
        assert text not in article.body
    assert any(d.rule == "comments" and C2 in d.text for d in article.dropped)


def test_nested_replies_go_with_their_thread():
    nested = (f'<li><div><b>Reader 21</b> says: <a href="{URL}#comment-21">May 2</a></div><p>{C1}</p>'
              f"<ol>{comment(22, C2)}</ol></li>")
    thread = f"<ol>{nested}{comment(23, C3)}</ol>"
    body = extract(page(f"<div>{ARTICLE}{thread}</div>")).body
    assert P1 in body
    for text in (C1, C2, C3):
        assert text not in body


def test_links_to_comments_inside_the_article_do_not_make_it_a_thread():
    # The article quotes two readers and links to their comments: the box
    # holding those links holds the article too, not only comments.
    quoting = (f'<p>{P1} As <a href="{URL}#comment-31">one reader wrote</a>, the bridge was loved.</p>'
               f'<p>{P2} <a href="{URL}#comment-32">Another</a> disagreed.</p><p>{P3}</p><p>{P4}</p>')
    body = extract(page(f"<div>{quoting}</div>")).body
    for text in (P1, P2, P3, P4):
        assert text in body


def test_one_comment_with_its_reply_link_is_not_a_thread_of_two():
    # A permalink and a reply link name the same comment: nothing to infer,
    # and the article beside it stays whole.
    html = page(f"<div>{ARTICLE}</div><ol>{comment(41, C1)}</ol>")
    body = extract(html).body
    assert P1 in body and P4 in body


def test_schema_org_comment_boxes_are_dropped():
    comments = "".join(
        f'<div itemscope itemtype="https://schema.org/Comment"><span itemprop="author">Reader {n}</span>'
        f'<div itemprop="text"><p>{text}</p></div></div>'
        for n, text in ((1, C1), (2, C2)))
    article = extract(page(f"<div>{ARTICLE}</div>{comments}"))
    assert P1 in article.body
    assert C1 not in article.body and C2 not in article.body


def test_a_user_comments_box_is_dropped():
    box = (f'<section itemscope itemtype="http://schema.org/UserComments"><p>{C1}</p>'
           f"<p>{C2}</p><p>{C3}</p></section>")
    body = extract(page(f"<div>{ARTICLE}{box}</div>")).body
    assert P1 in body and C1 not in body and C3 not in body


@pytest.mark.parametrize("lang,heading", [
    ("en", "4 thoughts on “Council votes to close the old bridge”"),
    ("en", "One response to \"Council votes to close the old bridge\""),
    ("de", "4 Gedanken zu „Council votes to close the old bridge“"),
    ("fr", "3 réflexions sur « Council votes to close the old bridge »"),
    ("es", "2 comentarios en «Council votes to close the old bridge»"),
])
def test_a_thread_is_told_by_the_heading_themes_print_over_it(lang, heading):
    # No permalinks and no class names: only the heading says what follows.
    thread = f"<div><h2>{heading}</h2><div><p>{C1}</p></div><div><p>{C2}</p></div></div>"
    body = extract(page(f"<div>{ARTICLE}{thread}</div>", lang=lang)).body
    assert P4 in body
    assert C1 not in body and C2 not in body


def test_a_section_heading_without_quotes_is_article_text():
    section = f"<h2>Three thoughts on the new bridge</h2><p>{P3}</p><p>{P4}</p>"
    body = extract(page(f"<div><p>{P1}</p><p>{P2}</p>{section}</div>")).body
    assert "Three thoughts on the new bridge" in body and P4 in body


@pytest.mark.parametrize("word", ["reacties", "komentarze", "kommentarer"])
def test_comment_boxes_named_in_other_languages(word):
    box = f'<div class="{word}"><p>{C1}</p><p>{C2}</p></div>'
    body = extract(page(f"<div>{ARTICLE}</div>{box}")).body
    assert P1 in body and C1 not in body and C2 not in body


def test_an_article_quoting_linked_comments_paragraph_by_paragraph_is_kept():
    # "The best of this week's comments": every paragraph quotes a reader and
    # links to the comment, so the links' paragraphs are all of the text.
    roundup = "".join(
        f'<p>{text} <a href="{URL}#comment-{n}">Reader {n}</a> wrote under our story on the bridge.</p>'
        for n, text in ((51, C1), (52, C2), (53, C3), (54, P1)))
    body = extract(page(f"<div>{roundup}</div>")).body or ""
    for text in (C1, C2, C3, P1):
        assert text in body


def test_a_main_column_and_a_recent_comments_sidebar_are_not_a_thread():
    """A page's main column (linking to a comment on this article) and a
    sidebar's "recent comments" widget (linking to comments on others) both
    hold comment links and, side by side, all of the page's text. With class
    names that say nothing (CSS-in-JS hashes), the box holding both was
    taken for a thread and the whole article dropped as comments."""
    others = "".join(f'<li><a href="https://blog.example.org/2024/04/{n:02d}/other/#comment-{n}">'
                     f"Reader {n}</a> on Another story number {n}</li>" for n in range(40, 45))
    main = f'<div class="css-1e93jg3">{ARTICLE}<p><a href="{URL}#comment-57">1 comment</a></p></div>'
    sidebar = f'<div class="css-lwahpw"><h4>Recent comments</h4><ul>{others}</ul></div>'
    # The headline in a page header above both, as the theme sets it.
    html = (f"<!DOCTYPE html><html><head><title>Old bridge</title></head><body>"
            f'<header class="css-9x2k1"><h1>Council votes to close the old bridge</h1></header>'
            f'<div class="css-1il15zr">{main}{sidebar}</div></body></html>').encode()
    body = extract(html).body
    assert body is not None and P1 in body and P4 in body
    assert "Another story number" not in body


def test_a_thread_of_items_sharing_a_hashed_class_is_still_a_thread():
    items = "".join(comment(n, text).replace("<li>", '<li class="css-k3j2h1">', 1)
                    for n, text in ((61, C1), (62, C2), (63, C3)))
    thread = f'<div class="css-0a9s8d"><ol class="css-77ab1c">{items}</ol></div>'
    body = extract(page(f"<div>{ARTICLE}{thread}</div>")).body
    assert P1 in body and P4 in body
    for text in (C1, C2, C3):
        assert text not in body


@pytest.mark.parametrize("item_id", ["comment-1508", "li-comment-7"])
@pytest.mark.parametrize("list_attrs", ["", ' class="css-qj46qy"'])
def test_a_list_whose_items_carry_comment_ids_is_a_thread(item_id: str, list_attrs: str):
    # One comment, no permalink and no class word (bare, or a CSS-in-JS hash):
    # only the item's id, which CMSs give every comment, tells it.
    thread = (f"<h2>Kommentare</h2><div><ul{list_attrs}><li id=\"{item_id}\"><div><h2>Ein Argument</h2>"
              f"<span>geschrieben von berg2012 am 21. Jan. 2015</span></div><p>{C1}</p></li></ul></div>")
    article = extract(page(f"<div>{ARTICLE}{thread}</div>", lang="de"))
    assert P1 in article.body and P4 in article.body
    assert C1 not in article.body
    assert any(d.rule == "comments" and C1 in d.text for d in article.dropped)
