"""Authors on Chinese, Japanese and Korean pages (issue 3: person names only,
split when several).

Saved-HTML pages written for these tests, laid out as Chinese (Xinhua and
People's Daily style: "记者 … 通讯员 …", "文/…", "（记者 …）", "责任编辑："),
Japanese (Asahi, NHK, Yomiuri style: the byline in brackets after the text,
"bureau, full-width space, name", "、" between people, "文：", "記者：",
"執筆者", "筆者") and Korean (Yonhap, Chosun, JoongAng style: "김민준 기자",
"글 ·", "특파원") news sites print them. A space separates two Chinese or
Korean names but joins a Japanese name's family and given name: the page's
declared language (``<html lang>``, ``og:locale``, JSON-LD ``inLanguage``)
and, where none is declared, the script (kana, Hangul) tell which.
"""
from __future__ import annotations

from newsarchive.extraction.page import extract_article
from newsarchive.extraction.processors import split_authors

URL = "https://news.example.org/2026/12/08/story.html"

ZH_BODY = "<p>" + "当地政府宣布将在明年春天前完成旧码头的修复工作，居民对此表示欢迎。" * 5 + "</p>"
JA_BODY = "<p>" + "市は来年の春までに古い桟橋の修理を終えると発表し、住民はこれを歓迎した。" * 5 + "</p>"
KO_BODY = "<p>" + "시는 내년 봄까지 낡은 부두의 수리를 마치겠다고 발표했고 주민들은 이를 환영했다. " * 5 + "</p>"


def _authors(html: str) -> list[str]:
    return extract_article(html, URL).authors


def _zh_page(byline: str, *, after: str = "") -> str:
    return ('<html lang="zh-CN"><head><meta charset="utf-8"><title>旧码头将于明年春天前修复_新闻频道</title></head>'
            '<body><div class="main"><h1>旧码头将于明年春天前修复</h1>'
            f'<div class="info"><span class="time">2026-12-08 09:30</span><span class="source">来源：新华网</span></div>'
            f'{byline}<div id="detail">{ZH_BODY}{after}</div></div></body></html>')


def test_chinese_byline_with_two_names_separated_by_a_space() -> None:
    page = _zh_page('<p class="author">作者：李晓燕 王浩</p>')
    assert _authors(page) == ["李晓燕", "王浩"]


def test_chinese_reporter_and_correspondent_labels() -> None:
    # Xinhua: "记者 Name 通讯员 Name" (reporter, then correspondent).
    page = _zh_page('<p class="author">新华社记者 李晓燕 通讯员 王浩</p>')
    assert _authors(page) == ["李晓燕", "王浩"]


def test_chinese_text_by_slash_label() -> None:
    # "文/Name": "text by", the label is no second person.
    page = _zh_page('<div class="author">文/李晓燕</div>')
    assert _authors(page) == ["李晓燕"]


def test_chinese_reporter_in_brackets_at_the_start_of_the_text() -> None:
    # People's Daily: "（记者 Name）" opening the first paragraph's block.
    page = _zh_page('<p class="byline">（记者 张明）</p>')
    assert _authors(page) == ["张明"]
    # A plain paragraph, no byline markup.
    assert _authors(_zh_page("<p>（记者 张明）</p>")) == ["张明"]
    assert _authors(_zh_page("<p>文/李晓燕</p>")) == ["李晓燕"]
    # Two brackets, the reporter's and the editor's.
    assert split_authors("（记者 张明）（责任编辑：刘强）") == ["张明"]


def test_chinese_editor_on_duty_is_not_the_author() -> None:
    # "责任编辑：" closes the article: the editor on duty, not the reporter.
    page = _zh_page('<p class="author">本报记者 李晓燕</p>',
                    after='<div class="editor">（责任编辑：刘强）</div>')
    assert _authors(page) == ["李晓燕"]
    assert split_authors("记者 李晓燕 责任编辑：刘强") == ["李晓燕"]


