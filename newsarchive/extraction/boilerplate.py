"""Promo, comment and boilerplate rules, as named data.

Every rule that removes something from an article lives here, apart from
the algorithm that applies it (``body.py`` on the page's markup, ``cleaning.py``
on the body's text blocks). Each rule has a name; the name is what a
``DroppedBlock`` records and what the crawl stats count
(``newsarchive/cleaning/dropped/<rule>``).

Four kinds of rule:

- ``ATTRIBUTE_RULES``: words, two-word phrases and whole tokens matched
  against the ``class`` and ``id`` of an element. A match drops the element
  and everything in it before the article is looked for.
- ``MICRODATA_RULES``: ``itemprop`` values of boxes that are never article
  text (an author's card, a reader comment); applied like the above.
- ``CONTAINER_HEADINGS``: text rules for the first line of a box (a
  donation appeal's heading, "Join our commenting forum", "Related
  articles"...). A match drops the whole box, not only that line.
- ``TEXT_RULES``: text rules for one block of body text (a paragraph, a list
  item). A match drops that block. Each has a ``max_chars``: a long paragraph
  that merely mentions a newsletter is article text, not a prompt.

Text patterns are grouped per language and labelled with it; nothing else
in extraction assumes a language. Patterns are matched against the block's
text lower-cased with white space collapsed.

A site adds its own rules through ``ExtractionConfig.extra_rules``
(``ExtraRule(name, pattern, kind="text" | "css")``), for example in its site
file::

    [[extraction.extra_rules]]
    name = "example-paywall-teaser"
    kind = "css"
    pattern = "div.paywall-teaser"

    [[extraction.extra_rules]]
    name = "example-podcast-plug"
    pattern = "^listen to our daily podcast"
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class TextRule:
    """Drop a block of text matching ``pattern`` (``re.search``, lower-cased
    text) when it is at most ``max_chars`` long."""

    name: str
    language: str
    """BCP 47 language the wording belongs to, or ``"*"`` for symbols/numbers."""
    pattern: str
    max_chars: int = 200


# --------------------------------------------------------------------------
# Markup rules. A class or id value is cut into words: at every character
# that is not a letter and at camelCase humps, lower-cased ("relatedArticles
# sidebar-left" -> related, articles, sidebar, left). A rule matches when one
# word is in its WORDS, two consecutive words of one token form one of its
# PHRASES, or a whole token is one of its TOKENS. Words, not substrings, so
# "ad" matches "ad-slot" but not "header", and "comment" not "commentary".

@dataclass(frozen=True)
class AttributeRule:
    """Drop elements whose class or id carries one of these words."""

    name: str
    words: frozenset[str] = frozenset()
    """Single words ("comments", "disqus")."""
    phrases: frozenset[tuple[str, str]] = frozenset()
    """Two consecutive words of one token (("most", "read"))."""
    tokens: frozenset[str] = frozenset()
    """Whole class tokens or ids, lower-cased ("tags", "nav")."""
    stems: tuple[str, ...] = ()
    """Word beginnings for run-together names ("comment" matches "commentlinks")."""


def _attr(name: str, words: str = "", phrases: str = "", tokens: str = "", stems: str = "") -> AttributeRule:
    return AttributeRule(
        name,
        frozenset(words.split()),
        frozenset(tuple(p.split("-")) for p in phrases.split()),
        frozenset(tokens.split()),
        tuple(stems.split()),
    )


# Words a stem must not match: "commentary" is a newspaper section.
STEM_EXCEPTIONS: tuple[str, ...] = ("commentar", "commentat")


ATTRIBUTE_RULES: tuple[AttributeRule, ...] = (
    _attr("comments",
          words="comment comments commentlist commentlists commentaires commentaire kommentare kommentar "
                "comentarios comentario commenti disqus respond replies discussion coral talkback "
                # nl, pl, sv/da/no, cs, fi
                "reacties reactie komentarze kommentarer kommentarerna komentare kommentit",
          tokens="disqus_thread", stems="comment"),
    _attr("share",
          words="share shares sharing sharebar sharetools shareaholic addthis sharedaddy social socials "
                "sharethis shariff teilen compartir partage",
          phrases="share-tools share-buttons"),
    _attr("related",
          words="related relatedposts recommended recommendations recirc recirculation outbrain taboola "
                "yarpp crp trending teaser teasers zergnet pagination mostread mostpopular readmore "
                "morestories alsoread relacionadas relacionados verwandte linkbox",
          phrases="most-read most-popular most-viewed most-shared more-stories more-articles read-more "
                  "also-read further-reading popular-posts next-article prev-next post-navigation "
                  "nav-links more-from you-may you-might next-prev prev-next next-post prev-post previous-post "
                  "post-next post-prev post-navigation wp-embed wp-embedded"),
    _attr("newsletter",
          words="newsletter newsletters subscribe subscription signup optin mailchimp mc4wp",
          phrases="sign-up opt-in email-capture inline-signup"),
    _attr("donation",
          words="donate donation donations piano",
          phrases="support-us support-prompt support-banner support-box contribution-epic "
                  "contributions-epic membership-promo membership-banner paywall-promo paywall-prompt tp-container"),
    _attr("advertisement",
          words="ad ads adv advert adverts advertisement advertisements advertising adsbygoogle adslot "
                "adunit adcontainer adwrapper dfp gpt sponsor sponsored commercial anzeige werbung publicidad "
                "publicite",
          phrases="ad-slot banner-ad native-ad google-ads"),
    _attr("promo", words="promo promos promotion cta upsell marketing",
          phrases="call-to-action app-promo app-banner app-download"),
    _attr("notification", words="notification notifications onesignal",
          phrases="push-prompt alert-bar"),
    _attr("author-bio", words="author authors authorbox biobox autor autorin autoren auteur autore",
          phrases="author-bio author-box author-info author-card author-profile author-details "
                  "author-about about-author bio-box contributor-bio"),
    _attr("byline", words="byline bylines dateline timestamp postmetadata postmeta",
          phrases="author-name post-author entry-meta post-meta article-meta meta-info posted-on "
                  "post-date publish-date published-date entry-utility entry-footer post-footer"),
    _attr("disclosure", words="disclosure disclosures disclaimer affiliate"),
    _attr("hatnote", words="hatnote hatnotes dablink"),
    _attr("rating", words="rating ratings voting votingteaser",
          phrases="star-rating post-ratings"),
    _attr("caption", words="caption captions figcaption credit credits thumbcaption imagecaption photocaption "
                           "mediacaption bildunterschrift legende legend",
          phrases="image-credit photo-credit media-caption img-caption"),
    _attr("tags", words="tags", tokens="tags tag-list tag-links tagcloud tag-cloud post-tags article-tags entry-tags "
                         "keywords topics topic-list categories cat-links tags-links"),
    _attr("navigation", words="breadcrumb breadcrumbs sidebar navbar masthead search searchform suche",
          phrases="side-bar widget-area site-nav skip-link skip-links site-header site-footer main-menu header-nav",
          tokens="nav navigation menu footer secondary"),
    _attr("dialog", words="modal popup overlay lightbox cookie cookies gdpr consent",
          phrases="pop-up"),
    _attr("print-only", tokens="print-only printonly visible-print screen-reader-text sr-only visually-hidden "
                               "element-invisible"),
    # The CSS frameworks' class for "display: none" (not "hidden-xs" and the
    # like, which hide only on some screens). Judged as hidden markup is: kept
    # when named as the content and holding it.
    _attr("hidden", tokens="hidden is-hidden"),
)

# Microdata properties (``itemprop``) of boxes that are never article text:
# the author's card or bio (a schema.org Person) and reader comments.
MICRODATA_RULES: dict[str, str] = {
    "author": "author-bio",
    "comment": "comments",
}

# schema.org types (the last part of an ``itemtype`` URL) of boxes that are
# never article text: a reader comment, a box of them.
MICRODATA_TYPES: dict[str, str] = {
    "Comment": "comments",
    "UserComments": "comments",
}

# A link to one reader comment: its permalink ("#comment-123", WordPress'
# "#li-comment-123"/"#div-comment-123", Drupal's "/comment/123#comment-123")
# or its reply link ("?replytocom=123"). Group 1 or 2 is the comment's id.
# Two or more comments side by side in one box make that box a thread,
# whatever its classes say (``body.comment_threads``).
COMMENT_PERMALINK = re.compile(r"#(?:li-|div-)?comment[-_]?(\d+)$|[?&]replytocom=(\d+)")
# Substrings one of which every COMMENT_PERMALINK match holds: a cheap test
# for the page's every link before the pattern is tried.
COMMENT_PERMALINK_HINTS: tuple[str, ...] = ("comment", "replytocom")
# Substrings of a comment item's id ("comment-12", "li-comment-12",
# "Kommentar-12", "comentario-12", "komentarz-12"), tested before the id is
# read by the attribute rules.
COMMENT_ID_HINTS: tuple[str, ...] = ("omment", "oment")

# First parts of class names that CSS-in-JS tools generate, the part after
# them a hash: emotion's "css-o8ad6j", styled-components' "sc-bdVaJa",
# styled-jsx's "jsx-2952390544", JSS's "jss-12". A hash's letters are no
# words ("o8ad6j" read as o / ad / j named paragraphs an advertisement).
# Hashes that mix letters and digits are told without a prefix too (CSS
# modules' "Body_text__3ad9x"): see ``token_rule``.
HASH_PREFIXES: frozenset[str] = frozenset({"css", "sc", "jsx", "jss"})

# Words that negate or qualify the word after them in the same token:
# "non-ad-column", "has-comments", "with-sidebar" describe a layout.
QUALIFIER_WORDS: frozenset[str] = frozenset({"non", "no", "not", "has", "with", "without", "l", "layout"})
# Words that, two or more words earlier in the same token, make the token
# name the article's own text with a modifier: "entry-content-read-more".
CONTENT_WORDS: frozenset[str] = frozenset({"content", "body", "text", "entry"})
# Words that name a lede or intro: a token holding one is never a box to drop
# ("article-teaser-intro"), and a heading carrying one may be the lede.
LEDE_WORDS: frozenset[str] = frozenset({
    "intro", "lead", "lede", "standfirst", "deck", "dek", "summary", "epigraph", "excerpt", "subtitle", "strap",
    "vorspann", "entradilla", "chapeau", "chapo",
})
# Words after a rule word that make it a state or a look, not a box
# ("comments-open", "caption-style").
STATE_WORDS: frozenset[str] = frozenset({"open", "closed", "enabled", "disabled", "allowed", "style", "styles"})


# Tags never part of an article's text.
JUNK_TAGS: frozenset[str] = frozenset({
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "button", "input", "select", "textarea", "option", "nav", "head", "link", "meta",
    "map", "area", "audio", "video", "source", "track", "picture", "dialog", "math",
})

# Markup that holds images and their captions: dropped from the body (the
# loader keeps the captions in ``Article.captions``).
CAPTION_TAGS: frozenset[str] = frozenset({"figure", "figcaption"})

# Roles of landmark and widget elements that are never article text.
JUNK_ROLES: frozenset[str] = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog",
    "search", "menu", "menubar", "toolbar", "tablist", "alert", "status",
})


# --------------------------------------------------------------------------
# Text rules, per language. Patterns see lower-cased, white-space-collapsed
# text. Headings of boxes (CONTAINER_HEADINGS) drop the whole box.

def _rules(name: str, language: str, max_chars: int, *patterns: str) -> tuple[TextRule, ...]:
    return tuple(TextRule(name, language, p, max_chars) for p in patterns)


# Russian, Turkish ("İ" lower-cases to "i" and a combining dot), Polish,
# French: "read also" and related-story labels, a subscription wall left
# where the rest of the text would be, an appeal to subscribe.
# Both a box's first line and a block of its own.
_BOX_LABELS_RU_TR_PL_FR: tuple[TextRule, ...] = (
    *_rules("related", "ru", 80, r"^читайте (также|ещё|еще|по теме)\b",
            r"^(по теме|похожие (новости|статьи|материалы)|новости по теме|самое (читаемое|популярное))\s*:?$"),
    *_rules("related", "tr", 80, r"^i\u0307?lgili (haber|haberler|içerik)",
            r"^(bunlar da ilginizi çekebilir|en çok okunan(lar)?|diğer haberler)\s*:?$"),
    *_rules("registration", "pl", 160,
            r"^ten (artykuł|materiał|tekst) (jest )?(dostępny|przeczytasz) (tylko|wyłącznie) (dla|w ramach) "
            r"(subskrybentów|prenumeratorów|subskrypcji|prenumeraty)",
            r"^wykup (dostęp|subskrypcję|prenumeratę)\b", r"^masz już (konto|subskrypcję|prenumeratę)\s?\?"),
    *_rules("donation", "fr", 160, r"^(cet article vous a (intéressé|plu)|vous avez aimé cet article)\s?\?.{0,60}\babonnez-vous"),
)


CONTAINER_HEADINGS: tuple[TextRule, ...] = (
    # English
    *_rules("donation", "en", 160,
            r"^your support (helps|makes|matters)", r"^support (our|independent|quality|the) .*journalism",
            r"^(please )?(consider )?(support|donate to) (us|our)", r"^(become|join) (a|our) (member|supporter|subscriber|patron)",
            r"^(help|you can) (us )?keep .*(free|independent)", r"^we (need|rely on) (your|readers)"),
    *_rules("newsletter", "en", 160,
            r"newsletter", r"^(sign up|subscribe) (for|to|now)", r"^get (our|the) .*(in your inbox|delivered)"),
    *_rules("comments", "en", 120,
            r"^join (our|the) (commenting forum|conversation|discussion)", r"^(\d+ )?(comments?|responses?|replies)( \(\d+\))?:?$",
            r"^(leave|post|add|write) a (comment|reply|response)", r"^(reader )?comments", r"^conversation$",
            r"^what do you think"),
    *_rules("registration", "en", 120,
            r"^thank you for registering", r"^(log|sign) ?in( to| or| with|$)", r"^(create|register) (an|your|a free) account"),
    *_rules("related", "en", 80,
            r"^(related|more|latest|top|recommended|trending|popular|featured)( \w+)?( articles?| stories| posts| news| content| coverage| reads?| videos?| links?)?:?$",
            r"^(read|see) (more|also|next)", r"^most (read|popular|viewed|shared)", r"^you (may|might) (also )?(like|enjoy|be interested)",
            r"^(more|also) (from|on|in|about) ", r"^(don't|do not) miss", r"^what to read next", r"^(further|recommended) reading", r"^in other news"),
    *_rules("share", "en", 60, r"^share (this|the|on|via)", r"^share:?$", r"^(follow|like) us( on)?"),
    *_rules("author-bio", "en", 80, r"^about the authors?", r"^(more )?(articles|stories|posts) by "),
    # German
    *_rules("donation", "de", 160, r"^unterstützen sie", r"^(jetzt )?(spenden|unterstützen)", r"^werden sie (mitglied|abonnent)"),
    *_rules("newsletter", "de", 160, r"newsletter", r"^jetzt (abonnieren|anmelden)"),
    # The heading themes print over a thread: "4 thoughts on “Title”",
    # "One response to “Title”" (the article's title follows, in quotes,
    # hence the length; without them it may be a section's own heading).
    *_rules("comments", "en", 240, r"^(\d+|one|two|three) (thoughts?|responses?|replies|comments?) (on|to) [“\"«„‘'‹]"),
    *_rules("comments", "de", 120, r"^(\d+ )?(kommentare?|leserkommentare|diskussion)( \(\d+\))?:?$", r"^diskutieren sie mit", r"^kommentar (schreiben|verfassen)"),
    *_rules("comments", "de", 240, r"^(\d+|ein|eine|einen) (gedanken?|kommentare?|antworten?|reaktionen?) (zu|auf) [“\"«„‘'‹]"),
    *_rules("related", "de", 80, r"^(mehr|weitere|ähnliche) (zum thema|artikel|nachrichten|beiträge|themen)", r"^(lesen sie|lies) (auch|mehr)", r"^das (könnte|dürfte) sie auch interessieren",
            r"^(auch )?interessant", r"^meistgelesen", r"^(am )?meisten gelesen", r"^zum thema:?$", r"^mehr (dazu|zum thema)"),
    *_rules("share", "de", 60, r"^(artikel )?teilen:?$", r"^teilen (sie|auf)"),
    # Spanish
    *_rules("donation", "es", 160, r"^(apoya|apóyanos|colabora|hazte socio|hazte suscriptor)"),
    *_rules("newsletter", "es", 160, r"bolet[ií]n", r"newsletter", r"^(suscríbete|suscríbase|suscribete)"),
    *_rules("comments", "es", 120, r"^(\d+ )?comentarios?( \(\d+\))?:?$", r"^(deja|escribe|añade) (un|tu) comentario"),
    *_rules("comments", "es", 240, r"^(\d+|un|una) (comentarios?|respuestas?|pensamientos?) (en|a|sobre) [“\"«„‘'‹]"),
    *_rules("related", "es", 80, r"^(noticias|artículos|notas) relacionad[ao]s", r"^(lee|leer|lea) (también|más)", r"^te puede (interesar|gustar)", r"^(lo )?más (leído|visto|popular)", r"^(también|tambien) te (puede|podría)", r"^ver (también|más)"),
    *_rules("share", "es", 60, r"^compart(e|ir|a)( en| este| esta)?", r"^síguenos"),
    # French
    *_rules("donation", "fr", 160, r"^(soutenez|soutenir) ", r"^faire un don", r"^abonnez-vous"),
    *_rules("newsletter", "fr", 160, r"newsletter", r"lettre d'information", r"^inscrivez-vous"),
    *_rules("comments", "fr", 120, r"^(\d+ )?(commentaires?|réactions?)( \(\d+\))?:?$", r"^(laisser|ajouter|écrire) un commentaire", r"^réagir"),
    *_rules("comments", "fr", 240, r"^(\d+|une?) (réflexions?|commentaires?|réponses?|réactions?) (sur|à|au|aux) [“\"«„‘'‹]"),
    *_rules("related", "fr", 80, r"^(à |a )?lire (aussi|également|la suite)", r"^(voir|sur le même sujet|dans la même rubrique)", r"^(les )?plus (lus|populaires|partagés)", r"^(articles|sujets) (liés|similaires|associés)", r"^vous (aimerez|pourriez aimer)"),
    *_rules("share", "fr", 60, r"^partager( sur| cet article)?:?$"),
    # Italian
    *_rules("related", "it", 80, r"^leggi (anche|altro)", r"^(articoli|notizie) correlat[ie]", r"^(i )?più letti"),
    *_rules("comments", "it", 120, r"^(\d+ )?commenti( \(\d+\))?:?$", r"^nessun commento$"),
    # Portuguese
    *_rules("related", "pt", 80, r"^leia (também|mais)", r"^(notícias|artigos) relacionad[ao]s", r"^(os )?mais lid[ao]s", r"^veja (também|mais)"),
    *_rules("comments", "pt", 120, r"^(\d+ )?comentários?( \(\d+\))?:?$"),
    # Dutch, Polish, Swedish/Danish/Norwegian
    *_rules("comments", "nl", 120, r"^(\d+ )?(reacties?)( \(\d+\))?:?$", r"^(laat|plaats|schrijf) een reactie"),
    *_rules("comments", "pl", 120, r"^(\d+ )?(komentarze?|komentarzy)( \(\d+\))?:?$", r"^(dodaj|napisz) komentarz"),
    *_rules("comments", "sv/da/no", 120, r"^(\d+ )?(kommentarer|kommentar)( \(\d+\))?:?$", r"^(skriv|lämna|legg igjen|skriv en) (en )?kommentar"),
    # Dutch
    *_rules("related", "nl", 80, r"^lees (ook|meer)", r"^gerelateerde (artikelen|berichten)", r"^meest gelezen"),
    # A box of links to other stories or further reading, by its heading.
    *_rules("related", "en", 60, r"^keep reading\b"),
    *_rules("related", "fr", 60, r"^(pour )?aller plus loin\b"),
    *_BOX_LABELS_RU_TR_PL_FR,
)

# The services a share bar names, whatever the page's language: a line of
# two or more of them is a share bar; after a share label ("Share this
# article:", "Teilen:") any number of them still is.
SHARE_SERVICES = (r"(whatsapp|facebook|twitter|pinterest|pint|linkedin|email|e-mail|telegram|reddit|print"
                  r"|messenger|x|mail|tumblr|xing|flipboard|copy link)")
_THEN_SERVICES = rf"(\W*\b{SHARE_SERVICES}\b)*\W*$"

TEXT_RULES: tuple[TextRule, ...] = (
    # Language-independent: an e-mail address alone, a date alone (day, month
    # name or number, year; as printed in datelines above or below articles).
    *_rules("contact", "*", 60, r"^\S+@\S+\.\w+$"),
    *_rules("byline", "*", 30, r"^\W*\d{1,2}(\.|\s)+\w{3,12}\.?(\s|,)+\d{4}$", r"^\w{3,9}\.? \d{1,2},? \d{4}$",
            r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(,? (um )?\d{1,2}[:.]\d{2}( ?[ap]\.?m\.?| uhr| h)?)?$"),
    *_rules("gallery", "*", 20, r"^\d+ (of|/|von|de|sur|di) \d+$"),
    *_rules("related", "es", 200, r"^(video|nota) recomendad[ao]s?\b"),
    # A call to action set off by arrows: ">>> Jetzt die aktuelle Ausgabe bestellen! <<<".
    *_rules("promo", "*", 120, r"^(>>+|»»+|→).{3,100}(<<+|««+|←)$"),
    # The heading of a shop box inside the article ("Empfehlungen aus dem …-Shop").
    *_rules("promo", "de", 80, r"^(empfehlungen|produkte|angebote|highlights|tipps) aus (dem|unserem) .{0,40}shop$"),
    *_rules("promo", "en", 80, r"^(recommendations|products|picks|deals) from (the|our) .{0,40}shop$"),
    # A pager between posts or slides ("Vorheriges Weiter", "Previous Next").
    *_rules("navigation", "*", 60,
            r"^((vorherige[rs]?|nächste[rs]?|zurück|weiter|previous|next|prev|précédent|suivant|anterior|siguiente)"
            r"( (artikel|beitrag|post|article|seite|page|story|entrada|artículo))?\W*){1,2}$"),
    # The heading of a list of media on the same subject (the list itself is links).
    *_rules("related", "fr", 60, r"^(audios?|vidéos?)( et (audios?|vidéos?))? sur (le|ce) (même )?sujet$"),
    *_rules("related", "de", 60, r"^(audios?|videos?)( und (audios?|videos?))? zum (gleichen )?thema$"),
    *_rules("related", "en", 60, r"^(audios?|videos?)( and (audios?|videos?))? on (the|this) (same )?(topic|subject)$"),
    *_rules("related", "es", 60, r"^(audios?|vídeos?|videos?)( y (audios?|vídeos?|videos?))? sobre el (mismo )?tema$"),
    *_rules("related", "en", 200, r"^recommended (video|story|reading):"),
    # Labels of a video or audio player: its running time and how long it stays online.
    *_rules("media-label", "*", 20, r"^\d{1,3}:\d{2}( min)?$", r"^\d{1,3} ?(min|mins|minutes|minuten|sek|sec|secs|seg)\.?$"),
    *_rules("media-label", "de", 60, r"^(video|audio|sendung|beitrag) verfügbar bis\b"),
    *_rules("media-label", "en", 60, r"^(video |audio )?available (until|till|to watch until)\b"),
    # An image's lightbox link ("Enlarge") printed before its caption.
    # German has no bare imperative ("Vergrößern Sie ..."), so the label can
    # be told from a sentence; in English only the label alone is safe.
    *_rules("caption", "en", 40, r"^(click to )?enlarge( this)?( image| photo| picture)?$"),
    *_rules("caption", "de", 300, r"^(bild |foto )?vergrößern\b(?! sie\b)"),
    *_rules("caption", "fr", 300, r"^agrandir( l'image| la photo)?$"),
    *_rules("caption", "es", 300, r"^ampliar( imagen| foto)?$"),
    *_rules("share", "*", 80, rf"^({SHARE_SERVICES}\W*){{2,}}\w{{0,10}}$"),
    *_rules("source", "*", 60, r"^(source|sources|quelle|quellen|fuente|fuentes|fonte)\s?:"),
    *_rules("caption", "*", 300, r"\|\s*(foto|photo|bild|image|credit|fotografía|zdroj)s?\s*:\s*[^|]{1,60}$"),
    *_rules("contact", "*", 80, r"^(https?://)?(www\.)?(twitter|x|facebook|instagram|linkedin|threads|bsky)\.(com|net|app)/\S+$"),
    # A line offering the site's feed ("RSS-Feed abonnieren", "Subscribe to our RSS feed").
    *_rules("feed", "en", 120, r"\bsubscribe\b.{0,30}\brss\b", r"\brss[- ]?feeds?\b.{0,10}\bsubscribe\b"),
    *_rules("feed", "de", 120, r"\brss[- ]?feeds?\b.{0,10}\babonnieren\b", r"\babonnieren sie\b.{0,30}\brss\b"),
    *_rules("feed", "fr", 120, r"\babonne[rz]\b.{0,30}\brss\b"),
    *_rules("feed", "es", 120, r"\bsuscr[ií]b.{0,30}\brss\b"),
    # Language-independent: counters and labels made of numbers and symbols.
    *_rules("comment-count", "*", 20, r"^\d+\s*(💬|✉)?$", r"^\d{1,3}(\.\d)?[km]$"),
    # English
    *_rules("notification", "en", 200,
            r"^stay up to date with notifications", r"^notifications can be managed", r"(turn on|enable|allow) (push )?notifications",
            r"^get (breaking )?news alerts"),
    *_rules("app", "en", 200, r"^(download|get|install) (our|the) (free )?(\w+ )?app\b", r"available on the app store"),
    *_rules("app", "en", 120, r"\b(for|on) (ios|iphone|ipad) (and|&|or) android\b"),
    *_rules("app", "de", 120, r"\b(für|auf) (ios|iphone|ipad) (und|&|oder) android\b"),
    *_rules("app", "fr", 120, r"\b(pour|sur) (ios|iphone|ipad) (et|&|ou) android\b"),
    *_rules("app", "es", 120, r"\b(para|en) (ios|iphone|ipad) (y|&|o) android\b"),
    *_rules("donation", "en", 400,
            r"^your support (helps|makes|matters)", r"^your donation (allows|helps)", r"^(please )?(consider )?(supporting|support|donating to|subscribing to) (us|our|the)\b",
            r"^(support|fund) (independent|quality|our) .*journalism", r"^(become|join) (a|our) (member|supporter|subscriber|patron)",
            r"^(donate|contribute|subscribe) (now|today)", r"^already a (subscriber|member)", r"^subscribe to (continue|read|unlock)",
            r"^this (article|content) is (for|only available to) (subscribers|members)"),
    *_rules("newsletter", "en", 250,
            r"^(sign up|subscribe) (for|to) (our|the) .*(newsletter|briefing|email|digest)", r"^(get|receive) (our|the) .*newsletter",
            r"newsletter sign[- ]?up", r"^enter your email", r"^(delivered|straight) to your inbox", r"^by (signing up|subscribing|clicking)"),
    *_rules("comments", "en", 160,
            r"^join (our|the) (commenting forum|conversation|discussion)", r"^join thought-provoking conversations",
            r"^(\d+ )?comments?( \(\d+\))?:?$", r"^(leave|post|add|write) a (comment|reply)", r"^(show|view|load|read|see) (all )?(\d+ )?(comments|replies)",
            r"^be the first to comment", r"^comments (are|have been) (closed|disabled)", r"^(log|sign) in to (comment|reply|join)",
            r"^you must be logged in to post", r"^comments? (policy|guidelines)"),
    *_rules("registration", "en", 250,
            r"^thank you for registering", r"^please refresh the (page|browser)", r"refresh your browser to be logged in",
            r"^(already have an account|don't have an account|create (an|a free) account|register for free)",
            r"^(log|sign) ?in( now)?( to| with| or)", r"^you have been (logged|signed) (in|out)", r"^forgot (your )?password"),
    *_rules("related", "en", 80,
            r"^(related|more|latest|recommended|trending)( \w+)?( articles?| stories| posts| news| content| coverage| reading| links?)?:?$",
            r"^(read|see) (more|also|next)\b", r"^most (read|popular|viewed|shared)", r"^you (may|might) (also )?(like|enjoy)",
            r"^(also|more) (read|on|from)\b:?", r"^click here (to|for) (read|more)", r"^continue reading"),
    *_rules("share", "en", 80,
            r"^share( this)?( article| story| post| page)?( on| via)?:?" + _THEN_SERVICES,
            # "Share on Facebook | Share on Twitter": one label a service.
            rf"^(share (on|via|to) {SHARE_SERVICES}\W*){{2,}}$",
            r"^(click to )?(share|tweet|email|print)( this)?( on \w+)?$", r"^(copy|copied) (the )?link$", r"^(follow|like) us on "),
    *_rules("advertisement", "en", 40, r"^(advertisement|advertising|advert|ad|sponsored( content)?|paid (post|content)|story continues below( advertisement)?|article continues below):?$"),
    *_rules("copyright", "*", 250, r"^(©|\(c\)|copyright\b)", r"©\s?(\d{4}|[a-z])", r"\ball rights reserved\b"),
    *_rules("related", "en", 300, r"^(read more|read also|see also|also read|related|more|don'?t miss|watch|listen|recommended|most read|trending)\s?:"),
    *_rules("related", "en", 300, r"^don'?t miss\b"),
    *_rules("app", "en", 120, r"^click here to (get|download) ", r"^chat with us (in|on) "),
    *_rules("byline", "en", 120, r"^(published|updated|last updated|posted|first published)( on| at)?:? ?(mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|\d)"),
    *_rules("byline", "de", 120, r"^(veröffentlicht|aktualisiert|erschienen|zuletzt aktualisiert|stand)( am)?:? ?\d"),
    *_rules("byline", "es", 120, r"^(publicado|actualizado)( el)?:? ?\d"),
    *_rules("byline", "fr", 120, r"^(publié|mis à jour)( le)?:? ?\d"),
    *_rules("gallery", "en", 40, r"^(image|photo|picture|slide)s? \d+ (of|/)\W*\d*$"),
    *_rules("gallery", "en", 60, r"^.{0,50}\b(gallery|slideshow)$"),
    *_rules("interface", "en", 20, r"^(caption|close|open|expand|collapse|loading\.*|play|pause|skip|toggle caption|hide caption)$"),
    # A like widget's labels printed as text (WordPress: "Like this:", "Like Loading…").
    *_rules("interface", "en", 30, r"^like( this:| loading\W*)$"),
    *_rules("interface", "de", 40, r"^(gefällt mir:?|(gefällt mir )?(wird geladen|lädt)\W*)$"),
    *_rules("related", "en", 40, r"^(topics|reuse this content|more on this story)$"),
    *_rules("contact", "en", 250, r"^(reach|contact|email|e-mail|follow) (the )?(reporters?|authors?|writers?|him|her|them|us)\b",
            r"^email \w+ \w+ at \S+@"),
    *_rules("comments", "en", 250, r"^join (our|the) .{0,30}\bforums?\b"),
    *_rules("gallery", "de", 40, r"^(bild|foto) \d+ (von|aus) \d+$"),
    *_rules("gallery", "es", 40, r"^(imagen|foto) \d+ de \d+$"),
    *_rules("gallery", "fr", 40, r"^(image|photo) \d+ (sur|de) \d+$"),
    *_rules("script-notice", "en", 120, r"^(this|the) (slideshow|gallery|content|video|page) requires javascript", r"^(please )?enable javascript"),
    *_rules("comments", "en", 60, r"^tell us what you think"),
    *_rules("donation", "en", 250, r"^(get|have) .{0,60} delivered (to|through|straight)"),
    # Buttons of tipping and sharing plugins, printed as text.
    *_rules("donation", "en", 40, r"^flattr this\b"),
    *_rules("share", "en", 40, r"^be sociable,? share\b"),
    *_rules("caption", "en", 400, r"^in this .{0,60}\b(file )?photo\b"),
    *_rules("related", "en", 120, r"^related \w+:", r"^tags?:", r"^buyer'?s guide:"),
    *_rules("related", "en", 80, r"^(popular|trending|most popular) (on|in|at) ", r"^more news\b", r"^\W*(previous|next)\s?:",
            r"^(read|save for|save to read) later$"),
    *_rules("disclaimer", "en", 300, r"^disclaimer\s?:", r"^the views (and opinions )?expressed (here|in this (article|post|column))"),
    *_rules("disclaimer", "de", 300, r"^(dieser|der) beitrag gibt die meinung", r"^haftungsausschluss\s?:"),
    *_rules("contact", "*", 200, r"^(e-mail|email|mail|tel\.?|telefon|phone|fax)\s?:\s?\S+"),
    *_rules("related", "fr", 60, r"^permalien\b"),
    *_rules("hatnote", "en", 200, r"^main articles?:", r"^(further information|see also):", r"^this article is about\b.{0,80}for other uses",
            r"\bredirects here\. for other uses\b", r"^for other uses, see\b"),
    *_rules("byline", "en", 150, r"^(medically )?(reviewed|fact[- ]checked) by\b", r"\bcontributed (reporting|to this (report|article|story))\b",
            r"^via \S+$"),
    *_rules("share", "en", 30, r"^\d+ shares?\b"),
    *_rules("video", "en", 80, r"^your video will (play|begin|start)"),
    *_rules("interface", "en", 10, r"^home$"),
    *_rules("comments", "en", 200, r"^(note: )?we (are|have) .{0,40}(moderating|closed|disabled) (all )?comments"),
    *_rules("byline", "en", 80, r"^\w{3,9}\.? \d{1,2}, \d{4}\s*updated\b", r"^(reading time|read time)\b"),
    *_rules("byline", "pt", 80, r"^(\w+-feira|sábado|domingo),? \d{1,2} de \w+ de \d{4}", r"^tempo de leitura\b"),
    *_rules("byline", "es", 60, r"^tiempo de lectura\b"),
    *_rules("byline", "de", 60, r"^lesezeit\b"),
    *_rules("byline", "fr", 60, r"^temps de lecture\b"),
    *_rules("related", "pt", 80, r"^você (também )?pode gostar"),
    *_rules("interface", "pt", 10, r"^voltar$"),
    *_rules("related", "cs", 40, r"^další zprávy$"),
    *_rules("caption", "ru", 60, r"^(личный архив|фото:)"),
    *_rules("related", "en", 80, r"^(previous|next) (article|post|story)\b", r"^\d+ min(ute)?s? read$", r"^about the authors?$"),
    # The reading time, also glued by the markup to the date after it ("7 min readFeb 14, 2023").
    *_rules("byline", "en", 60, r"\b\d+ min(ute)?s? read(\b|(?=(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)))"),
    # A blog platform's meta bar: its label before the publication's name.
    *_rules("byline", "en", 20, r"^published in$"),
    *_rules("newsletter", "en", 200, r"^(do|would) you (want|like) to (be informed|receive|get|stay)"),
    *_rules("caption", "en", 120, r"^(photo|image|picture|cover|header image)? ?credits?:", r"^(photo|image) (by|courtesy)\b"),
    # Credit lines in their other spellings ("Main image credit: Getty",
    # "Photo Source: …", "Photocredits …:", "(All photos: …)", "Words: … Photos: …";
    # judge_block has already stripped a leading bracket).
    *_rules("caption", "en", 120,
            r"^(main |top |header |featured |cover |lead )?(image|photo|picture)s? (credits?|source|courtesy)\s?:",
            r"^photo ?credits?\b", r"^(all )?(photos?|images?|pictures?)\s?:", r"^(words|text)\s?:.{1,80}\bphotos?\s?:"),
    # A caption's credit in brackets at its end ("… (Foto: iFixit)", "(credit: NASA/…)",
    # "(Getty/…)"): a caption, whatever its language ("*": the agency names).
    *_rules("caption", "*", 400,
            r"\((foto|fotos|photo|photos|bild|image|credit|crédit|fotografía|symbolfoto|archivfoto)\s?:\s?[^()]{1,60}\)$",
            r"\((getty|afp|reuters|dpa|imago|shutterstock|istock)( images)?(/[^()]{1,60})?\)$"),
    *_rules("byline", "en", 200, r"^this entry was posted", r"^(posted|filed) (in|under)\b", r"^(tags|tagged( with)?|topics|categories):"),
    *_rules("rating", "en", 80, r"^rate this (article|story|post)", r"^(was this|did you find this) (article|page|helpful)"),
    *_rules("affiliate", "en", 160, r"\baffiliate (links?|commission)", r"^we may earn a commission"),
    *_rules("affiliate", "en", 250, r"^this (post|article|page|story) (may )?contains? references to products",
            r"\bwe may (receive|earn) (a )?(compensation|commission) when you (click|buy)"),
    # Sponsored posts ("This shop has been compensated by …", "All opinions are mine").
    *_rules("affiliate", "en", 300, r"\bhas been compensated by\b", r"\ball opinions are (mine|my own|our own)\b"),
    *_rules("advertisement", "en", 250, r"\((advertisement|sponsored|ad)\)$"),
    *_rules("newsletter", "en", 200, r"\bwas this (e-?mail|newsletter) forwarded to you\b"),
    # The credit line of an embedded widget ("Powered by GetYourGuide. Become a partner.").
    *_rules("promo", "en", 60, r"^powered by \S+"),
    *_rules("related", "en", 60, r"^keep reading$"),
    # German
    *_rules("advertisement", "de", 40, r"^(anzeige|werbung|weiter nach der anzeige|artikel wird nach der anzeige fortgesetzt):?$"),
    *_rules("donation", "de", 400, r"^unterstützen sie (uns|unabhängigen|unseren)", r"^jetzt (spenden|unterstützen|abonnieren)", r"^sie sind bereits abonnent"),
    *_rules("newsletter", "de", 250, r"^(jetzt |hier )?(zum |für den )?newsletter (anmelden|abonnieren)", r"^melden sie sich (jetzt )?für unseren newsletter",
            # The sign-up box's prompt and its double opt-in note.
            r"^(verpasse|verpassen sie) (keine|nichts)\b", r"\bbestätigungs-?(e-)?mail\b.{0,80}anmeldung"),
    *_rules("comments", "de", 160, r"^(\d+ )?(kommentare?|leserkommentare)( \(\d+\))?:?$", r"^(kommentar schreiben|diskutieren sie mit|jetzt kommentieren)"),
    *_rules("registration", "de", 250, r"^(bitte )?(melden sie sich an|loggen sie sich ein|einloggen|anmelden)\b", r"^sie haben (noch )?kein konto"),
    *_rules("related", "de", 80, r"^mehr zu (diesem|dem) thema:?$",
            r"^(mehr|weitere|ähnliche|verwandte|neueste|neuste) (zum thema|artikel|nachrichten|beiträge)", r"^(lesen sie|lies) (auch|mehr)\b", r"^das (könnte|dürfte) sie auch interessieren", r"^meistgelesen"),
    *_rules("share", "de", 80, r"^(artikel |beitrag )?teilen( auf| per)?( \w+)?:?" + _THEN_SERVICES),
    *_rules("rating", "de", 120, r"^(hat|gefällt) (ihnen|dir) (dieser|der|unser|das) ", r"^(info zur )?bewertung", r"^(hier )?können sie (den|diesen) artikel bewerten", r"^artikel bewerten"),
    *_rules("related", "de", 80, r"^weitere informationen( zu[mr]? .*)?:?$", r"^mehr aus ", r"^(die )?meistgelesenen?", r"^vorschau auf den nächsten", r"^(nächster|vorheriger) artikel", r"^über (den|die) autor(in)?:?$"),
    *_rules("rating", "de", 250, r"^(hat|gefällt) (ihnen|dir|euch) (dieser|der|unser|das) "),
    *_rules("registration", "de", 250, r"^sie müssen (sich )?(einloggen|anmelden|eingeloggt|angemeldet)", r"^bitte registrieren sie sich"),
    *_rules("comments", "de", 40, r"^kommentieren$", r"^(jetzt )?kommentar schreiben$"),
    *_rules("navigation", "de", 40, r"^zur startseite$", r"^suche$", r"^quellen (aus|ein)blenden$"),
    *_rules("contact", "de", 80, r"^(telefon|tel\.|fax|e-mail)\s*:"),
    *_rules("related", "de", 120, r"^weitere infos\b"),
    *_rules("promo", "de", 200, r"^(kennt ihr|kennen sie) (schon )?unser"),
    *_rules("share", "de", 80, r"^(diesen |den )?(artikel|beitrag) teilen"),
    *_rules("caption", "de", 120, r"^(foto|fotos|bild|bilder|bildquelle|quelle foto)s? ?:", r"^(foto|bild)(nachweis|rechte) ?:"),
    # "Bildcredit: …", and a caption ending in its credit ("… Bildrechte: IMAGO",
    # "…Archivfoto: ON").
    *_rules("caption", "de", 120, r"^bild ?credits?\s?:"),
    *_rules("caption", "de", 300, r"\bbildrechte\s?:\s?[^.:]{1,60}$", r"(archiv|symbol|presse)?fotos?\s?:\s?[^.:]{1,40}$"),
    # Paywall and subscription prompts inside the text.
    *_rules("registration", "de", 80, r"^bereits abonnent(/in|\*in|:in|in)?\s?\?", r"^gleich können sie weiterlesen"),
    *_rules("newsletter", "de", 120, r"^redaktioneller newsletter\b", r"^abonnieren sie (jetzt |hier )?(den|unseren) .{0,40}newsletter"),
    *_rules("comments", "de", 60, r"^kommentarfunktion$", r"^kommentare lesen und schreiben\b"),
    *_rules("related", "de", 200, r"^weiterlesen\s?(:|>+|»|→)", r"^mehr anzeigen$", r"^mehr dazu lesen sie hier\b"),
    # Advertising marked as such in the text ("… (Anzeige)", "*Werbung. Dieser
    # Beitrag enthält Werbung für …").
    *_rules("advertisement", "de", 250, r"\((anzeige|werbung)\)$", r"\bdieser (beitrag|artikel|post) enthält (werbung|anzeigen|affiliate)"),
    # A note that the text is a reader's or community blog, a guest post, a
    # press release, or was reviewed by physicians: about the text, not of it.
    *_rules("disclaimer", "de", 250,
            r"^bei diese[mr] (beitrag|artikel|text|inhalt|meldung) handelt es sich um",
            r"^dieser (text|artikel|beitrag) entspricht den vorgaben\b",
            r"^hinweis: für den inhalt (der|dieser) (pressemitteilung|meldung|mitteilung)"),
    *_rules("disclaimer", "de", 250, r"\bwurde von (medizinern|medizinerinnen|ärzten|ärztinnen|fachärzten|fachärztinnen) (geprüft|überprüft)"),
    # A wire story taken over as the agency sent it: a note about the text.
    *_rules("disclaimer", "de", 250,
            r"^(dieser|der) (artikel|text|beitrag) wurde automatisch (von|aus) .{1,60} übernommen",
            r"^diese meldung ist teil eines automatisierten angebots"),
    # A wire story's closing credits ("Reporting by Jane Doe; Editing by John
    # Roe") and the link to the agency's standards: the byline repeated at
    # the end, not text.
    *_rules("byline", "en", 250,
            r"^(additional )?(reporting|writing|reporting and writing) by [^;]{3,120}(; (additional )?(reporting|writing) by [^;]{3,120})*"
            r"; editing by [^;]{3,80}$"),
    *_rules("byline", "en", 80, r"^our standards\s?:"),
    # A button asking readers to subscribe (pt): "Assine o Jornal …", "Assine já".
    *_rules("donation", "pt", 80, r"^assine (o|a|já|agora|aqui)\b"),
    # A newsletter's appeal to its readers ("Enjoying The Flight Deck? Subscribe for free …").
    *_rules("newsletter", "en", 200, r"^(enjoying|enjoyed|like|liked|love|loving) (this|the|our|reading)\b.{0,60}\?\s*"
            r"(subscribe|sign up|join)\b"),
    # A photo caption printed as a paragraph, ending with the photographer's
    # credit "记者 张明 摄" ("photo by reporter …"). Not every "图为…"
    # ("pictured is…") paragraph: pages that tell a story in pictures keep
    # them as their text (a corpus page's reference does).
    *_rules("caption", "zh", 200, r"(记者|摄影|通讯员)\s?\S{2,4}\s?摄$"),
    *_rules("disclaimer", "en", 250,
            r"^(except for the headline, )?this (story|article) has not been edited by .{1,60} (and|but) is "
            r"(published|auto-generated) from a syndicated feed"),
    # "Hier geht es zur …": a line that only points to another page; "Alles
    # über … findest du hier."; "Wie …, erklären wir in unserem Beitrag …".
    *_rules("related", "de", 100, r"^hier geht('s| es) (zur|zum|zu den|zu unsere[mnr]?|weiter zu)\b"),
    *_rules("related", "de", 120, r"^.{0,90}\b(findest du|finden sie|findet ihr|lest ihr|lesen sie) hier\W*$"),
    *_rules("related", "de", 250, r"\b(erklären|zeigen|beschreiben|erläutern) wir (ausführlich )?in unserem (beitrag|artikel|ratgeber|text)\b"),
    # An issue of the print magazine offered inside an online article.
    *_rules("promo", "de", 400, r"\b(das heft|die ausgabe|das magazin) (können|kannst) (sie|du) (hier|online|bequem|jetzt) .{0,40}bestellen"),
    # Drupal's "Submitted by NAME on DATE" line, as sites translate it.
    *_rules("byline", "en", 120, r"^submitted by .{1,60} on\b"),
    *_rules("byline", "de", 120, r"^gespeichert von .{1,60} am\b", r"^eingereicht von .{1,60} am\b"),
    *_rules("byline", "de", 30, r"^(kolumnist|autor|redakteur)(\*in|:in|_in|in|innen|\*innen)?:$"),
    *_rules("caption", "de", 120, r"^(fotos?|bilder?|illustrations?|grafiken?)\s*/\s*(fotos?|illustrations?|grafiken?)\s*:"),
    *_rules("byline", "de", 200, r"^erstellt am\b", r"^(schlagworte|schlagwörter|kategorien|themen|tags):"),
    *_rules("affiliate", "de", 160, r"^anzeige\b.{0,40}affiliate", r"\baffiliate[- ]links?", r"^alle angaben ohne gewähr", r"^für links auf dieser seite"),
    # Spanish
    *_rules("advertisement", "es", 40, r"^(publicidad|anuncio|contenido patrocinado):?$"),
    *_rules("donation", "es", 400, r"^(apoya|apóyanos|colabora con|hazte socio|suscríbete)\b"),
    *_rules("newsletter", "es", 250, r"^(suscríbete|suscribete|recibe) (a |al )?(nuestro|nuestra)? ?(bolet[ií]n|newsletter)"),
    *_rules("comments", "es", 160, r"^(\d+ )?comentarios?( \(\d+\))?:?$", r"^(deja|escribe|añade) (un|tu) comentario"),
    *_rules("related", "es", 80, r"^(noticias|artículos) relacionad[ao]s", r"^(lee|leer|lea) (también|más)\b", r"^te puede (interesar|gustar)", r"^(lo )?más (leído|visto)"),
    *_rules("share", "es", 80, r"^compart(e|ir)( en| esta noticia| este artículo)?( \w+)?:?" + _THEN_SERVICES),
    *_rules("rating", "es", 80, r"^valora (esta|este) (noticia|artículo)"),
    *_rules("related", "es", 80, r"^le puede interesar", r"^temas relacionados", r"^(más|mas) sobre ", r"^(artículo|noticia) (anterior|siguiente)"),
    *_rules("related", "es", 80, r"^contexto de la noticia"),
    *_rules("share", "es", 80, r"^síguenos( en)?\b"),
    *_rules("contact", "es", 300, r"^puede escribirnos"),
    *_rules("caption", "es", 120, r"^(foto|fotos|imagen|crédito)s? ?:"),
    # French
    *_rules("advertisement", "fr", 40, r"^(publicité|pub|contenu sponsorisé|article sponsorisé):?$"),
    *_rules("donation", "fr", 400, r"^(soutenez|abonnez-vous|faites un don)\b"),
    *_rules("newsletter", "fr", 250, r"^(inscrivez-vous|abonnez-vous) à (notre|la) (newsletter|lettre)"),
    *_rules("comments", "fr", 160, r"^(\d+ )?(commentaires?|réactions?)( \(\d+\))?:?$", r"^(laisser|ajouter|écrire) un commentaire", r"^réagir à cet article"),
    *_rules("related", "fr", 80, r"^(à |a )?lire (aussi|également)\b", r"^(voir aussi|sur le même sujet)", r"^(les )?plus lus"),
    *_rules("share", "fr", 80, r"^partager( sur| cet article)?( \w+)?:?" + _THEN_SERVICES),
    *_rules("caption", "fr", 120, r"^(crédits?|credits?) (photos?|images?) ?:", r"^(photo|illustration) ?:"),
    # The credit of the article's picture, printed under the text: "Image
    # illustrative : <title> by <author>, en licence …", "Photo d'illustration : …".
    *_rules("caption", "fr", 200, r"^(image|photo|visuel)s? (illustratives?|d'illustration|d’illustration|de une|d'en-tête|d’en-tête)\s?:"),
    *_rules("related", "fr", 80, r"^permalien$", r"^(article|billet) (précédent|suivant)"),
    *_rules("comments", "fr", 80, r"^qui êtes-vous"),
    # An invitation to respond to the article ("Nota bene : Si vous souhaitez
    # critiquer ou développer cet article, …").
    *_rules("comments", "fr", 300, r"^(nota bene\s?:\s?)?si vous souhaitez (critiquer|réagir à|répondre à|développer|commenter)( ou \w+)? cet article"),
    *_rules("share", "pt", 80, r"^(nos )?siga(-nos)? no\b"),
    # Italian / Portuguese / Dutch
    *_rules("advertisement", "it", 40, r"^(pubblicità|annuncio):?$"),
    *_rules("related", "it", 80, r"^leggi (anche|altro)\b"),
    *_rules("comments", "it", 40, r"^nessun commento$"),
    *_rules("byline", "it", 30, r"^\d*\s?letture$"),
    *_rules("advertisement", "pt", 40, r"^(publicidade|anúncio):?$"),
    *_rules("related", "pt", 80, r"^(leia|veja) (também|mais)\b"),
    *_rules("advertisement", "nl", 40, r"^(advertentie|gesponsord):?$"),
    *_rules("advertisement", "id", 40, r"^(iklan|advertorial)$"),
    *_rules("advertisement", "pl", 40, r"^(reklama|ogłoszenie)$"),
    *_rules("advertisement", "cs", 40, r"^(reklama|inzerce)$"),
    *_rules("advertisement", "ru", 40, r"^(реклама)$"),
    *_rules("advertisement", "tr", 40, r"^(reklam)$"),
    *_rules("advertisement", "sv", 40, r"^(annons)$"),
    *_rules("advertisement", "da/no", 40, r"^(annonce|annonse|reklame)$"),
    *_rules("related", "nl", 80, r"^lees (ook|meer)\b"),
    *_BOX_LABELS_RU_TR_PL_FR,
)


# --------------------------------------------------------------------------
# Compiled forms, built once on first use (not at import: cheap imports).

@dataclass
class CompiledTextRules:
    """Text rules compiled for speed. Anchored patterns (most of them) are
    tried at position 0 only, and only those a text can meet: a text of n
    characters meets the rules whose ``max_chars`` is at least n and that
    can start with its first character, a handful instead of all, tried in
    rule order (the first match names the rule). Each unanchored pattern is
    tried only when its longest literal part (its "needle") occurs in the text,
    each anchored one only when the literal run all its matches hold does.

    The handful per (length tier, first character) is a tuple of the rules'
    own compiled patterns, built on first use. Joining them into one regex
    per pair was no faster to match and cost a compile per pair: ~0.4 ms a
    page over a new process's first pass of the corpus, and new compiles
    for every first character of a new script (each CJK character) in a crawl."""

    anchored: tuple[tuple[int, str, re.Pattern[str], frozenset[str] | None], ...]
    """(index, rule name, pattern without "^", possible first characters or None for any)."""
    caps: tuple[int, ...]
    """max_chars of each anchored rule, by index."""
    tier_caps: tuple[int, ...]
    floating: tuple[tuple[str, str, int, re.Pattern[str]], ...]
    """(needle, rule name, max_chars, pattern) of the unanchored rules."""
    _buckets: dict[tuple[int, str], tuple[tuple[object, str, str], ...]] = field(default_factory=dict)
    _by_first: dict[str, tuple[tuple[int, object, str, str], ...]] = field(default_factory=dict)
    _firsts: frozenset[str] = frozenset()
    _needles: dict[int, str] = field(default_factory=dict)
    _float_caps: tuple[int, ...] = ()
    _float_lists: tuple[tuple[tuple[str, str, re.Pattern[str]], ...], ...] = ()

    def __post_init__(self) -> None:
        # The unanchored rules a text of n characters can meet, in rule order,
        # per distinct max_chars: a long paragraph skips the short-label rules
        # without a Python test for each.
        self._float_caps = tuple(sorted({cap for _, _, cap, _ in self.floating}))
        self._float_lists = tuple(
            tuple((needle, name, pattern) for needle, name, cap, pattern in self.floating if cap >= tier)
            for tier in self._float_caps)
        # First characters some rule names: any other character meets only
        # the rules that may start with anything, so all such characters
        # share one bucket and the buckets stay few whatever the script.
        self._firsts = frozenset(ch for _, _, _, firsts in self.anchored if firsts for ch in firsts)
        # A literal every match of an anchored rule holds (" hier" in
        # "^.{0,90}\b(findest du|lesen sie) hier\W*$", "updated", "@"): a
        # substring test rejects most texts before the pattern runs, which
        # cut the time of matching the corpus's blocks by a fifth.
        for i, _, pattern, _ in self.anchored:
            if i not in self._needles:
                self._needles[i] = _required_literal(pattern)

    def _bucket(self, cap: int, first: str) -> tuple[tuple[object, str, str], ...]:
        if first not in self._firsts:
            first = ""
        key = (cap, first)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = tuple(
                (match, name, needle) for rule_cap, match, name, needle in self._first_rules(first)
                if rule_cap >= cap)
        return bucket

    def _first_rules(self, first: str) -> tuple[tuple[int, object, str, str], ...]:
        """(max_chars, match, name, needle) of the anchored rules a text
        starting with ``first`` can meet ("": a character no rule names),
        in rule order. Each bucket of a first character is cut from these:
        a new (length tier, first character) pair, ~12 a page in a new
        process's first pages and ~780 over the corpus, then reads the few
        dozen rules of its character instead of testing all 265."""
        if not self._by_first:
            self._by_first = self._rules_by_first()
        return self._by_first[first]

    def _rules_by_first(self) -> dict[str, tuple[tuple[int, object, str, str], ...]]:
        # One pass over the rules for every first character at once: each
        # rule goes to the characters it names (or to all, and to ""), where
        # testing every rule for each new character cost 265 tests a character.
        lists: dict[str, list[tuple[int, object, str, str]]] = {ch: [] for ch in self._firsts}
        lists[""] = []
        for i, name, pattern, firsts in self.anchored:
            entry = (self.caps[i], pattern.match, name, self._needles[i])
            for ch in lists if firsts is None else firsts:
                lists[ch].append(entry)
        return {ch: tuple(rules) for ch, rules in lists.items()}

    def match(self, text: str) -> str | None:
        """Name of the first rule matching ``text`` (lower-cased, collapsed)."""
        n = len(text)
        if not n:
            return None
        tier = bisect_left(self.tier_caps, n)
        if tier < len(self.tier_caps):
            for match, name, needle in self._bucket(self.tier_caps[tier], text[0]):
                if needle in text and match(text) is not None:  # type: ignore[operator]
                    return name
        tier = bisect_left(self._float_caps, n)
        if tier < len(self._float_caps):
            for needle, name, pattern in self._float_lists[tier]:
                if needle in text and pattern.search(text):
                    return name
        return None


def first_chars(pattern: str, parsed: object = None) -> frozenset[str] | None:
    """Characters a match of ``pattern`` can begin with, or None when any
    (or when the pattern is beyond this small analysis). ``parsed``: the
    pattern as ``re._parser.parse`` gives it, when the caller has it."""
    try:
        from re import _constants as c
        from re import _parser
    except ImportError:  # another Python: no dispatch, every rule is tried
        return None

    def seq_first(items) -> tuple[set[str] | None, bool]:
        out: set[str] = set()
        for op, av in items:
            first, nullable = item_first(op, av)
            if first is None:
                return None, False
            out |= first
            if not nullable:
                return out, False
        return out, True

    def item_first(op, av) -> tuple[set[str] | None, bool]:
        if op is c.LITERAL:
            return {chr(av)}, False
        if op is c.IN:
            chars: set[str] = set()
            for o, a in av:
                if o is c.LITERAL:
                    chars.add(chr(a))
                elif o is c.RANGE and a[1] - a[0] < 300:
                    chars.update(chr(x) for x in range(a[0], a[1] + 1))
                elif o is c.CATEGORY and a is c.CATEGORY_DIGIT:
                    chars.update("0123456789")  # ASCII digits; other digits fall to wildcard rules
                else:
                    return None, False
            return chars, False
        if op is c.SUBPATTERN:
            return seq_first(av[-1])
        if op is c.BRANCH:
            union: set[str] = set()
            nullable = False
            for branch in av[1]:
                first, null = seq_first(branch)
                if first is None:
                    return None, False
                union |= first
                nullable = nullable or null
            return union, nullable
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, _, sub = av
            first, null = seq_first(sub)
            return first, (low == 0 or null)
        if op is c.AT:
            return set(), True
        return None, False

    try:
        first, nullable = seq_first(_parser.parse(pattern) if parsed is None else parsed)
    except Exception:
        return None
    return None if first is None or nullable else frozenset(first)


_GROUPS = re.compile(r"\([^()]*\)|\[[^\]]*\]|\\[a-zA-Z]")
_OPTIONAL = re.compile(r".(?:[?*]|\{0,?\d*\})")
# A counted repeat ("{1,60}") is no literal text: before this, "1,60" was
# taken for the needle of a caption rule, which then never ran.
_REPEAT = re.compile(r"\{\d*,?\d*\}")
_LITERAL = re.compile(r"[^\\()\[\]?*+{}|.^$]+")


def needle_of(pattern: str) -> str:
    """The longest literal part of a pattern outside groups and classes
    ("" when there is none, and the pattern is always tried)."""
    stripped = pattern
    while True:
        reduced = _GROUPS.sub("|", stripped)
        if reduced == stripped:
            break
        stripped = reduced
    stripped = _OPTIONAL.sub("|", stripped)  # an optional character is not required
    stripped = _REPEAT.sub("|", stripped)
    parts = [p for p in _LITERAL.findall(stripped) if p.strip()]
    return max(parts, key=len).strip() if parts else ""


def literal_run(pattern: str, parsed: object = None) -> str:
    """The longest run of literal characters in a pattern's top-level
    sequence, escaped ones included ("(" in ``\\((anzeige|werbung)\\)$``):
    every match holds it. "" when there is none or the pattern is beyond
    this reading. For the rules ``needle_of`` finds no needle in, which
    were otherwise searched in every block."""
    try:
        from re import _constants as c
        from re import _parser
        items = _parser.parse(pattern) if parsed is None else parsed
    except Exception:
        return ""
    best, run = "", ""
    for op, av in items:
        if op is c.LITERAL:
            run += chr(av)
            continue
        best, run = max(best, run, key=len), ""
    return max(best, run, key=len)


def _required_literal(pattern: re.Pattern[str], parsed: object = None) -> str:
    """``literal_run`` of a compiled pattern: "" (no test) when the pattern
    ignores case, since its literals then match other cases too."""
    return "" if pattern.flags & re.IGNORECASE else literal_run(pattern.pattern, parsed)


def _parse(pattern: str) -> object:
    """``re._parser.parse(pattern)``, or None (each reader then parses, or
    gives up, by itself): parsing costs as much as reading it twice."""
    try:
        from re import _parser
        return _parser.parse(pattern)
    except Exception:
        return None


def compile_text_rules(rules: tuple[TextRule, ...]) -> CompiledTextRules:
    """Compile rules for :meth:`CompiledTextRules.match`."""
    anchored = []
    caps = {}
    needles: dict[int, str] = {}
    for i, rule in enumerate(rules):
        if rule.pattern.startswith("^"):
            body = rule.pattern[1:]
            compiled = re.compile(body)
            parsed = _parse(body)
            anchored.append((i, rule.name, compiled, first_chars(body, parsed)))
            needles[i] = _required_literal(compiled, parsed)
            caps[i] = rule.max_chars
    floating = tuple(
        (needle_of(rule.pattern) or literal_run(rule.pattern), rule.name, rule.max_chars, re.compile(rule.pattern))
        for rule in rules if not rule.pattern.startswith("^")
    )
    return CompiledTextRules(
        anchored=tuple(anchored),
        caps=tuple(caps.get(i, 0) for i in range(len(rules))),
        tier_caps=tuple(sorted(set(caps.values()))),
        floating=floating,
        _needles=needles,
    )


_cache: dict[str, object] = {}


_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")


def _attribute_tables() -> tuple[dict[str, str], dict[tuple[str, str], str], dict[str, str]]:
    if "attr" not in _cache:
        words: dict[str, str] = {}
        phrases: dict[tuple[str, str], str] = {}
        tokens: dict[str, str] = {}
        for rule in ATTRIBUTE_RULES:
            for w in rule.words:
                words.setdefault(w, rule.name)
            for p in rule.phrases:
                phrases.setdefault(p, rule.name)
            for t in rule.tokens:
                tokens.setdefault(t, rule.name)
        _cache["attr"] = (words, phrases, tokens)
        # Most class values hold none of the words: a set test rejects them.
        _cache["attr-first"] = frozenset(words) | {p[0] for p in phrases}
        _cache["attr-stems"] = tuple(stem for rule in ATTRIBUTE_RULES for stem in rule.stems)
    return _cache["attr"]  # type: ignore[return-value]


_token_verdicts: dict[str, str | None] = {}
_UNSEEN = object()
# _WORD on a token without capitals: its runs of letters.
_LOWER_WORD = re.compile(r"[a-z]+")


# A part of a class name between "-" or "_"; its runs of letters or digits.
_NAME_PART = re.compile(r"[^-_]+")
_LETTERS_OR_DIGITS = re.compile(r"[A-Za-z]+|[0-9]+")
# The cheap test that lets most names through untouched: a hash holds a digit.
_DIGIT = re.compile(r"[0-9]")
# An ad slot's size ("ad300x250", "banner728x90"): digits and letters, but no hash.
_AD_SIZE = re.compile(r"[0-9]x[0-9]")
_HASH_STARTS = tuple(prefix + "-" for prefix in HASH_PREFIXES)


def without_hashes(token: str) -> str:
    """``token`` with the parts that are generated hashes left empty: the
    part after a ``HASH_PREFIXES`` first part, and any part in which letters
    and digits alternate three times or more ("o8ad6j", "3ad9x"; not "h2",
    "col6", "top10" or an ad size, "ad300x250"). The separators stay, so a
    BEM "__" still reads."""
    prefixed = token.startswith(_HASH_STARTS)
    if not prefixed and _DIGIT.search(token) is None:
        return token  # the same object: nothing to read again
    kept, end = [], 0
    for index, match in enumerate(_NAME_PART.finditer(token)):
        part = match.group()
        if (prefixed and index == 1) or (len(_LETTERS_OR_DIGITS.findall(part)) >= 3
                                         and _AD_SIZE.search(part) is None):
            kept.append(token[end:match.start()])
            end = match.end()
    if not end:
        return token
    kept.append(token[end:])
    return "".join(kept)


def token_rule(token: str) -> str | None:
    """Name of the attribute rule one class token (or id) matches, if any.
    Remembered: tokens such as "container" or "clearfix" recur on every site."""
    # A crawl of many sites meets ~80 new tokens a page: the verdict is
    # looked up without raising on a miss, and a token without capitals
    # (most) is cut by a simpler pattern than camelCase needs.
    cached = _token_verdicts.get(token, _UNSEEN)
    if cached is not _UNSEEN:
        return cached  # type: ignore[return-value]
    rule = _token_rule(token)
    if rule is not None:
        # Read again without its hashes only when it names a rule (few
        # tokens do): a test of every new token cost ~1% of extraction.
        unhashed = without_hashes(token)
        if unhashed is not token:
            rule = _token_rule(unhashed)
    if len(_token_verdicts) > 100_000:  # bounded for very long crawls
        _token_verdicts.clear()
    _token_verdicts[token] = rule
    return rule


def _token_rule(token: str) -> str | None:
    words, phrases, tokens = _attribute_tables()
    lowered = token.lower()
    rule = tokens.get(lowered)
    if lowered == token:
        parts = _LOWER_WORD.findall(token)
    else:
        parts = " ".join(_WORD.findall(token)).lower().split()
    if rule is None and LEDE_WORDS.isdisjoint(parts):
        if not _cache["attr-first"].isdisjoint(parts):  # type: ignore[union-attr]
            for i, part in enumerate(parts):
                if i and parts[i - 1] in QUALIFIER_WORDS:
                    continue
                if i >= 2 and not CONTENT_WORDS.isdisjoint(parts[:i]):
                    break
                nxt = parts[i + 1] if i + 1 < len(parts) else None
                if nxt is not None and (part, nxt) in phrases:
                    rule = phrases[(part, nxt)]
                    break
                found = words.get(part)
                if found and nxt not in STATE_WORDS:
                    rule = found
                    break
        stems: tuple[str, ...] = _cache["attr-stems"]  # type: ignore[assignment]
        # A word can begin with a stem only if the token holds that stem.
        # A loop, not any() over a generator: this runs for every new token
        # (~80 a page), and the generator cost more than the substring tests.
        for stem in stems if rule is None else ():
            if stem in lowered:
                for part in parts:
                    # Whole words were judged above (with their state words).
                    if part not in words and part.startswith(stems) and not part.startswith(STEM_EXCEPTIONS):
                        rule = next(r.name for r in ATTRIBUTE_RULES if r.stems and part.startswith(r.stems))
                        break
                break
    if rule is None and "__" in token:
        # A BEM element ("mainContent__legend") is named by what follows its
        # block's name, which only says where it sits (and may be a content
        # word that stops the reading above); a "--" modifier is a variant.
        # Only its words and phrases: whole-token names ("footer", "nav")
        # of an element are parts of a larger block (a product box's footer).
        element = token.rpartition("__")[2].partition("--")[0]
        eparts = [w.lower() for w in _WORD.findall(element)]
        if LEDE_WORDS.isdisjoint(eparts):
            for i, part in enumerate(eparts):
                nxt = eparts[i + 1] if i + 1 < len(eparts) else None
                if (i and eparts[i - 1] in QUALIFIER_WORDS) or nxt in STATE_WORDS:
                    continue
                rule = phrases.get((part, nxt)) if nxt is not None else None
                rule = rule or words.get(part)
                if rule:
                    break
    return rule


# The subset of LEDE_WORDS that names a subtitle rather than a first paragraph.
# Not "excerpt" (a CMS excerpt is the opening of the text itself) nor
# "epigraph" (a quotation that opens the text): on the corpus, the blocks so
# named were article text every time they equalled the standfirst.
DEK_WORDS: frozenset[str] = frozenset({
    "standfirst", "deck", "dek", "subtitle", "subheadline", "summary", "chapeau", "chapo",
    "entradilla", "vorspann", "strap", "strapline",
})


def names_dek(value: str) -> bool:
    """Whether a class attribute or id names a subtitle (standfirst, deck)."""
    return not DEK_WORDS.isdisjoint(w.lower() for w in _WORD.findall(value))


def names_lede(value: str) -> bool:
    """Whether a class attribute or id names a lede or intro block."""
    return not LEDE_WORDS.isdisjoint(w.lower() for w in _WORD.findall(value))


def attribute_rule_for(value: str) -> str | None:
    """Name of the attribute rule matching a class attribute or id, if any."""
    for token in value.split():
        rule = token_rule(token)
        if rule:
            return rule
    return None


# Rules whose match on a block's first line or first sentence condemns the
# whole block: an appeal or prompt that goes on for a few more sentences.
LEAD_RULES: frozenset[str] = frozenset({
    "donation", "newsletter", "rating", "promo", "registration", "comments", "contact",
    "disclaimer", "affiliate", "notification", "app",
})
_LEADING = "([{\"'“”„«»‹›-–—•·*|/ "
_FIRST_SENTENCE = re.compile(r"(.{8,200}?[.?!])\s")
# Where ``_FIRST_SENTENCE`` ends, searched for from its 8th character: sre
# scans for it in one pass, where the lazy repeat tried the rest of the
# pattern after every character (~200 tries on a long first sentence).
_SENTENCE_END_MARK = re.compile(r"[.?!]\s")
MAX_BLOCK_CHARS = 600


def is_collapsed(text: str) -> bool:
    """True only when ``" ".join(text.split()) == text``, found without
    splitting: no white space but single inner spaces. Blocks come to the
    text rules collapsed already (the writer collapses them), and splitting
    them into words again cost a fifth of judging a block. ``isprintable``
    is False for every white space character but the space (all are Unicode
    separators or controls); a block holding another unprintable character
    gets False and is collapsed as before."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


