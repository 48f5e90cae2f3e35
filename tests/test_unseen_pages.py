"""Pages in the markup of publishing systems the corpus may not hold (walk 9): each test failed before its fix.

Each page is a small hand-written copy of how such a system prints an
article (CMS templates, bylines, date lines, title habits), with the noise
real pages carry; nothing here touches the network. The two look-alike
guards (their comments start "The look-alike") passed before as well: they
pin what a fix must leave alone."""
from __future__ import annotations

import pytest

from newsarchive.extraction.page import extract_article
from newsarchive.items import Article


def _extract(html: str, url: str) -> Article:
    return extract_article(html.encode("utf-8"), url)


def _body_around(lang: str, paragraphs: list[str], noise: str, after: int = 2) -> str:
    """The body of a plain article page that prints ``noise`` after its
    first ``after`` paragraphs."""
    text = ("".join(f"<p>{p}</p>" for p in paragraphs[:after]) + noise
            + "".join(f"<p>{p}</p>" for p in paragraphs[after:]))
    html = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Story</title></head>
<body><main><article><h1>Story</h1><div class="article-text">{text}</div></article></main></body></html>"""
    return _extract(html, f"https://news.example.com/{lang}/2024/05/14/story/").body


ZH_P1 = "记者从杭州市体育局获悉，截至目前，杭州56个亚运竞赛场馆已全部向市民开放，其中大部分场馆实行免费或低收费开放。"
ZH_P2 = ("据介绍，各场馆在保障专业赛事的同时，通过预约平台为市民提供游泳、羽毛球、篮球等项目的健身服务。"
         "去年第四季度，各场馆累计接待健身市民超过300万人次。")
ZH_P3 = "市体育局相关负责人表示，下一步将延长部分场馆的开放时间，并推出夜间健身、周末亲子运动等活动。"


def test_chinese_title_parts_joined_by_underscores_leave_the_h1_as_headline() -> None:
    # Chinese CMSs print "headline_section_site" in <title>, with no spaces
    # and no og:title: the h1 is the headline, not the whole <title>.
    html = f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>杭州亚运场馆全面向市民开放_新闻中心_钱江晚讯</title></head><body>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/news">新闻中心</a> &gt; 正文</div>
<div class="article"><h1>杭州亚运场馆全面向市民开放</h1>
<div class="info"><span>2024-01-08 09:15</span></div>
<div class="content"><p>{ZH_P1}</p><p>{ZH_P2}</p><p>{ZH_P3}</p></div></div></body></html>"""
    art = _extract(html, "https://www.qjwx.example.cn/news/2024-01/08/content_88123.htm")
    assert art.headline == "杭州亚运场馆全面向市民开放"


SV_P1 = ("Beslutet fattades av regionstyrelsen på tisdagen efter en lång debatt. Enligt regionen saknas det "
         "läkare för att bemanna alla tre mottagningarna dygnet runt.")
SV_P2 = ("– Vi har inte kunnat rekrytera de specialister vi behöver, och vi kan inte fortsätta bemanna med "
         "hyrläkare till vilket pris som helst, säger regionstyrelsens ordförande Lena Berg.")
SV_P3 = "Kritiken från oppositionen är hård. Avståndet mellan Sollefteå och Sundsvall är drygt tolv mil."


def test_a_published_and_updated_line_above_the_text_is_no_body_text() -> None:
    # The dates come from the meta tags, so the printed line is no repeat
    # of a date the loader read; it is still only dates and their labels.
    html = f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Regionen inför nattstängning på tre akutmottagningar | Norrlandsposten</title>
