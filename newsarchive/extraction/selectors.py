"""Running a site file's ``[selectors]``: CSS, or XPath when it starts with
"/" or "(". One place, so the site file's check at load runs a selector
exactly as extraction will."""
from __future__ import annotations

from typing import Any

from lxml import html as lxml_html
from parsel.xpathfuncs import setup as parsel_xpath_functions

# A site file's XPath may use what Scrapy's selectors offer: has-class() and
# the EXSLT re: and set: functions. lxml knows has-class() only once parsel
# registered it (which a crawl's imports did and `newsarchive extract` did
# not), and the prefixes only when given with each call.
parsel_xpath_functions()
SELECTOR_NAMESPACES = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}


def run_selector(doc: lxml_html.HtmlElement, selector: str) -> Any:
    """What ``selector`` gives on ``doc``. Raises on a selector lxml cannot run."""
    if selector.startswith(("/", "(")):
        return doc.xpath(selector, namespaces=SELECTOR_NAMESPACES)
    return doc.cssselect(selector)
