"""Federation (issue 23): an aggregating site that rolls up its member sites from their published open data alone.

MkDocs-free. :mod:`xuncha_site.federation.gather` reads each member's ``data/*.json`` (over HTTP or from a local
copy), checks it against the project's published schemas and keeps the last good copy in ``.xuncha-cache``.
"""