<meta property="article:published_time" content="2024-02-27T16:03:00+01:00">
<meta property="article:modified_time" content="2024-02-28T07:30:00+01:00"></head><body>
<article class="article"><h1 class="article__headline">Regionen inför nattstängning på tre akutmottagningar</h1>
<div class="article__dates">Publicerad 27 februari 2024 kl 16.03 · Uppdaterad 28 februari 2024 kl 07.30</div>
<div class="article__body"><p>{SV_P1}</p><p>{SV_P2}</p><p>{SV_P3}</p></div></article></body></html>"""
    art = _extract(html, "https://www.norrlandsposten.example.se/nyheter/regionen-infor-nattstangning")
    assert art.published == "2024-02-27T16:03:00+01:00"
    assert "Publicerad" not in art.body
    assert art.body.startswith("Beslutet fattades")


EN_P1 = ("Employee national insurance will fall from 10% to 8% from 6 April, Hunt confirms. The Treasury "
         "says the change is worth about £450 a year to the average worker.")
EN_P2 = ("Jeremy Hunt has begun delivering the Budget in the Commons. He opens by saying inflation has "
         "fallen faster than forecast.")
EN_P3 = ("Good morning and welcome to our live coverage of the spring Budget. The chancellor is expected "
         "to speak at about 12.30pm.")


def test_a_live_blogs_date_and_last_updated_line_is_no_body_text() -> None:
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>Budget 2024 live: Chancellor cuts national insurance by 2p | The Northern Post</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"LiveBlogPosting",
"headline":"Budget 2024 live: Chancellor cuts national insurance by 2p",
"datePublished":"2024-03-06T08:00:00+00:00","dateModified":"2024-03-06T14:52:00+00:00"}}</script></head><body>
<main><div class="liveblog"><div class="liveblog-header">
<h1 class="liveblog-title">Budget 2024 live: Chancellor cuts national insurance by 2p</h1>
<div class="liveblog-dates"><span>Wednesday 6 March 2024 08:00 GMT</span> <span class="updated">Last updated 14:52 GMT</span></div>
</div><div class="liveblog-body">
<div class="liveblog-post"><div class="post-content"><p>{EN_P1}</p></div></div>
<div class="liveblog-post"><div class="post-content"><p>{EN_P2}</p></div></div>
<div class="liveblog-post"><div class="post-content"><p>{EN_P3}</p></div></div>
</div></div></main></body></html>"""
    art = _extract(html, "https://www.northernpost.example.co.uk/politics/live/budget-2024-live-updates")
    assert "Last updated" not in art.body
    assert art.body.startswith("Employee national insurance")


FIRE = ["BEND, Ore. — A fast-moving wildfire southwest of Bend forced the evacuation of about 2,000 homes "
        "Wednesday evening as winds pushed flames toward subdivisions along the Deschutes River.",
        "The Fall Creek fire had burned about 4,300 acres by 9 p.m., according to the Oregon Department of "
        "Forestry. No injuries had been reported.",
        "Deschutes County Sheriff’s Office issued “go now” orders for neighborhoods west of Highway 97 and "
        "opened a shelter at the county fairgrounds in Redmond."]
COUNCIL = ["The Bend City Council on Wednesday postponed a decision on a 14-story apartment tower downtown, "
           "saying it needed more information about parking and traffic.",
           "The developer, Highline Partners, said the delay could push construction back by a year. Several "
           "neighbors testified against the height of the building.",
           "The council will take up the proposal again on Sept. 4, after a traffic study is finished."]


def _story(tag: str, headline: str, author: str, paragraphs: list[str]) -> str:
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<article class="story"><{tag} class="story-headline">{headline}</{tag}>'
            f'<div class="story-byline">By <a href="/staff/x">{author}</a> | The Cascade Daily</div>'
            f'<div class="story-body">{text}</div></article>')


def test_the_next_story_of_an_infinite_scroll_page_is_not_the_articles_text() -> None:
    # The page loads the next story below the first, each an <article> with
    # its own heading: the body is the story whose headline the page names.
    html = f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">
<title>Wildfire forces evacuation of 2,000 homes near Bend | Cascade Daily</title>
<meta property="og:title" content="Wildfire forces evacuation of 2,000 homes near Bend"></head><body>
<header class="site-header"><a href="/" class="logo">Cascade Daily</a></header>
<main id="infinite-container">
{_story("h1", "Wildfire forces evacuation of 2,000 homes near Bend", "Ellen Marsh", FIRE)}
<div class="next-article-divider"><span>Next article</span></div>
{_story("h2", "Bend council delays vote on downtown housing tower", "Mark Oduya", COUNCIL)}
</main></body></html>"""
    art = _extract(html, "https://www.cascadedaily.example.com/news/2024/08/14/wildfire-forces-evacuation-bend/")
    assert art.headline == "Wildfire forces evacuation of 2,000 homes near Bend"
    assert "fairgrounds in Redmond" in art.body
    assert "Bend City Council" not in art.body
    assert "housing tower" not in art.body


def test_one_story_cut_into_several_article_boxes_keeps_them_all() -> None:
    # The look-alike: a story whose sections are <article> boxes, each under
    # a section heading (not an h1, not the headline's class), stays whole.
    sections = "".join(
        f'<article class="part"><h2 class="section-title">Part {i}</h2>'
        + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"
        for i, paragraphs in ((2, FIRE[1:]), (3, COUNCIL)))
    html = f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8">
<title>Wildfire forces evacuation of 2,000 homes near Bend</title></head><body><main>
<article class="part"><h1 class="story-headline">Wildfire forces evacuation of 2,000 homes near Bend</h1>
<p>{FIRE[0]}</p></article>{sections}</main></body></html>"""
    art = _extract(html, "https://www.cascadedaily.example.com/news/2024/08/14/wildfire-forces-evacuation-bend/")
    assert "fairgrounds in Redmond" in art.body
    assert "Bend City Council" in art.body


