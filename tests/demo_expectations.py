"""What a correct crawl of the bundled sample site (newsarchive/demo/site) stores.

Written by hand from the pages' text as a reader sees it, not from any
extractor's output. Shared by test_end_to_end.py and test_demo.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExpectedCaption:
    text: str
    """The caption without its credit (a trailing full stop is not significant)."""
    credit: str
    """A string the credit must contain (sites print "Photograph: X" or "(X)")."""


@dataclass(frozen=True)
class ExpectedArticle:
    path: str
    headline: str
    authors: list[str]
    published: str
    modified: str | None
    body_starts: str
    body_contains_last: str
    paragraphs: tuple[int, ...]
    """Allowed paragraph counts of the body (more than one where a page is ambiguous)."""
    standfirst: str | None = None
    captions: list[ExpectedCaption] = field(default_factory=list)
    not_in_body: list[str] = field(default_factory=list)
    """Promo, comment, caption, related-link and page-furniture text."""


ARTICLES: list[ExpectedArticle] = [
    ExpectedArticle(
        path="/world/2024/03/12/river-delta-towns-evacuate-as-floodwaters-rise",
        headline="River delta towns evacuate as floodwaters rise for a third day",
        standfirst="Thousands leave low-lying districts of Port Ellis and Marrow Bend as engineers "
        "warn the old levee may not hold",
        authors=["Maria Okafor", "Tom Reyes"],
        published="2024-03-12T08:15:00+00:00",
        modified="2024-03-12T10:02:00+00:00",
        captions=[ExpectedCaption("Residents wade through a flooded street in Port Ellis on Monday evening", "Reuters")],
        body_starts="Emergency crews moved more than six thousand people out of the river delta",
        body_contains_last="until the levee had been inspected in daylight.",
        paragraphs=(8,),
        not_in_body=[
            "Allow notifications", "First Edition", "Sign up", "Privacy Notice", "18 comments",
            "Join our commenting forum", "harbourwatcher", "Nobody listened", "Share this article",
            "Residents wade through", "Ceasefire talks resume", "More on this story",
        ],
    ),
    ExpectedArticle(
        path="/science/2024/03/10/deep-sea-survey-finds-new-coral-species.html",
        headline="Deep-sea survey finds eleven coral species new to science",
        standfirst="A six-week expedition off the continental shelf brought back specimens that "
        "taxonomists say have never been described.",
        authors=["Helen Park"],
        published="2024-03-10T14:41:00+00:00",
        modified=None,
        captions=[
            ExpectedCaption("A soft coral photographed at a depth of 1,200 metres on the edge of the shelf",
                            "Ocean Survey Trust"),
            ExpectedCaption("The research vessel Calder leaving harbour in January", "Helen Park"),
        ],
        body_starts="Scientists on a six-week expedition to the edge of the continental shelf",
        body_contains_last="which closes at the end of April.",
        paragraphs=(7,),
        not_in_body=[
            "Support our journalism", "Donate", "funded by its readers", "Most read",
            "soft coral photographed", "research vessel Calder", "Mariners snatch", "Tagged",
        ],
    ),
    ExpectedArticle(
        path="/business/2024/03/08/port-authority-approves-container-terminal-expansion",
        headline="Port authority approves £240m container terminal expansion",
        standfirst="Two new deep-water berths will let the port take the largest ships, but residents "
        "of the east shore fear years of noise and traffic.",
        authors=["Priya Nair"],
        published="2024-03-08T14:05:00+00:00",
        modified="2024-03-08T17:30:00+00:00",
        captions=[ExpectedCaption("Cranes on the eastern quay, where the new berths will be built", "Liam Chen")],
        body_starts="The Port Ellis harbour authority has approved a £240m expansion",
        body_contains_last="create several hundred more during construction.",
        paragraphs=(8,),
        not_in_body=[
            "Advertisement", "Get the Harbour Gazette app", "Download the app", "Subscribe",
            "Share this article", "Most read", "Lantern festival", "Cranes on the eastern quay",
            "Business Editor",
        ],
    ),
    ExpectedArticle(
        path="/culture/2024/03/07/lantern-festival-returns-to-the-old-harbour",
        headline="Lantern festival returns to the old harbour after four-year break",
        standfirst="Organisers expect twenty thousand visitors when the waterfront festival comes back "
        "in May with a new route and fewer fireworks.",
        authors=["Sofia Marquez"],
        published="2024-03-07T19:30:00+01:00",
        modified="2024-03-07T21:10:00+01:00",
        captions=[ExpectedCaption("Lanterns on the water at the 2019 festival, the last before the break",
                                  "Ana Ruiz")],
        body_starts="The lantern festival that once drew crowds from across the region",
        body_contains_last="the rest of the waterfront will be free to enter.",
        paragraphs=(6,),
        not_in_body=[
            "Turn on notifications", "Get the Harbour Gazette app", "Download now", "42 comments",
            "anchor_lady", "Finally!", "seals were terrified", "Log in or register",
            "You might also like", "Lanterns on the water", "Words by",
        ],
    ),
    ExpectedArticle(
        path="/world/2024/03/05/ceasefire-talks-resume-in-geneva",
        headline="Ceasefire talks resume in Geneva with both delegations present",
        standfirst="Negotiators meet face to face for the first time since the autumn, with prisoner "
        "exchanges and aid corridors on the agenda.",
        authors=["Ahmed Salah", "Lena Fischer"],
        published="2024-03-05T11:02:00+00:00",
        modified="2024-03-05T15:47:00+00:00",
        captions=[ExpectedCaption("Delegates arrive at the conference centre in Geneva on Tuesday morning",
                                  "Marc Vidal/Reuters")],
        body_starts="Negotiators from both sides of the conflict sat down in the same room",
        body_contains_last="could run into next week if progress was made.",
        paragraphs=(6,),
        not_in_body=[
            "Thank you for registering", "automatically logged in", "Join our commenting forum",
            "thought-provoking", "More on this story", "Delegates arrive", "River delta towns",
        ],
    ),
    ExpectedArticle(
        path="/local/2024/02/05/school-board-votes-to-keep-libraries-open",
        headline="School board votes to keep branch libraries open",
        standfirst="Trustees reject a plan to close three school libraries to the public after a "
        "petition signed by 5,000 people.",
        authors=["Rebecca Stone"],
        published="2024-02-05T19:30:00-05:00",
        modified=None,
        captions=[],
        body_starts="PORT ELLIS",
        body_contains_last="share the running costs from the next financial year.",
        paragraphs=(6,),
        not_in_body=[
            "Posted:", "Support independent local journalism", "Become a member", "Print this story",
            "Email this story", "Copyright", "Associated Press",
        ],
    ),
    ExpectedArticle(
        path="/opinion/2024/03/11/the-harbour-needs-a-plan-not-another-study",
        headline="The harbour needs a plan, not another study",
        standfirst="Three consultations in ten years have left the north shore exactly where it was. "
        "It is time the council decided something.",
        authors=["Sarah Lindqvist"],
        published="2024-03-11T06:00:00+00:00",
        modified="2024-03-11T16:20:00+00:00",
        captions=[ExpectedCaption("The disused ferry terminal on the north shore has stood empty since 2011",
                                  "Getty Images")],
        body_starts="Every few years, someone at the council discovers the north shore.",
        body_contains_last="before someone else says it for us.",
        # The columnist's one-line bio after the text is part of some sites' bodies.
        paragraphs=(6, 7),
        not_in_body=[
            "Advertisement", "Opinion in your inbox", "Sign up for our weekly", "Most read",
            "northshore_nell", "land is contaminated", "Comments are moderated",
            "community guidelines", "has stood empty since 2011", "Opinion by",
        ],
    ),
    ExpectedArticle(
        path="/sport/2024/03/09/mariners-snatch-late-win-to-reach-cup-semi-final",
        headline="Mariners snatch late win to reach cup semi-final",
        standfirst="A stoppage-time header from Kofi Mensah sends Port Ellis into the last four for "
        "the first time since 1996.",
        authors=["Dan Whitaker"],
        published="2024-03-09T17:45:00+00:00",
        modified="2024-03-09T19:02:00+00:00",
        captions=[
            ExpectedCaption("Kofi Mensah rises above the Harwick defence to score the winner in the 93rd minute",
                            "Jon Barr"),
            ExpectedCaption("Supporters spill on to the pitch after the final whistle at Dock Road", "Jon Barr"),
        ],
        body_starts="Port Ellis Mariners reached the semi-finals of the county cup",
        body_contains_last="left in the competition.",
        paragraphs=(6,),
        not_in_body=[
            "free articles this month", "Sign up for The Final Whistle", "Recommended",
            "rises above the Harwick defence", "Supporters spill", "Photograph:", "Sports Reporter",
            "Lantern festival",
        ],
    ),
]

NON_ARTICLE_PATHS: list[str] = ["/", "/news/", "/news/page/2/", "/tag/harbour/"]
"""The home, section (two pages) and tag pages: crawled for links, never stored."""

NON_ARTICLE_TITLES: list[str] = ["Latest news", "Harbour", "The Harbour Gazette"]