def test_chinese_picture_credit_is_not_an_author() -> None:
    # "图/Name": the picture's credit beside the text's.
    assert split_authors("文/王浩 图/李晓燕") == ["王浩"]
    # "文/图": text and pictures by the same person.
    assert split_authors("文/图 李晓燕") == ["李晓燕"]
    assert split_authors("文・写真 山本さくら") == ["山本さくら"]


def _ja_page(byline: str, *, lang: str = ' lang="ja"', head: str = "") -> str:
    return (f'<html{lang}><head><meta charset="utf-8"><title>古い桟橋、来春までに修理へ：朝日新聞</title>{head}</head>'
            '<body><article><h1>古い桟橋、来春までに修理へ</h1><time datetime="2026-12-08T09:30:00+09:00">'
            f'2026年12月8日 9時30分</time><div class="article-body">{JA_BODY}{byline}</div></article></body></html>')


def test_japanese_bracketed_byline_after_the_text_bureau_then_name() -> None:
    # Asahi: "（金沢支局　山本 美咲、福井支局　中村 健太）" closing the
    # text: bureau, full-width space, the name with a space inside it; "、"
    # separates the people.
    page = _ja_page('<p class="byline">（金沢支局\u3000山本 美咲、福井支局\u3000中村 健太）</p>')
    assert _authors(page) == ["山本 美咲", "中村 健太"]
    # As Asahi prints it: a plain paragraph, the article's last.
    page = _ja_page('<p>（金沢支局\u3000山本 美咲、福井支局\u3000中村 健太）</p>')
    assert _authors(page) == ["山本 美咲", "中村 健太"]


def test_japanese_name_with_a_space_is_one_person_by_declared_language() -> None:
    # NHK/Yomiuri: "記者：" and a name in Han characters only; the page is
    # declared Japanese in og:locale (no <html lang>).
    page = _ja_page('<p class="author">記者：山本 美咲</p>', lang="",
                    head='<meta property="og:locale" content="ja_JP">')
    assert _authors(page) == ["山本 美咲"]


def test_japanese_text_writer_labels() -> None:
    assert split_authors("文：山本 美咲", language="ja") == ["山本 美咲"]
    assert split_authors("執筆者：山本 美咲、中村 健太", language="ja") == ["山本 美咲", "中村 健太"]
    assert split_authors("筆者 山本美咲", language="ja") == ["山本美咲"]
    # No language declared: kana around the name make it Japanese.
    assert split_authors("文・写真は山本 さくら") != ["山本", "さくら"]
    assert split_authors("執筆者　山本 さくら") == ["山本 さくら"]


def test_han_only_names_split_on_a_space_unless_japanese() -> None:
    assert split_authors("李晓燕 王浩") == ["李晓燕", "王浩"]
    assert split_authors("李晓燕 王浩", language="zh-CN") == ["李晓燕", "王浩"]
    assert split_authors("山本 美咲", language="ja-JP") == ["山本 美咲"]


def _ko_page(byline: str) -> str:
    return ('<html lang="ko"><head><meta charset="utf-8"><title>낡은 부두 내년 봄까지 수리 | 연합뉴스</title></head>'
            '<body><div class="article"><h1 class="tit">낡은 부두 내년 봄까지 수리</h1>'
            f'{byline}<div class="story-news">{KO_BODY}</div></div></body></html>')


def test_korean_reporter_after_the_name() -> None:
    # Yonhap: "김민준 기자" (the role after the name).
    page = _ko_page('<p class="article-byline">김민준 기자</p>')
    assert _authors(page) == ["김민준"]


def test_korean_two_reporters_and_a_correspondent() -> None:
    # JoongAng: "김민준·이서연 기자"; Chosun: "워싱턴=김민준 특파원".
    assert _authors(_ko_page('<p class="byline">김민준·이서연 기자</p>')) == ["김민준", "이서연"]
    assert _authors(_ko_page('<p class="byline">워싱턴=김민준 특파원</p>')) == ["김민준"]


def test_korean_text_by_label() -> None:
    assert _authors(_ko_page('<div class="author">글 · 김민준</div>')) == ["김민준"]