@lru_cache(maxsize=8192)
def judge_block(text: str) -> str | None:
    """The rule that drops one block of body text (a paragraph, a list item),
    or None. The whole block is matched (lower-cased, leading brackets and
    bullets ignored: "(Credit: …)"); a longer block is dropped when its first
    line or first sentence is an appeal or prompt (``LEAD_RULES``)."""
    if len(text) > MAX_BLOCK_CHARS + 20:
        return None
    lowered = text.lower().lstrip(_LEADING).replace("\xa0", " ")
    if len(lowered) > MAX_BLOCK_CHARS:
        return None
    collapsed = lowered if is_collapsed(lowered) else " ".join(lowered.split())
    rule = match_text_rules(collapsed)
    if rule:
        return rule
    # Most blocks are one line: their first line is the text just matched.
    lines = [" ".join(line.split()) for line in lowered.split("\n")] if "\n" in lowered else [collapsed]
    first_line = lines[0]
    if len(lines) > 1:
        rules = [match_text_rules(line.lstrip(_LEADING)) for line in lines if line]
        if rules and all(rules):
            return rules[0]  # every line is a label: "Image 1 of 8 / Caption / Close"
        if rules and rules[0] in LEAD_RULES:
            return rules[0]
        if len(lowered) <= 400 and rules.count("contact") >= 2:
            return "contact"  # a press contact: name, then phone and e-mail lines
    sentence = first_sentence(first_line)
    if sentence is not None and len(sentence) < len(first_line):
        # Most first sentences match nothing: the few lead rules reject them
        # faster than all rules. Only when one matches does the full set
        # decide (an earlier rule that is not a lead rule still wins).
        if lead_rules().match(sentence) is not None:
            rule = match_text_rules(sentence)
            if rule in LEAD_RULES:
                return rule
    return None


