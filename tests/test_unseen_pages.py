"""Pages in the markup of publishing systems the corpus may not hold (walk 9): each test failed before its fix.

Each page is a small hand-written copy of how such a system prints an
article (CMS templates, bylines, date lines, title habits), with the noise
real pages carry; nothing here touches the network."""
from __future__ import annotations

from newsarchive.extraction.page import extract_article
from newsarchive.items import Article


def _extract(html: str, url: str) -> Article:
    return extract_article(html.encode("utf-8"), url)


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
