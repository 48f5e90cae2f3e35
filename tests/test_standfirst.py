"""The standfirst checks (``newsarchive.extraction.standfirst``), one
behaviour per test, then whole pages that show each error the checks fix."""
from __future__ import annotations

from newsarchive.extraction.page import extract_article
from newsarchive.extraction.standfirst import (
    ends_sentence,
    is_body_excerpt,
    is_caption,
    is_cut_off,
    is_generic_description,
    is_meta_line,
    strip_headline,
    strip_markup,
)

P1 = ("The council voted on Tuesday to close the old river bridge for two years, "
      "after engineers found cracks in three of its piers during an inspection.")
P2 = ("Drivers will face a twenty-mile detour from June, and the bus company said "
      "it would run a shuttle across the new footbridge for commuters.")
P3 = "Shops near the bridge fear they will lose customers while the work goes on."


def _page(description: str | None, body: str, head_extra: str = "", header: str = "") -> str:
    meta = f'<meta name="description" content="{description}">' if description is not None else ""
    return (f"<html><head><title>Bridge to close</title>{meta}{head_extra}</head><body>"
            f"<article><h1>Bridge to close for two years</h1>{header}"
            f'<div class="article-body">{body}</div></article></body></html>')


_BODY = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"


# -- processors ----------------------------------------------------------------

def test_cut_off_is_an_ellipsis_at_the_end() -> None:
    assert is_cut_off("An dieser Stelle habe ich ohne besonderen G…")
    assert is_cut_off("the right to buy [...]")
    assert not is_cut_off("A dek… that goes on.")


def test_ends_sentence_allows_a_closing_quote() -> None:
    assert ends_sentence('He said: "We will not accept it."')
    assert not ends_sentence("complete thanks to these")


def test_body_excerpt_cut_inside_the_first_paragraph() -> None:
    body = "\n\n".join((P1, P2))
    assert is_body_excerpt(P1[:90], body)
    # Cut at a sentence's end, it may be a dek the body repeats.
    assert not is_body_excerpt("The council voted.", "The council voted. Then it went home.\n\nMore.")


def test_body_excerpt_running_into_the_second_paragraph() -> None:
    assert is_body_excerpt(f"{P1} {P2[:40]}", f"{P1}\n\n{P2}")


def test_body_excerpt_after_a_kicker_or_byline() -> None:
    assert is_body_excerpt(f"Staff Reports {P1} {P2[:30]}", f"{P1}\n\n{P2}")


def test_the_whole_first_paragraph_is_a_dek_the_body_repeats() -> None:
    assert not is_body_excerpt(P1, f"{P1}\n\n{P2}")
    assert not is_body_excerpt(f"Editorial: {P1}", f"{P1}\n\n{P2}")
    # ... also with the byline after it, which the body does not print.
    assert not is_body_excerpt(f"{P1} By Jane Doe", f"{P1}\n\n{P2}")


def test_an_unrelated_dek_is_no_excerpt() -> None:
    assert not is_body_excerpt(P3, f"{P1}\n\n{P2}")
    assert not is_body_excerpt(None, P1)


def test_generic_description_names_the_site_or_opens_generically() -> None:
    assert is_generic_description("Raptastisch", ["Raptastisch", "raptastisch.net"])
    assert is_generic_description("Das Blog Example.de - Das Blog der Fehlfunktionen!", ["example.de"])
    assert is_generic_description("Aktuelle Meldungen, Grafiken und Hintergründe zu Strom.", [])
    assert is_generic_description("Só quem se Ama... , veja essa e outras mensagens no Site", [])
    # A plain name may be a dateline's source.
    assert not is_generic_description("LONDON (Reuters) - Shares fell on Monday.", ["Reuters"])


def test_caption_start() -> None:
    assert is_caption("Media caption Mr Obama told the BBC that gun control was his biggest frustration")
    assert is_caption("图为马素湘在澳大利亚悉尼游玩时的近影。")
    assert not is_caption("Photographers gathered outside the court.")


def test_meta_line_is_a_date_or_pipe_line_without_prose() -> None:
    assert is_meta_line("JANE DOE Nov. 20, 2019Updated: Nov. 20, 2019 1:35 a.m.")
    assert is_meta_line("Übersetzung veröffentlicht am 30 April 2019 13:10 GMT")
    assert is_meta_line("Jane Doe | Community 1 Teilen:")
    assert not is_meta_line("On 20 November 2019 the utility cut power to half a million homes.")
    assert not is_meta_line("The council voted to close the bridge.")


def test_strip_markup_drops_tags_and_embed_code() -> None:
    assert strip_markup("<p>Die Situation ist angespannt.</p>") == "Die Situation ist angespannt."
    assert strip_markup('EMBED <>More Videos <iframe src="x"></iframe> Napa County agreed.') == "Napa County agreed."
    assert strip_markup("No markup < here") == "No markup < here"


def test_strip_headline_only_when_glued() -> None:
    assert strip_headline("Vom Boden aus gedachtAnn Cotten verwebt Lokales und Globales", "Vom Boden aus gedacht") \
        == "Ann Cotten verwebt Lokales und Globales"
    text = "Was ist Freie Software und warum ist sie wichtig? Eine Einführung."
    assert strip_headline(text, "Was ist Freie Software") == text


# -- pages ---------------------------------------------------------------------

def test_a_description_cut_from_the_body_is_no_standfirst() -> None:
    article = extract_article(_page(P1[:100] + "…", _BODY), "https://example.org/a")
    assert article.standfirst is None
    # Cut without an ellipsis: only the body shows it.
    article = extract_article(_page(P1[:100], _BODY), "https://example.org/a")
    assert article.standfirst is None


def test_a_written_dek_in_the_description_stays() -> None:
    dek = "Engineers found cracks in three piers; a detour starts in June."
    assert extract_article(_page(dek, _BODY), "https://example.org/a").standfirst == dek


def test_the_sites_slogan_is_no_standfirst() -> None:
    html = _page("Das Blog Example.de - Das Blog der gnadenlosen Fehlfunktionen!", _BODY)
    assert extract_article(html, "https://example.de/a").standfirst is None


def test_a_date_line_in_a_subhead_class_is_no_standfirst() -> None:
    header = '<div class="articleHeader--subhead">JANE DOE Nov. 20, 2019 Updated: Nov. 20, 2019 1:35 a.m.</div>'
    dek = "Engineers found cracks in three piers; a detour starts in June."
    article = extract_article(_page(dek, _BODY, header=header), "https://example.org/a")
    assert article.standfirst == dek


def test_markup_in_a_description_is_taken_out() -> None:
    html = _page("&lt;p&gt;Engineers found cracks in three piers; a detour starts in June.&lt;/p&gt;", _BODY)
    assert extract_article(html, "https://example.org/a").standfirst == \
        "Engineers found cracks in three piers; a detour starts in June."


def test_a_caption_is_no_standfirst() -> None:
    html = _page("Media caption The mayor told reporters the bridge was unsafe", _BODY)
    assert extract_article(html, "https://example.org/a").standfirst is None