RU = ["После двух лет ремонта в среду движение по Литейному мосту полностью восстановлено. Первыми по мосту "
      "проехали трамваи, затем открыли движение для автомобилей.",
      "В ходе работ заменили пролётные строения, отремонтировали опоры и восстановили исторические "
      "ограждения с изображением русалок и морских коньков.",
      "По словам вице-губернатора, стоимость работ составила 11,6 млрд рублей. Пешеходные тротуары откроют "
      "до конца октября."]
TR = ["İstanbul Büyükşehir Belediyesi, metrobüs hattında yoğun saatlerde sefer sıklığını artırma kararı aldı. "
      "Yeni düzenleme pazartesi gününden itibaren uygulanacak.",
      "Açıklamaya göre sabah ve akşam saatlerinde araçlar arasındaki süre 20 saniyeye düşürülecek. Hatta 60 "
      "yeni elektrikli metrobüs de devreye alınacak.",
      "Günde ortalama 1 milyon yolcu taşıyan metrobüs hattında özellikle Avcılar ile Zincirlikuyu arasında "
      "yoğunluk yaşanıyor."]
PL = ["Według danych portalu analitycznego, w kwietniu za metr kwadratowy nowego mieszkania w Krakowie trzeba "
      "było zapłacić średnio 16 240 zł. To o 21 proc. więcej niż przed rokiem.",
      "Jednocześnie deweloperzy sprzedali o jedną trzecią mniej lokali niż w marcu. – Klienci przychodzą, "
      "oglądają i odkładają decyzję – mówi przedstawiciel jednej z krakowskich firm.",
      "Deweloperzy zapowiadają, że w drugiej połowie roku na rynek trafi ponad dwa tysiące nowych mieszkań, "
      "głównie w Nowej Hucie i na Prokociu."]
FR = ["La grève lancée par plusieurs syndicats de cheminots va fortement perturber le trafic ferroviaire "
      "régional jeudi. Seul un TER sur trois circulera en Occitanie.",
      "Les lignes Toulouse – Perpignan et Toulouse – Rodez seront les plus touchées, avec quelques cars de "
      "substitution aux heures de pointe.",
      "Le mouvement doit se poursuivre vendredi, au moins sur le réseau Intercités. Les syndicats seront "
      "reçus par la direction lundi prochain."]


@pytest.mark.parametrize("lang, paragraphs, noise, left_out", [
    # Russian "read also" line with its link.
    ("ru", RU, '<p class="read-also">Читайте также: <a href="/city/most">Дворцовый мост закроют на ремонт весной</a></p>',
     "Читайте также"),
    # Turkish "related story" box: label and link glued by the markup.
    ("tr", TR, '<div class="ilgili-haber"><span>İlgili Haber</span><a href="/gundem/marmaray">'
               "Marmaray'da sefer saatleri değişti</a></div>", "İlgili Haber"),
    # Polish subscription wall left in place of the rest of the text.
    ("pl", PL, '<div class="paywall-box"><h3>Ten artykuł jest dostępny tylko dla subskrybentów</h3><p>Wykup '
               "dostęp, aby czytać bez ograniczeń wszystkie artykuły.</p><a href=\"/subskrypcja\">Kup dostęp już od "
               '9,90 zł</a><p>Masz już konto? <a href="/login">Zaloguj się</a></p></div>', "subskrybentów"),
    # French subscription appeal closing an AMP article.
    ("fr", FR, '<div class="abonnement-box"><p>Cet article vous a intéressé ? Abonnez-vous pour soutenir le '
               "journalisme local.</p><a href=\"/abonnement\">Je m'abonne</a></div>", "Abonnez-vous"),
], ids=["ru-read-also", "tr-related", "pl-paywall", "fr-subscribe"])
def test_related_and_subscription_boxes_in_more_languages_are_no_body_text(
        lang: str, paragraphs: list[str], noise: str, left_out: str) -> None:
    body = _body_around(lang, paragraphs, noise)
    assert left_out not in body
    assert paragraphs[0][:40] in body and paragraphs[2][:40] in body


def test_names_each_followed_by_a_role_in_its_own_element_are_several_authors() -> None:
    # "<span>Erik Lundgren</span><span>Reporter</span> <span>Maja Holm</span>…":
    # the byline's text reads "Erik Lundgren Reporter Maja Holm Reporter".
    html = f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>Regionen inför nattstängning på tre akutmottagningar | Norrlandsposten</title></head><body>
