"""The offline demo: a bundled sample news site, a server for it, and
``newsarchive demo``, which crawls it with the real spider."""
