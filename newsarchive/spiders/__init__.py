"""The crawl's spiders. They find article URLs and route them; extraction lives in
``newsarchive.extraction``."""
