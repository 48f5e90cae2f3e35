"""The crawl's own Scrapy signals (``crawler.signals.send_catch_log(signal=...)``)."""
from __future__ import annotations

article_gone = object()
"""An article page answered HTTP 404 or 410: the site took it down (when the
archive has it). Arguments: ``urls`` (the addresses asked, the redirect chain
first, the one that answered last) and ``status``. ``StorePipeline`` hands
them to the archive with its next batch (``Archive.mark_gone``)."""

article_moved = object()
"""An article request was redirected to an address the crawl does not
follow it to (requested on its own already, or archived and unchanged): the
site moved the page there. Arguments: ``urls`` (the redirect chain, the
first address asked first) and ``target``. ``StorePipeline`` hands them to
the archive with its next batch (``Archive.record_moves``), which keeps the
archived article as the story at its new address."""
