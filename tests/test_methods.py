"""Every URL of the access matrix answers 405 to the methods its view does not handle.

PUT, PATCH, DELETE and OPTIONS: no view of the platform handles them (core.middleware answers
first, for every role). POST on a page that only reads: the view's require_safe / require_GET
answers, once past the login (anonymous visitors of private pages still go to the login page).
"""

import pytest

from tests.access_matrix import LOGIN, ROLES, build_url, iter_cases
from tests.responses import close_response

UNHANDLED = ("put", "patch", "delete", "options")


def _cases():
    for name, case in iter_cases():
        ident = f"{name}[{case.label}]" if case.label else name
        yield pytest.param(name, case, id=ident)


@pytest.mark.parametrize(("name", "case"), list(_cases()))
def test_unhandled_methods_get_405_everywhere(as_role, name, case, figures):
    tried = 0
    for role in ("anonyme", "admin"):
        client, objects = as_role(role)
        url = build_url(name, case, objects)
        for method in UNHANDLED:
            response = getattr(client, method)(url)
            tried += 1
            try:
                assert response.status_code == 405, (
                    f"{method.upper()} {url} ({role}) : {response.status_code}"
                )
                assert "POST" in response["Allow"]
            finally:
                close_response(response)
    figures(classe="méthodes non gérées", requetes=tried, erreurs_500=0, detail=name)


READ_ONLY_CASES = [
    pytest.param(name, case, role, id=f"{name}[{case.label}]-{role}" if case.label else f"{name}-{role}")
    for name, case in iter_cases()
    if case.post is None
    for role in ROLES
]


@pytest.mark.parametrize(("name", "case", "role"), READ_ONLY_CASES)
def test_a_post_to_a_page_that_only_reads_gets_405(as_role, name, case, role):
    client, objects = as_role(role)
    url = build_url(name, case, objects)
    response = client.post(url, case.data)
    try:
        if case.get[role] == LOGIN:
            assert response.status_code == 302
        else:
            assert response.status_code == 405, f"POST {url} ({role}) : {response.status_code}"
    finally:
        close_response(response)
