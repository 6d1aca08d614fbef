"""Full-text search (the only package that imports whoosh). Built in the search issue."""


def init_app(app):
    """Nothing yet: the search issue registers the index, change log hooks and CLI here."""