<article class="article"><h1 class="article__headline">Regionen inför nattstängning på tre akutmottagningar</h1>
<div class="article__byline"><span class="byline__name">Erik Lundgren</span><span class="byline__role">Reporter</span>
<span class="byline__name">Maja Holm</span><span class="byline__role">Reporter</span></div>
<div class="article__body"><p>{SV_P1}</p><p>{SV_P2}</p><p>{SV_P3}</p></div></article></body></html>"""
    art = _extract(html, "https://www.norrlandsposten.example.se/nyheter/regionen-infor-nattstangning")
    assert art.authors == ["Erik Lundgren", "Maja Holm"]


NL = ["Automobilisten die op zaterdag in de binnenstad van Tiel parkeren, moeten vanaf 1 april betalen. De "
      "gemeenteraad stemde dinsdagavond in met het voorstel van het college.",
      "Het uurtarief wordt op zaterdag gelijk aan dat op doordeweekse dagen. Volgens de wethouder levert de "
      "maatregel jaarlijks zo'n 350.000 euro op.",
      "Ondernemers in het centrum zijn boos. 'Mensen rijden straks gewoon naar het winkelcentrum in "
      "Geldermalsen, waar je gratis staat', zegt een ondernemer."]


def test_a_microdata_author_listing_two_names_gives_both() -> None:
    # A news template's author property holding both names of the byline
    # ("Door <name> en <name>"); the JSON-LD author is the publisher.
    html = f"""<!DOCTYPE html><html lang="nl-NL"><head><meta charset="utf-8">
<title>Gemeente schrapt gratis parkeren in binnenstad - Dagblad Rivierenland</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Gemeente schrapt gratis parkeren in binnenstad","datePublished":"2024-01-23",
"author":{{"@type":"Organization","name":"Dagblad Rivierenland"}}}}</script></head><body>
<div class="news news-single"><div class="article" itemscope="itemscope" itemtype="http://schema.org/Article">
<div class="header"><h1 itemprop="headline">Gemeente schrapt gratis parkeren in binnenstad</h1></div>
<div class="footer"><p><span class="news-list-date"><time itemprop="datePublished" datetime="2024-01-23">23 januari 2024</time></span>
<span class="news-list-author" itemprop="author" itemscope="itemscope" itemtype="http://schema.org/Person">Door
<span itemprop="name">Sanne de Vries</span> en <span itemprop="name">Bram Jansen</span></span></p></div>
<div class="news-text-wrap" itemprop="articleBody"><p>{NL[0]}</p><p>{NL[1]}</p><p>{NL[2]}</p></div>
</div></div></body></html>"""
    art = _extract(html, "https://www.dagbladrivierenland.example.nl/nieuws/artikel/gemeente-schrapt-gratis-parkeren")
    assert art.authors == ["Sanne de Vries", "Bram Jansen"]


def test_the_name_of_an_item_nested_in_a_microdata_author_is_not_an_author() -> None:
    # The look-alike: a Person's employer, an item of its own inside the author.
    html = f"""<!DOCTYPE html><html lang="nl-NL"><head><meta charset="utf-8">
<title>Gemeente schrapt gratis parkeren in binnenstad</title></head><body>
<div class="article" itemscope itemtype="http://schema.org/Article">
<h1 itemprop="headline">Gemeente schrapt gratis parkeren in binnenstad</h1>
<p class="meta"><span itemprop="author" itemscope itemtype="http://schema.org/Person">Door <span itemprop="name">Sanne de Vries</span>
(<span itemprop="worksFor" itemscope itemtype="http://schema.org/Organization"><span itemprop="name">Rivierenland Media Groep</span></span>)</span></p>
<div itemprop="articleBody"><p>{NL[0]}</p><p>{NL[1]}</p><p>{NL[2]}</p></div></div></body></html>"""
    art = _extract(html, "https://www.dagbladrivierenland.example.nl/nieuws/artikel/gemeente-schrapt-gratis-parkeren")
    assert art.authors == ["Sanne de Vries"]


AR = ["افتتحت الحكومة صباح اليوم الأربعاء أكبر محطة لتحلية مياه البحر في المنطقة، بطاقة إنتاجية تبلغ 900 ألف "
      "متر مكعب يومياً، وبتكلفة إجمالية تجاوزت ثلاثة مليارات درهم.",
      "وتعتمد المحطة على تقنية التناضح العكسي، وتعمل جزئياً بالطاقة الشمسية، ما يخفض استهلاكها من الكهرباء "
      "بنحو أربعين في المئة مقارنة بالمحطات الحرارية التقليدية.",
      "وقال وزير الطاقة والبنية التحتية في كلمة خلال حفل الافتتاح إن المشروع سيغطي احتياجات نحو مليون ونصف "
      "المليون نسمة من مياه الشرب."]


def test_an_arabic_byline_label_introduces_the_author() -> None:
    # "كتب:" ("wrote:") and "بقلم" ("by the pen of") head Arabic bylines; the
    # meta author is the site's name.
    html = f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>افتتاح أكبر محطة لتحلية المياه في المنطقة | صحيفة الخليج اليوم</title>
<meta property="og:site_name" content="صحيفة الخليج اليوم"><meta name="author" content="صحيفة الخليج اليوم"></head><body>
<article class="article-details"><h1 class="article-title">افتتاح أكبر محطة لتحلية المياه في المنطقة</h1>
<div class="article-meta"><span class="writer">كتب: محمد الحمادي</span> <span class="date">الأربعاء 17 أبريل 2024</span></div>
<div class="article-content"><p>{AR[0]}</p><p>{AR[1]}</p><p>{AR[2]}</p></div></article></body></html>"""
    art = _extract(html, "https://www.alkhaleejtoday.example.ae/economy/2024/04/17/desalination")
    assert art.authors == ["محمد الحمادي"]
    assert "كتب" not in art.body


