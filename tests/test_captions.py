"""Captions: figure/figcaption and caption classes, credits split, images absolute."""
from __future__ import annotations

import lxml.html

from newsarchive.extraction.captions import extract_captions, image_src

BASE = "https://example.com/news/story.html"


def _captions(body: str):
    return extract_captions(lxml.html.document_fromstring(f"<html><body>{body}</body></html>"), BASE)


def test_credit_element_inside_figcaption() -> None:
    caps = _captions(
        """<figure><img src="/img/a.jpg"><figcaption><p>Jets prepare for the withdrawal
        <span class="credit">(AFP/Getty Images)</span></p></figcaption></figure>"""
    )
    assert len(caps) == 1
    assert caps[0].text == "Jets prepare for the withdrawal"
    assert caps[0].credit == "AFP/Getty Images"
    assert caps[0].image_url == "https://example.com/img/a.jpg"


def test_credit_in_caption_wording() -> None:
    caps = _captions('<figure><img src="a.jpg"><figcaption>Der Platz am Morgen. Foto: dpa</figcaption></figure>')
    assert (caps[0].text, caps[0].credit) == ("Der Platz am Morgen.", "dpa")


def test_small_and_cite_are_credits() -> None:
    caps = _captions('<figure><img src="a.jpg"><figcaption>The harbour <small>© Example Agency</small></figcaption></figure>')
    assert (caps[0].text, caps[0].credit) == ("The harbour", "Example Agency")


def test_lazy_and_srcset_images() -> None:
    caps = _captions(
        """<figure><img src="data:image/gif;base64,R0l" data-src="/lazy.jpg"><figcaption>Lazy</figcaption></figure>
        <figure><img src="/small.jpg" srcset="/s.jpg 320w, /l.jpg 1200w"><figcaption>Big</figcaption></figure>"""
    )
    assert [c.image_url for c in caps] == ["https://example.com/lazy.jpg", "https://example.com/l.jpg"]


def test_wordpress_caption_class_without_figure() -> None:
    caps = _captions(
        """<div class="wp-caption"><img src="/w.jpg"><p class="wp-caption-text">A caption (Reuters)</p></div>"""
    )
    assert [(c.text, c.credit, c.image_url) for c in caps] == [("A caption", "Reuters", "https://example.com/w.jpg")]


def test_duplicates_and_related_teasers_are_skipped() -> None:
    caps = _captions(
        """<figure><img src="a.jpg"><figcaption>Same text</figcaption></figure>
        <figure><img src="b.jpg"><figcaption>Same text</figcaption></figure>
        <aside><figure><img src="c.jpg"><figcaption>Another story</figcaption></figure></aside>
        <div class="related-articles"><figure><img src="d.jpg"><figcaption>Teaser</figcaption></figure></div>"""
    )
    assert [c.text for c in caps] == ["Same text"]


def test_image_src_none_without_image() -> None:
    assert image_src(None, BASE) is None


def test_class_captions_outside_figures_and_oversized_blocks() -> None:
    # The class search starts from class attributes; elements with no class,
    # figcaptions and anything inside a <figure> are not taken, and a whole
    # text block classed "caption" (thousands of characters) is not a caption.
    long_text = "Word " * 600
    caps = _captions(
        f"""<div class="wp-caption"><img src="/w.jpg"><p class="wp-caption-text">Harbour at dawn</p></div>
        <div class="caption-block">{long_text}</div>
        <div class="caption-empty"></div>"""
    )
    assert [(c.text, c.image_url) for c in caps] == [("Harbour at dawn", "https://example.com/w.jpg")]
