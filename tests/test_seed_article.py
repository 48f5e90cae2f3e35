"""The seed page of issue 2: The Independent, 15 March 2016, through the same
``extract_article`` a crawl uses (loader + body + cleaning)."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive import extract_article

FIXTURE = Path(__file__).parent / "fixtures" / "seed_independent.html"
URL = ("https://www.independent.co.uk/news/world/europe/"
       "russia-starts-military-withdrawal-from-syria-as-fighter-jets-prepare-to-return-home-a6931506.html")

HEADLINE = "Russia starts military withdrawal from Syria as fighter jets prepare to return home"
STANDFIRST = ("Move comes just a day after President Putin ordered an end to the five-month air campaign "
              "bolstering President Bashar al-Assad's forces")


@pytest.fixture(scope="module")
def article():
    return extract_article(FIXTURE.read_bytes(), URL)


def test_headline_and_standfirst(article):
    assert article.headline == HEADLINE
    assert article.standfirst == STANDFIRST


def test_authors_are_the_three_names(article):
    assert article.authors == ["Laura Pitel", "Nadia Beard", "Steve Anderson"]


def test_published_keeps_the_printed_local_time_and_offset(article):
    assert article.published == "2016-03-15T03:39:00-04:00"


def test_captions_with_credits_split_off(article):
    assert [c.credit for c in article.captions] == ["AFP/Getty Images", "AP"]
    assert article.captions[0].text.startswith("Russia's defence ministry said personnel")
    assert article.captions[0].text.endswith("getting ready for the withdrawal")
    assert article.captions[1].text.startswith("A Russian soldier guards a jet parked at Hemeimeem")


def test_body_runs_from_first_to_last_paragraph(article):
    body = article.body
    assert body.startswith("Russia has started preparing its fighter jets to return home")
    assert body.endswith("including schools and hospitals.")
    # Paragraphs split by ads and by the inline photo are all there, in order.
    assert "The ministry did not indicate when the first planes are scheduled to leave." in body
    assert "The Russian presidential spokesman, Dmitry Peskov" in body
    assert body.count("\n\n") == 10  # eleven paragraphs, one blank line between each


@pytest.mark.parametrize("unwanted", [
    "Stay up to date with notifications",
    "Notifications can be managed",
    "Your support helps us to tell the story",
    "From reproductive rights to climate change",
    "Your donation allows us",
    "Your support makes all the difference",
    "Join our commenting forum",
    "Join thought-provoking conversations",
    "Thank you for registering",
    "Please refresh the page",
    "Comments",
    "Advertisement",
    "AFP/Getty Images",
    "(AP)",
    "Russian warplanes have mostly stayed on the ground",
    "Tuesday 15 March 2016",
    "Laura Pitel",
    "Most popular",
])
def test_body_has_no_promo_comment_caption_or_registration_text(article, unwanted):
    assert unwanted not in article.body


def test_every_drop_is_recorded_with_its_rule(article):
    rules = {d.rule for d in article.dropped}
    assert {"caption", "donation", "comments", "advertisement"} <= rules
    assert any("Thank you for registering" in d.text for d in article.dropped)
    assert article.word_count == len(article.body.split())
