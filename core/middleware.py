"""Two rules every response follows, whatever the view."""

from django.http import HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers

# What the platform's views handle: pages (GET, HEAD) and forms (POST). Nothing answers PUT,
# PATCH, DELETE or OPTIONS; before this middleware, those methods reached the views, which
# rendered the page as for a GET.
HANDLED_METHODS = ("GET", "HEAD", "POST")


class SafeMethodsMiddleware:
    """405 to every method no view handles; a view that handles only some of these methods
    says so with Django's require_GET / require_POST / require_safe."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in HANDLED_METHODS:
            return HttpResponseNotAllowed(HANDLED_METHODS)
        return self.get_response(request)


class NoStoreForUsersMiddleware:
    """A page served to a signed-in person carries `Cache-Control: no-store`: it holds personal
    data (contacts, notes, drafts) that a shared computer's browser must not keep nor show again
    with the back button after logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # max-age=0, no-cache, no-store, must-revalidate, private
            add_never_cache_headers(response)
        return response
