"""The breadcrumb of a page: built by its view, rendered once by templates/includes/breadcrumb.html
(django-dsfr's `dsfr_breadcrumb`, which starts with « Accueil »)."""

from django.urls import reverse


def breadcrumb(*links: tuple[str, str], current: str) -> dict:
    """`breadcrumb(("Nièvre", "/departements/58/"), current="Gouvernance")`: the pages above this
    one as (label, url), from the top, then this page's label. Goes in the context as
    `breadcrumb_data`. Its `title` is the page's own <title> when the view gives none: this page,
    then the pages above it (« Historique — Gouvernance — Nièvre »)."""
    return {
        "root_dir": reverse("espace:home"),
        "links": [{"title": label, "url": url} for label, url in links],
        "current": current,
        "title": " — ".join([current, *(label for label, _url in reversed(links))]),
    }


def departement_link(departement) -> tuple[str, str]:
    """The link to a département's home: the top of the breadcrumb of its pages."""
    return departement.nom, reverse("espace:departement", kwargs={"code": departement.code})
