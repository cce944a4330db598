"""Every page of the access matrix, rendered, carries the Content-Security-Policy header and no
inline script, no inline event handler, no style attribute (the policy would block them), and
loads nothing from outside the platform: no script, style sheet, image, frame or SVG reference
with an external address, and a policy that allows none (maps and charts included: no tile
server, no CDN). Links a person follows (`<a href>`) may leave the site.

Pages are rendered as an administrator; the public form's pages that only their owner reaches
(the structure user's draft) as that user; allauth's pages and the error pages as anonymous.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.access_matrix import build_url, iter_cases
from tests.responses import close_response

# Script types that are data, not code: CSP does not run them (none is used today).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# The attributes that make the browser fetch something by itself when the page loads.
FETCHING = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
    "feimage": ("href", "xlink:href"),  # SVG
    "form": ("action",),
}
# <link rel> values that are only metadata, never fetched when the page loads.
LINK_NOT_FETCHED = {"canonical", "alternate", "license", "author", "help", "next", "prev", "search"}


def external(value: str) -> bool:
    """An address outside the platform: a scheme with a host, or protocol-relative."""
    value = (value or "").strip().lower()
    return value.startswith(("//", "http:", "https:", "ftp:", "ws:", "wss:"))


class InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._inline_script = False
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if not (tag == "link" and set((names.get("rel") or "").lower().split()) <= LINK_NOT_FETCHED):
            for name in FETCHING.get(tag, ()):
                urls = (names.get(name) or "").split(",") if name == "srcset" else [names.get(name)]
                for url in urls:
                    if url and external(url.split()[0] if url.split() else ""):
                        self.problems.append(f"<{tag} {name}={url.strip()!r}> : adresse extérieure")
        if tag == "script" and not names.get("src") and names.get("type") not in DATA_SCRIPT_TYPES:
            self._inline_script = True
            self._script_text = []
        if tag == "style":
            self.problems.append("<style> element")

    def handle_data(self, data):
        if self._inline_script:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._inline_script:
            self._inline_script = False
            self.problems.append(f"<script> inline : {''.join(self._script_text).strip()[:80]!r}")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def pages():
    """(name, case, role) for each GET of the matrix that renders a page for some role."""
    for name, case in iter_cases():
        for role in ("admin", "structure", "coredacteur", "anonyme"):
            if case.get[role] == 200:
                yield pytest.param(
                    name, case, role, id=f"{name}{f'[{case.label}]' if case.label else ''}-{role}"
                )
                break


def assert_clean(response, where: str) -> None:
    assert response.status_code == 200, f"{where} : {response.status_code}"
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, f"{where} : en-tête CSP absent ou incomplet ({policy!r})"
    assert not [part for part in policy.split() if external(part) or "." in part.strip("';")], (
        f"{where} : la CSP autorise un hôte extérieur ({policy!r})"
    )
    if response.get("Content-Type", "").startswith("text/html"):
        problems = inline_code(response.content.decode())
        assert not problems, f"{where} : code en ligne bloqué par la CSP :\n" + "\n".join(problems)


@pytest.mark.parametrize(("name", "case", "role"), list(pages()))
def test_matrix_page_has_no_inline_code(as_role, name, case, role):
    client, objects = as_role(role)
    url = build_url(name, case, objects) + case.query
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        close_response(response)
    assert_clean(response, f"GET {url} ({role})")


@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "account_request_login_code"]
)
def test_allauth_pages_have_no_inline_code(client, db, name):
    url = reverse(name)
    assert_clean(client.get(url), f"GET {url}")


def test_error_pages_have_no_inline_code(client, db, settings):
    settings.DEBUG = False
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert not inline_code(response.content.decode())
    assert "Content-Security-Policy" in response.headers


def test_the_finder_sees_what_csp_blocks():
    assert inline_code('<p style="color: red">x</p>')
    assert inline_code('<button onclick="go()">x</button>')
    assert inline_code("<script>alert(1)</script>")
    assert inline_code('<a href="javascript:go()">x</a>')
    assert not inline_code('<script src="/static/x.js" defer></script><p class="fr-text">ok</p>')


def test_the_finder_sees_what_leaves_the_platform():
    assert inline_code('<script src="https://cdn.example.org/chart.js"></script>')
    assert inline_code('<link rel="stylesheet" href="//fonts.example.org/a.css">')
    assert inline_code('<img src="/a.png" srcset="/a.png 1x, https://tiles.example.org/b.png 2x" alt="">')
    assert inline_code('<svg><image href="https://tile.openstreetmap.org/1/1/1.png"/></svg>')
    assert inline_code('<svg><use xlink:href="https://example.org/sprite.svg#a"/></svg>')
    assert not inline_code(
        '<link rel="stylesheet" href="/static/css/cartes.css"><img src="data:image/png;base64,AA" alt="">'
        '<svg><a href="/departements/58/"><path d="M0 0"/></a></svg>'
        '<a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte</a>'
        '<link rel="canonical" href="https://fne.example.gouv.fr/">'
    )


# --- Pages the matrix's data set does not reach: other form states, forms with their errors ---


@pytest.fixture
def visitor(client, db):
    from comptes.enums import Role
    from tests.conftest import make_user

    user = make_user("visiteur@mairie.test", Role.STRUCTURE)
    client.force_login(user)
    return client, user


@pytest.mark.parametrize(
    ("traits", "path", "method"),
    [
        ({}, "candidatures:participer", "GET"),
        ({}, "candidatures:participer", "POST"),
        ({"structure": True}, "candidatures:participer", "GET"),
        ({"confirmee": True}, "candidatures:mon_formulaire", "GET"),
        ({"porteur_departement": True, "etape": "recapitulatif"}, "candidatures:recapitulatif", "GET"),
        *[
            ({"porteur_departement": True, "etape": "recapitulatif"}, f"candidatures:porter:{etape}", method)
            for etape in ("informations", "perimetre", "contacts", "structures")
            for method in ("GET", "POST")
        ],
    ],
)
def test_public_form_pages_have_no_inline_code(visitor, traits, path, method):
    from tests.candidatures.factories import ManifestationFactory

    client, user = visitor
    ManifestationFactory(user=user, **traits)
    _, _, etape = path.partition(":porter:")
    url = reverse("candidatures:porter", kwargs={"etape": etape}) if etape else reverse(path)
    # A version no page can carry: every step comes back with its errors, whatever the draft holds.
    response = client.get(url) if method == "GET" else client.post(url, {"version": "-1"})
    assert_clean(response, f"{method} {url}")


def test_gouvernance_creation_form_and_errors_have_no_inline_code(client_for):
    from tests.nievre import open_campaign

    open_campaign()
    client = client_for("prefecture_autre")  # the Côte-d'Or has no gouvernance yet
    url = reverse("gouvernances:detail", kwargs={"code": "21"})
    response = client.get(url)
    assert "gouvernances/gouvernance_form.html" in [t.name for t in response.templates]
    assert_clean(response, f"GET {url}")
    posted = client.post(url, {})
    assert posted.status_code in (200, 400)
    posted.status_code = 200
    assert_clean(posted, f"POST {url}")
