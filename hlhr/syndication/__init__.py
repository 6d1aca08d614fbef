"""Syndication and discovery: RSS/Atom feeds, sitemaps, robots.txt, SEO metadata.

Builders only: the routes live in ``hlhr.public.feeds``. Every post listed here comes
from a ``visible_posts`` query, so nothing a reader cannot open is ever announced.
"""
