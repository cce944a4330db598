"""Every URL pattern × every role × GET/POST, against the table in tests/access_matrix.py.

The patterns come from Django's URL resolver, so a view added without a row fails
`test_every_url_pattern_is_in_the_matrix`. One test case per (pattern, role, method): a failure
names all three.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import EXCLUDED_INCLUDES, EXCLUDED_VIEWS, LOGIN, MATRIX, ROLES, build_url
from tests.responses import close_response

# --- Walking the resolver -------------------------------------------------------------------


def _view_path(callback) -> str:
    view = getattr(callback, "view_class", callback)
    return f"{view.__module__}.{view.__qualname__}"


def walk_patterns(patterns=None, prefix="", namespace=""):
    """Yield (qualified name or route, route, view path) for every pattern not excluded."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_name, "__name__", str(entry.urlconf_name))
            if entry.namespace in EXCLUDED_INCLUDES or module in EXCLUDED_INCLUDES:
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from walk_patterns(entry.url_patterns, route, inner or namespace)
        elif isinstance(entry, URLPattern):
            view = _view_path(entry.callback)
            if view in EXCLUDED_VIEWS:
                continue
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (name or route), route, view


def cases():
    for name, spec in MATRIX.items():
        for case in spec if isinstance(spec, list) else [spec]:
            ident = f"{name}[{case.label}]" if case.label else name
            for method, expected in (("GET", case.get), ("POST", case.post)):
                if expected is None:
                    continue
                for role in ROLES:
                    yield pytest.param(
                        name, case, role, method, expected[role], id=f"{ident}-{role}-{method}"
                    )


def test_every_url_pattern_is_in_the_matrix():
    found = {name: (route, view) for name, route, view in walk_patterns()}
    missing = sorted(set(found) - set(MATRIX))
    assert not missing, (
        "Ces URL n'ont pas de ligne dans la matrice d'accès : ajoutez-les à MATRIX dans "
        "tests/access_matrix.py (kwargs et statut attendu par rôle, en GET et, si la vue écrit, "
        "en POST) :\n" + "\n".join(f"  {name}  ({found[name][0]} → {found[name][1]})" for name in missing)
    )
    stale = sorted(set(MATRIX) - set(found))
    assert not stale, "Lignes de la matrice sans URL (à retirer) : " + ", ".join(stale)


def test_every_row_gives_a_status_for_every_role():
    for name, spec in MATRIX.items():
        for case in spec if isinstance(spec, list) else [spec]:
            assert case.get is not None, f"{name}: le GET doit être spécifié"
            for expected in (case.get, case.post):
                if expected is not None:
                    assert set(expected) == set(ROLES), f"{name}: rôles {set(ROLES) ^ set(expected)}"


# --- The Nièvre data set --------------------------------------------------------------------


def describe(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}" + (f" → {location}" if location else "")


@pytest.mark.parametrize(("name", "case", "role", "method", "expected"), list(cases()))
def test_access(as_role, name, case, role, method, expected):
    client, objects = as_role(role)
    url = build_url(name, case, objects)
    response = client.get(url + case.query) if method == "GET" else client.post(url, case.data)
    try:
        where = f"{method} {url} en tant que « {role} »"
        if expected == LOGIN:
            assert response.status_code == 302, f"{where} : {describe(response)}, attendu : connexion"
            assert response["Location"].startswith(reverse("account_login")), (
                f"{where} : {describe(response)}"
            )
        else:
            assert response.status_code == expected, f"{where} : {describe(response)}, attendu {expected}"
        if case.hidden and method == "GET" and response.status_code == 200:
            content = b"".join(response.streaming_content) if response.streaming else response.content
            content = content.decode()
            for text, roles in case.hidden.items():
                assert role not in roles or text not in content, f"{where} : la page montre « {text} »"
    finally:
        close_response(response)