DE = ["Sturmtief «Zoltan» hat den Fernverkehr der Deutschen Bahn in Norddeutschland weitgehend lahmgelegt. Von "
      "Donnerstagabend an fuhren keine ICE- und IC-Züge mehr von und nach Hamburg, Bremen und Hannover.",
      "Umgestürzte Bäume blockierten mehrere Strecken, an einigen Stellen wurden Oberleitungen beschädigt. Die "
      "Bahn stellte in Hamburg und Bremen Aufenthaltszüge für gestrandete Reisende bereit.",
      "Fahrgäste, die ihre Reise wegen des Sturms verschieben, können ihr Ticket nach Angaben der Bahn flexibel "
      "nutzen. Die Zugbindung sei aufgehoben."]


@pytest.mark.parametrize("lang, paragraphs, note", [
    ("de", DE, "Dieser Artikel wurde automatisch von dpa übernommen und nicht redaktionell bearbeitet."),
    ("de", DE, "Diese Meldung ist Teil eines automatisierten Angebots der Nachrichtenagentur und wurde von keinem "
               "Redakteur bearbeitet."),
    ("en", FIRE, "(Except for the headline, this story has not been edited by Cascade Daily staff and is "
                 "published from a syndicated feed.)"),
], ids=["de-taken-over", "de-automated", "en-syndicated"])
def test_a_note_that_a_wire_story_was_taken_over_unedited_is_no_body_text(
        lang: str, paragraphs: list[str], note: str) -> None:
    body = _body_around(lang, paragraphs, f"<p>{note}</p>", after=len(paragraphs))
    assert note[5:30] not in body
    assert paragraphs[2][:40] in body


YOAST_URL = "https://riversidecourier.example.com/2024/03/12/city-council-approves-flood-wall/"


def _yoast_page(graph_image: str) -> str:
    # Yoast SEO prints the article's image as a reference into its @graph.
    paragraphs = "".join(f"<p>{p}</p>" for p in FIRE)
    return f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">
<title>City council approves flood wall - Riverside Courier</title>
<script type="application/ld+json" class="yoast-schema-graph">{{"@context":"https://schema.org","@graph":[
{{"@type":"NewsArticle","@id":"{YOAST_URL}#article","headline":"City council approves flood wall",
"datePublished":"2024-03-12T22:14:05+00:00","image":{{"@id":"{YOAST_URL}#primaryimage"}},
"author":{{"@id":"https://riversidecourier.example.com/#/schema/person/7f3a2b"}}}},
{graph_image}
{{"@type":"Person","@id":"https://riversidecourier.example.com/#/schema/person/7f3a2b","name":"Maria Alvarez"}}]}}</script>
</head><body><article><h1 class="entry-title">City council approves flood wall</h1>
<div class="entry-content">{paragraphs}</div></article></body></html>"""


def test_a_yoast_image_reference_is_resolved_in_its_graph() -> None:
    image = (f'{{"@type":"ImageObject","@id":"{YOAST_URL}#primaryimage",'
             '"url":"https://riversidecourier.example.com/wp-content/uploads/2024/03/floodwall.jpg",'
             '"contentUrl":"https://riversidecourier.example.com/wp-content/uploads/2024/03/floodwall.jpg"},')
    art = _extract(_yoast_page(image), YOAST_URL)
    assert art.authors == ["Maria Alvarez"]
    assert art.image_url == "https://riversidecourier.example.com/wp-content/uploads/2024/03/floodwall.jpg"


def test_an_unresolved_image_reference_is_no_image_address() -> None:
    # "…/story/#primaryimage" names a node of the graph, not a picture.
    art = _extract(_yoast_page(""), YOAST_URL)
    assert art.image_url is None or "#" not in art.image_url


def test_what_is_left_of_a_russian_meta_line_is_no_body_text() -> None:
    # The author's own element goes as an author box; the photographer's
    # credit and the date stay beside it in the meta line (Russian months
    # are read: "2 октября 2024").
    html = f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>В Петербурге открылся обновлённый Литейный мост — Невские новости</title>
<meta property="article:published_time" content="2024-10-02T14:20:00+03:00"></head><body>
<article class="article"><h1 class="article__title">В Петербурге открылся обновлённый Литейный мост</h1>
<div class="article__info"><span class="article__author">Анна Соколова</span>, <span class="article__photographer">фото
Игоря Рудакова</span> <time datetime="2024-10-02T14:20">2 октября 2024, 14:20</time></div>
<div class="article__text"><p>{RU[0]}</p><p>{RU[1]}</p><p>{RU[2]}</p></div></article></body></html>"""
    art = _extract(html, "https://www.nevnews.example.ru/city/2024/10/02/liteyny-most/")
    assert "Рудакова" not in art.body
    assert art.body.startswith("После двух лет ремонта")


