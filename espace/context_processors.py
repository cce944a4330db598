"""Context processor of the site's navigation: query-free, it runs on every request."""

from . import navigation as nav


def navigation(request):
    return {"nav_items": nav.items_for(request)}
