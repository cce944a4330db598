"""Property-based test of every public form: random text, oversize values, NUL bytes, broken
UTF-8, huge numbers, lists instead of scalars — the answer is never a 500 (a 4xx, or a 200 with
the form's errors, is fine).

The fields posted are read from the page itself (every `name=` of its form), plus a few names
the page does not have. Bodies are built as raw bytes so that invalid UTF-8 reaches Django.
Bounded and derandomized for CI: the file runs in well under a minute.
"""

from html.parser import HTMLParser
from urllib.parse import quote_from_bytes

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptes.enums import Role
from tests.candidatures.factories import ManifestationFactory
from tests.conftest import make_user
from tests.responses import close_response

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

MEGABYTE = 1024 * 1024

# --- Values ---------------------------------------------------------------------------------

texts = st.text(max_size=60)  # any code point, NUL and lone surrogates included
nasty = st.sampled_from(
    [
        "",
        "\x00",
        "a\x00b",
        "\ud800",  # a lone surrogate: encoded below with surrogatepass, i.e. invalid UTF-8
        "🇫🇷" * 20,
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0",
        "../../etc/passwd",
        "58",
        "2A",
        "commune:58194",
        "epci:200067106",
        "-1",
        "0",
        "9" * 40,
        "1e309",
        "NaN",
        "-9223372036854775809",
        "12345678901234",
        "2025-02-30",
        "on",
        "x" * MEGABYTE,
    ]
)
raw_bytes = st.binary(max_size=40)  # includes bytes that are not UTF-8 at all