def test_a_russian_printed_date_is_the_publication_date() -> None:
    # Russian prints the month's genitive ("2 октября 2024, 14:20"); with no
    # structured date it is the only date the page gives.
    html = f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>В Петербурге открылся обновлённый Литейный мост</title></head><body>
<article class="article"><h1 class="article__title">В Петербурге открылся обновлённый Литейный мост</h1>
<div class="article__info"><span class="article__date">2 октября 2024, 14:20</span></div>
<div class="article__text"><p>{RU[0]}</p><p>{RU[1]}</p><p>{RU[2]}</p></div></article></body></html>"""
    art = _extract(html, "https://www.nevnews.example.ru/city/liteyny-most/")
    assert (art.published or "")[:16] == "2024-10-02T14:20"


DE2 = ["Die Stadtwerke erhöhen zum 1. Januar die Preise für Fernwärme um durchschnittlich 18 Prozent. Das teilte "
       "das Unternehmen am Dienstag mit.",
       "Für eine durchschnittliche Dreizimmerwohnung bedeutet das Mehrkosten von etwa 190 Euro. Der Geschäftsführer "
       "begründete den Schritt mit den gestiegenen Kosten für Erdgas.",
       "Der Mieterverein reagierte mit Unverständnis. Die Vorsitzende forderte die Stadt auf, einen "
       "Härtefallfonds einzurichten."]


def test_a_drupal_article_promoted_to_the_front_page_keeps_its_captions() -> None:
    # Drupal marks such a node "node--promoted": a state, not a promo box
    # of other stories, so its figure is the article's own.
    html = f"""<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">
<title>Stadtwerke erhöhen Fernwärmepreise um 18 Prozent | Oberland Zeitung</title></head><body>
<article role="article" class="node node--type-artikel node--promoted node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title">Stadtwerke erhöhen Fernwärmepreise um 18 Prozent</span></h1>
<div class="field field--name-field-bild"><figure class="media media--type-image">
<img src="/sites/default/files/2023-11/heizkraftwerk.jpg" alt="Das Heizkraftwerk">
<figcaption><span class="bildunterschrift">Das Heizkraftwerk an der Isarstraße versorgt die Innenstadt mit Fernwärme.</span>
<span class="bildquelle">Foto: Peter Lang</span></figcaption></figure></div>
<div class="node__content"><div class="field field--name-body"><p>{DE2[0]}</p><p>{DE2[1]}</p><p>{DE2[2]}</p></div></div>
</article></body></html>"""
    art = _extract(html, "https://www.oberland-zeitung.example.de/region/stadtwerke-erhoehen-fernwaermepreise")
    assert [c.text for c in art.captions] == ["Das Heizkraftwerk an der Isarstraße versorgt die Innenstadt mit Fernwärme."]
    assert art.captions[0].credit == "Peter Lang"
    assert art.image_url == "https://www.oberland-zeitung.example.de/sites/default/files/2023-11/heizkraftwerk.jpg"


@pytest.mark.parametrize("lang, paragraphs, noise, left_out", [
    # A newsletter's own appeal in a callout card (Ghost's kg-callout-card).
    ("en", FIRE, '<div class="kg-card kg-callout-card"><div class="kg-callout-emoji">✈️</div><div class="kg-callout-text">'
                 'Enjoying The Flight Deck? <a href="#/portal/signup">Subscribe for free</a> to get every issue by '
                 "email.</div></div>", "Subscribe for free"),
    # A Chinese photo caption set as a centred paragraph under the picture.
    ("zh", [ZH_P1, ZH_P2, ZH_P3], '<p style="text-align:center"><img src="/img/venue.jpg"></p>'
                                  '<p style="text-align:center">图为市民在亚运场馆内打羽毛球。记者 张明 摄</p>', "图为"),
], ids=["en-callout", "zh-caption"])
def test_a_subscribe_callout_and_a_chinese_caption_paragraph_are_no_body_text(
        lang: str, paragraphs: list[str], noise: str, left_out: str) -> None:
    body = _body_around(lang, paragraphs, noise)
    assert left_out not in body
    assert paragraphs[0][:20] in body and paragraphs[2][:20] in body


TX = ["DALLAS (AP) — A winter storm knocked out power to more than 300,000 homes and businesses in Texas on "
      "Monday as temperatures fell below freezing across much of the state, officials said.",
      "The Electric Reliability Council of Texas said it had enough generation to meet demand and that the "
      "outages were caused by ice on local power lines, not a shortage of supply.",
      "Forecasters said temperatures could drop into the single digits in parts of North Texas overnight."]


def test_an_agency_printed_after_the_last_name_leaves_every_author() -> None:
    # Wire bylines end with the agency, without a comma: "By A and B Associated Press".
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Storm knocks out power to 300,000 in Texas - The Valley Tribune</title>
<meta name="author" content="Associated Press"></head><body><main><article class="story">
<h1 class="headline">Storm knocks out power to 300,000 in Texas</h1>
<div class="byline">By JAMIE STENGLE and ACACIA CORONADO Associated Press</div>
<div class="story-body"><p>{TX[0]}</p><p>{TX[1]}</p><p>{TX[2]}</p></div></article></main></body></html>"""
    art = _extract(html, "https://www.valleytribune.example.com/news/2024/01/15/storm-knocks-out-power-texas")
    assert art.authors == ["JAMIE STENGLE", "ACACIA CORONADO"]


