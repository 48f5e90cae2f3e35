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


# -- page furniture, credits, duplicates (review classes) -----------------------

def test_ad_labels_box_titles_and_buttons_are_not_captions() -> None:
    caps = _captions(
        """<div class="ad-wrapper"><div class="GoogleDfpAd-adCaption">Advertisement</div><div class="slot"></div></div>
        <div class="portlet-title"><div class="caption">About the author</div></div>
        <a href="/epaper"><span class="quotecaption">Get the E-Edition</span></a>
        <div class="gallery"><div class="captionlink fade">Caption Close</div></div>
        <div class="wp-caption"><img src="/a.jpg"><p class="wp-caption-text">The harbour at dawn</p></div>"""
    )
    assert [c.text for c in caps] == ["The harbour at dawn"]


def test_caption_wholly_linked_within_the_site_is_a_teaser() -> None:
    caps = _captions(
        """<figure><img src="/b.jpg"><figcaption><a href="/live">Watch our live stream</a></figcaption></figure>
        <figure><img src="/c.jpg"><figcaption><a href="https://photos.example.org/jane">Jane Doe</a></figcaption></figure>"""
    )
    assert [c.text for c in caps] == ["Jane Doe"]


def test_lightbox_link_around_caption_keeps_it() -> None:
    caps = _captions(
        """<a class="popup" href="/big.jpg"><div class="m-media"><img src="/small.jpg">
        <p class="m-media__caption">Snow on the panels. (Bildquelle: Neumann)</p></div></a>"""
    )
    assert [(c.text, c.credit) for c in caps] == [("Snow on the panels.", "Neumann")]


def test_wrapper_named_attribution_does_not_swallow_the_caption() -> None:
    caps = _captions(
        """<figure><img src="/t.jpg"><figcaption><div class="w-100 _pattribution-w-auto _pcaption-w-auto">
        <div class="caption"><p>Cells with taste receptors grow in the lungs.</p></div>
        <div class="attribution"><p><a href="https://example.org/r">RenderBurger</a> for Example Magazine</p></div>
        </div></figcaption></figure>"""
    )
    assert [(c.text, c.credit) for c in caps] == [
        ("Cells with taste receptors grow in the lungs.", "RenderBurger for Example Magazine")
    ]


def test_credit_only_caption_is_kept() -> None:
    caps = _captions('<figure><img src="/d.jpg"><figcaption><span class="credit">© Jane Doe</span></figcaption></figure>')
    assert [(c.text, c.credit) for c in caps] == [("", "Jane Doe")]


def test_credit_in_unmarked_element_at_the_start_and_in_microdata() -> None:
    caps = _captions(
        """<figure><img src="/e.jpg"><figcaption><span>Photo: Adil Boukind Archives</span>
        Scooters made 365 000 trips.</figcaption></figure>
        <figure><img src="/f.jpg"><figcaption><span>The harbour at dawn.</span><span itemprop="copyrightHolder">
        <span>Credit</span><span><span class="hidden">Credit</span><span>Jane Doe/Example Times</span></span></span>
        </figcaption></figure>"""
    )
    assert [(c.text, c.credit) for c in caps] == [
        ("Scooters made 365 000 trips.", "Adil Boukind Archives"),
        ("The harbour at dawn.", "Jane Doe/Example Times"),
    ]


def test_footnote_markers_are_neither_text_nor_credit() -> None:
    caps = _captions(
        '<figure><img src="/g.jpg"><figcaption>A kiwi<sup class="reference"><a href="#cite-22">[22]</a></sup> at night</figcaption></figure>'
    )
    assert [(c.text, c.credit) for c in caps] == [("A kiwi at night", None)]


def test_gallery_copies_counters_and_toggles_give_one_caption() -> None:
    caps = _captions(
        """<figure><img src="/h.jpg"><figcaption>Image 1 of 9 Cars wait at a dealership in Littleton, Colorado, on Sunday.
        <span class="credit">Jane Doe / AP</span></figcaption></figure>
        <figure><img src="/h2.jpg"><figcaption>Cars wait at a dealership in Littleton, Colorado, on Sunday.</figcaption></figure>
        <figure><img src="/h3.jpg"><figcaption>Cars wait at a dealership in Littleton, Colo...
        <a class="more-caption" href="#">... more</a></figcaption></figure>
        <figure><img src="/i.jpg"><figcaption>2/5 Er verlor die Kontrolle über das Auto.</figcaption></figure>"""
    )
    assert [(c.text, c.credit) for c in caps] == [
        ("Cars wait at a dealership in Littleton, Colorado, on Sunday.", "Jane Doe / AP"),
        ("Er verlor die Kontrolle über das Auto.", None),
    ]


def test_video_teasers_are_foreign() -> None:
    caps = _captions(
        """<div class="el__article--teaseimage"><figure><img src="/v.jpg"><figcaption>Royal couple speaks out</figcaption></figure></div>
        <div class="video-playlist"><figure><img src="/w.jpg"><figcaption>Top headlines</figcaption></figure></div>"""
    )
    assert caps == []


def test_screen_reader_caption_label_is_dropped() -> None:
    caps = _captions(
        '<figure><img src="/j.jpg"><figcaption><span class="off-screen">Image caption</span> Crowds in the square</figcaption></figure>'
    )
    assert [c.text for c in caps] == ["Crowds in the square"]


def test_caption_set_wholly_in_small_or_a_credit_class_is_text() -> None:
    caps = _captions(
        """<figure><img src="/k.jpg"><figcaption><p><small>Ministers in the Congress</small></p></figcaption></figure>
        <figure><img src="/l.jpg"><figcaption><span class="wp-caption-author">A drone came close to a carrier on
        Sunday afternoon. Screenshot from Twitter</span></figcaption></figure>
        <figure><img src="/m.jpg"><figcaption><span class="credit">Jane Doe/Example Agency</span></figcaption></figure>"""
    )
    assert [(c.text, c.credit) for c in caps] == [
        ("Ministers in the Congress", None),
        ("A drone came close to a carrier on Sunday afternoon. Screenshot from Twitter", None),
        ("", "Jane Doe/Example Agency"),
    ]