def encode(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return value.encode("utf-8", "surrogatepass")


values = st.one_of(texts, nasty, raw_bytes, st.integers().map(str))


def fields_strategy(names: list[str]):
    """A list of (name, value) pairs: the page's fields, some repeated (a list instead of a
    scalar), some missing, and a few unknown names."""
    known = st.sampled_from(names) if names else st.nothing()
    name = st.one_of(
        known, known, known, st.sampled_from(["version", "page", "id", "q", "csrfmiddlewaretoken"]), texts
    )
    return st.lists(st.tuples(name, values), max_size=12)


def urlencode_raw(pairs) -> bytes:
    return b"&".join(
        quote_from_bytes(encode(k)).encode() + b"=" + quote_from_bytes(encode(v)).encode() for k, v in pairs
    )


def multipart_raw(pairs, boundary=b"fuzzboundary") -> bytes:
    body = b""
    for key, value in pairs:
        body += b"--" + boundary + b"\r\n"
        body += b'Content-Disposition: form-data; name="' + encode(key).replace(b'"', b"") + b'"\r\n\r\n'
        body += encode(value) + b"\r\n"
    return body + b"--" + boundary + b"--\r\n"


CONTENT_TYPES = st.sampled_from(
    [
        "urlencoded",
        "urlencoded-latin1",
        "urlencoded-bogus-charset",
        "multipart",
        "multipart-truncated",
        "json",
    ]
)


def post_raw(client, url: str, pairs, kind: str):
    if kind.startswith("urlencoded"):
        charset = {"urlencoded": "utf-8", "urlencoded-latin1": "iso-8859-1"}.get(kind, "pas-un-charset")
        return client.generic(
            "POST",
            url,
            urlencode_raw(pairs),
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )
    if kind.startswith("multipart"):
        body = multipart_raw(pairs)
        if kind == "multipart-truncated":
            body = body[: len(body) // 2]
        return client.generic("POST", url, body, content_type="multipart/form-data; boundary=fuzzboundary")
    return client.generic(
        "POST", url, b'{"persona": [1, {"x": null}]}' + urlencode_raw(pairs), content_type="application/json"
    )


def get_raw(client, url: str, pairs, *, percent_encoded: bool):
    if percent_encoded:
        return client.get(url + "?" + urlencode_raw(pairs).decode("ascii"))
    # Raw bytes in the query string, as a careless client would send them (WSGI gives latin-1).
    raw = b"&".join(encode(k) + b"=" + encode(v) for k, v in pairs).replace(b"#", b"")
    return client.get(url, QUERY_STRING=raw.decode("latin-1"))


class FormFields(HTMLParser):
    """name → the values the page offers for it (input values, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: dict[str, list[str]] = {}
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea", "select") and attrs.get("name"):
            values = self.fields.setdefault(attrs["name"], [])
            if attrs.get("value"):
                values.append(attrs["value"])
            self._select = attrs["name"] if tag == "select" else None
        elif tag == "option" and self._select and attrs.get("value"):
            self.fields[self._select].append(attrs["value"])


def page_fields(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    parser = FormFields()
    parser.feed(response.content.decode())
    return parser.fields


def field_names(client, url: str) -> list[str]:
    return sorted(page_fields(client, url))


PLAUSIBLE = [
    "Claire",
    "Martin",
    "Adjointe au numérique",
    "claire.martin@nevers.example",
    "73282932000074",
    "58",
]


def near_valid_strategy(fields: dict[str, list[str]]):
    """Every field of the page with a value it offers (or a plausible one), one to three of them
    replaced by something nasty, repeated, or left out: reaches the services, not only the forms."""
    if not fields:
        return st.just([])
    names = sorted(fields)

    @st.composite
    def build(draw):
        pairs = [(name, draw(st.sampled_from(fields[name] or PLAUSIBLE))) for name in names]
        for _ in range(draw(st.integers(1, 3))):
            index = draw(st.integers(0, len(pairs) - 1))
            action = draw(st.sampled_from(["replace", "replace", "repeat", "drop"]))
            name = pairs[index][0]
            if action == "replace":
                pairs[index] = (name, draw(values))
            elif action == "repeat":
                pairs.append((name, draw(values)))
            else:
                pairs[index] = (name, None)
        return [(k, v) for k, v in pairs if v is not None]

    return build()


def check(response, what: str) -> None:
    if hasattr(response, "streaming_content"):
        close_response(response)
    assert response.status_code < 500, f"{what}: {response.status_code}"


# --- Who fills the forms ----------------------------------------------------------------------


@pytest.fixture
def visitor(client):
    """A signed-in structure user, without a form yet."""
    user = make_user("fuzz@mairie.test", Role.STRUCTURE)
    client.force_login(user)
    return client, user


def fuzz_posts(client, url):
    fields = page_fields(client, url)

    @FUZZ
    @given(pairs=st.one_of(fields_strategy(sorted(fields)), near_valid_strategy(fields)), kind=CONTENT_TYPES)
    def run(pairs, kind):
        cache.clear()  # the rate limits would soon answer 429 instead of running the view
        check(post_raw(client, url, pairs, kind), f"POST {url} ({kind})")

    run()


def fuzz_gets(client, url, names):
    @FUZZ
    @given(pairs=fields_strategy(names), percent_encoded=st.booleans())
    def run(pairs, percent_encoded):
        check(get_raw(client, url, pairs, percent_encoded=percent_encoded), f"GET {url}")

    run()


# --- The forms ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["candidatures:entree", "account_login", "account_signup"])
def test_anonymous_forms_never_fail(client, name):
    fuzz_posts(client, reverse(name))


def test_entree_signed_in_never_fails(visitor):
    client, _ = visitor
    fuzz_posts(client, reverse("candidatures:entree"))


@pytest.mark.parametrize(
    "traits",
    [
        pytest.param({}, id="commune"),
        pytest.param({"structure": True}, id="structure"),
        pytest.param({"porteur_departement": True, "intention": "participer"}, id="departement"),
    ],
)
def test_participer_never_fails(visitor, traits):
    client, user = visitor
    ManifestationFactory(user=user, **traits)
    fuzz_posts(client, reverse("candidatures:participer"))


@pytest.mark.parametrize("etape", ["informations", "perimetre", "contacts", "structures"])
def test_porter_steps_never_fail(visitor, etape):
    from tests.candidatures.factories import PerimetreFactory

    client, user = visitor
    manifestation = ManifestationFactory(user=user, porteur_epci=True, etape="recapitulatif")
    PerimetreFactory(manifestation=manifestation)
    fuzz_posts(client, reverse("candidatures:porter", kwargs={"etape": etape}))


def test_territory_search_never_fails(client):
    fuzz_gets(client, reverse("territoires:recherche"), ["q", "departement", "types"])


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("diagnostic:departement", {"code": "58"}),
        ("diagnostic:departement_export", {"code": "58", "fmt": "csv"}),
        ("diagnostic:national", {}),
        ("gouvernances:publique", {"code": "58"}),
    ],
)
def test_public_dashboards_query_strings_never_fail(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    page = reverse(name.replace("_export", ""), kwargs={"code": kwargs["code"]} if kwargs else {})
    names = [*field_names(client, page), "tri", "page", "epci", "q"]
    fuzz_gets(client, url, names)
