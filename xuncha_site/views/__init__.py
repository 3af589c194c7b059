"""Page views: the catalogue turned into exactly what each page's template prints (no MkDocs, no Jinja)."""