PT = ["A Câmara Municipal de Lisboa anunciou esta segunda-feira que vai plantar 20 mil árvores na cidade até ao "
      "final de 2026, no âmbito do plano de adaptação às alterações climáticas.",
      "As novas árvores vão ser plantadas sobretudo nas freguesias com menos espaços verdes, como Arroios, Penha "
      "de França e Marvila.",
      "Segundo a vereadora do Ambiente, as espécies foram escolhidas por serem resistentes à seca e por darem "
      "sombra no verão."]


@pytest.mark.parametrize("lang, paragraphs, noise, left_out", [
    # A wire story's closing credits and the agency's standards link.
    ("en", TX, "<p>Reporting by Jonathan Cable; Editing by Toby Chopra</p>"
               '<p>Our Standards: <a href="/trust-principles/">The Trust Principles.</a></p>', "Editing by"),
    ("en", TX, '<p>Our Standards: <a href="/trust-principles/">The Trust Principles.</a></p>', "Our Standards"),
    # A WordPress button block asking readers to subscribe (pt).
    ("pt", PT, '<div class="wp-block-buttons"><div class="wp-block-button"><a class="wp-block-button__link" '
               'href="/assinar">Assine o Jornal da Lezíria</a></div></div>', "Assine"),
], ids=["en-reporting-editing", "en-standards", "pt-subscribe-button"])
def test_closing_credits_and_a_subscribe_button_are_no_body_text(
        lang: str, paragraphs: list[str], noise: str, left_out: str) -> None:
    body = _body_around(lang, paragraphs, noise, after=len(paragraphs))
    assert left_out not in body
    assert paragraphs[2][:30] in body


DE3 = ["Ein Unfall mit drei beteiligten Lastwagen hat am Donnerstagmorgen auf der A8 zwischen Bernau und Frasdorf "
       "für einen kilometerlangen Stau gesorgt.",
       "Nach Angaben der Polizei war ein Sattelzug am Stauende auf einen Lastwagen aufgefahren. Ein Fahrer wurde "
       "leicht verletzt.",
       "Der Stau reichte zeitweise bis zur Anschlussstelle Rosenheim. Die Polizei rät, die Strecke weiträumig zu "
       "umfahren."]


@pytest.mark.parametrize("lang, meta, author", [
    ("de", "vor 3 Stunden · Von Thomas Huber", "Thomas Huber"),
    ("en", "2 hours ago | By Jane Doe", "Jane Doe"),
    ("es", "hace 5 horas - Por Lucía Gómez", "Lucía Gómez"),
], ids=["de", "en", "es"])
def test_a_byline_after_a_relative_date_under_the_headline_names_the_author(lang: str, meta: str, author: str) -> None:
    html = f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>Nach Unfall auf der A8: Stau bis Rosenheim - Chiemgau Aktuell</title></head><body><main>