def first_sentence(line: str) -> str | None:
    """``_FIRST_SENTENCE.match(line).group(1)`` (None when it does not
    match) for a line without a line break, which ``.`` would not cross."""
    m = _SENTENCE_END_MARK.search(line, 8)
    if m is None or m.start() > 200:
        return None
    return line[: m.start() + 1]


@lru_cache(maxsize=4096)
def match_text_rules(text: str) -> str | None:
    """``text_rules().match`` remembered: the body extraction and the cleaning
    step judge the same short blocks, and sites repeat their labels."""
    return text_rules().match(text)


def text_rules() -> CompiledTextRules:
    if "text" not in _cache:
        _cache["text"] = compile_text_rules(TEXT_RULES)
    return _cache["text"]  # type: ignore[return-value]


def lead_rules() -> CompiledTextRules:
    """The text rules whose names are in ``LEAD_RULES``, compiled apart."""
    if "lead" not in _cache:
        _cache["lead"] = compile_text_rules(tuple(r for r in TEXT_RULES if r.name in LEAD_RULES))
    return _cache["lead"]  # type: ignore[return-value]


def container_rules() -> CompiledTextRules:
    if "container" not in _cache:
        _cache["container"] = compile_text_rules(CONTAINER_HEADINGS)
    return _cache["container"]  # type: ignore[return-value]


# Rules of a box heading that says the box holds what is not the article.
BOX_RULES: frozenset[str] = frozenset({"donation", "newsletter", "comments", "registration", "related", "notification", "app", "rating"})


def heads_other_content(text: str) -> bool:
    """Whether a heading's text announces what is not the article (related
    stories, comments, a newsletter: "Lesen Sie auch", "Read more")."""
    return bool(text) and len(text) <= 160 and container_rules().match(text.lower()) in BOX_RULES
