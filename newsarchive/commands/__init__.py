"""Project commands for ``scrapy``: ``crawl`` with scheduler-friendly exit codes."""