<div class="artikel"><h1>Nach Unfall auf der A8: Stau bis Rosenheim</h1><div class="meta">{meta}</div>
<div class="text"><p>{DE3[0]}</p><p>{DE3[1]}</p><p>{DE3[2]}</p></div></div></main></body></html>"""
    art = _extract(html, "https://www.chiemgau-aktuell.example.de/verkehr/unfall-a8-stau-rosenheim")
    assert art.authors == [author]


JA = ["北陸新幹線の金沢―敦賀間（約125キロ）が16日、開業した。東京から福井県の敦賀まで最速3時間8分で結ばれ、沿線の各駅では記念式典が開かれた。",
      "ＪＲ西日本によると、初日の下り列車は午前中の便を中心に満席が相次いだ。敦賀駅では一番列車の出発を見送ろうと、早朝から多くの鉄道ファンが集まった。",
      "福井県の知事は式典で「県にとって100年に一度のチャンス。観光と産業の振興につなげたい」と述べた。"]


def test_a_japanese_printed_date_with_its_clock_is_read_and_its_line_left_out() -> None:
    # "2024年3月16日 11時52分（最終更新 3月16日 18時03分）" under the headline,
    # with no structured date: the publication time, and no body text.
    html = f"""<!DOCTYPE html><html lang="ja"><head><meta charset="UTF-8">
<title>北陸新幹線、敦賀まで延伸開業　初日は満席相次ぐ：北陸日報</title></head><body><main>
<article class="article"><h1 class="article-title">北陸新幹線、敦賀まで延伸開業　初日は満席相次ぐ</h1>
<div class="article-info"><span>2024年3月16日 11時52分</span>（最終更新 3月16日 18時03分）</div>
<div class="article-body"><p>{JA[0]}</p><p>{JA[1]}</p><p>{JA[2]}</p></div></article></main></body></html>"""
    art = _extract(html, "https://www.hokurikunippo.example.jp/articles/20240316/shinkansen")
    assert (art.published or "")[:16] == "2024-03-16T11:52"
    assert "最終更新" not in art.body
    assert art.body.startswith("北陸新幹線の金沢")


@pytest.mark.parametrize("caption, text, credit", [
    # Ghost and Unsplash print the credit as a sentence after the caption.
    ("A 50-seat turboprop at Dickinson, North Dakota, in February. Photo by Jared Holt on Unsplash",
     "A 50-seat turboprop at Dickinson, North Dakota, in February.", "Jared Holt on Unsplash"),
    # WordPress captions put it in brackets.
    ("Children explore the new reading garden on the roof. (Photo by Ben Alvarez/Hilltown Herald)",
     "Children explore the new reading garden on the roof.", "Ben Alvarez/Hilltown Herald"),
    ("Der neue Lesegarten auf dem Dach. Foto von Anna Berg", "Der neue Lesegarten auf dem Dach.", "Anna Berg"),
], ids=["en-sentence", "en-brackets", "de-sentence"])
def test_a_photo_by_credit_is_split_off_the_caption(caption: str, text: str, credit: str) -> None:
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story</title></head><body><main>
<article><h1>Story</h1><figure><img src="/img/a.jpg" alt=""><figcaption>{caption}</figcaption></figure>
<p>{FIRE[0]}</p><p>{FIRE[1]}</p><p>{FIRE[2]}</p></article></main></body></html>"""
    art = _extract(html, "https://news.example.com/2024/06/03/story/")
    assert [(c.text, c.credit) for c in art.captions] == [(text, credit)]


ES = ["El Consejo de Ministros ha aprobado este martes el anteproyecto de ley que reduce la jornada laboral máxima "
      "de 40 a 37,5 horas semanales sin merma salarial.",
      "La reducción se aplicará de forma escalonada: 38,5 horas en 2025 y 37,5 a partir de 2026, según los "
      "cálculos del Ministerio de Trabajo.",
      "Las empresas que incumplan se enfrentarán a multas de hasta 10.000 euros por trabajador afectado."]


def test_a_tag_list_whose_class_names_tags_after_a_prefix_is_no_body_text() -> None:
    # Arc XP's "b-tags", a news theme's "news-tags": the links glue into one
    # block ("EmpleoGobierno") at the article's end.
    noise = '<div class="b-tags"><a href="/tags/empleo/">Empleo</a><a href="/tags/gobierno/">Gobierno</a></div>'
    body = _body_around("es", ES, noise, after=len(ES))
    assert "Empleo" not in body and "Gobierno" not in body.split("\n")[-1]
    assert body.endswith("por trabajador afectado.")


def test_a_blog_platforms_meta_bar_with_hashed_classes_is_no_body_text() -> None:
    # Medium-style: class names say nothing; the bar prints "Published in",
    # the reading time glued to the date, and a clap count ("1.2K").
    noise = ('<div class="im in"><p class="be b">Published in</p><div class="ab"><span>7 min read</span>'
             '<span>Feb 14, 2023</span></div><div class="ln"><p class="be b du"><span>1.2K</span></p></div></div>')
    body = _body_around("en", FIRE, noise, after=0)
    assert body.startswith("BEND, Ore.")
