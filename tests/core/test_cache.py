"""Cached computations and pages renewed by generations: every write renews what depends on it,
the commit renews it once more, and a page's cached content varies only with what it reads."""

import datetime

import pytest
from csp.middleware import CSPMiddleware
from django.core.cache import cache as django_cache
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.test import Client, RequestFactory

from candidatures import views as candidatures_views
from comptes.enums import Role
from comptes.signals import COMPTES
from core import cache as cache_module
from core.cache import cached, cached_content, cached_page, generations, invalidate
from territoires.models import Departement, Epci, Region
from territoires.signals import REFERENTIEL
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def renewals_at_commit(callbacks) -> list[str]:
    return [callback.name for callback in callbacks if hasattr(callback, "name")]


def test_a_read_inside_the_transaction_sees_every_write_and_the_commit_renews_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    before = generations(["essai"])
    with django_capture_on_commit_callbacks() as callbacks:
        invalidate("essai")
        first = generations(["essai"])
        invalidate("essai")
        second = generations(["essai"])
        # Three hundred rows written without a read in between: one renewal was enough.
        renewals = []
        renew = cache_module._renew
        monkeypatch.setattr(cache_module, "_renew", lambda name: (renewals.append(name), renew(name)))
        for _ in range(300):
            invalidate("essai")
        monkeypatch.undo()
    assert renewals == ["essai"]
    assert len({before, first, second}) == 3
    assert generations(["essai"]) != second
    assert renewals_at_commit(callbacks) == ["essai"]
    callbacks[0]()
    assert generations(["essai"]) != second


@transaction.atomic
def rolled_back_write() -> None:
    invalidate("essai")
    raise RuntimeError


def test_a_rolled_back_savepoint_does_not_swallow_the_next_renewal(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError):
            rolled_back_write()
        invalidate("essai")
    assert renewals_at_commit(callbacks) == ["essai"]


def test_saves_deletes_and_many_to_many_changes_renew_the_referential():
    seen = [generations([REFERENTIEL])]

    def changed() -> bool:
        seen.append(generations([REFERENTIEL]))
        return seen[-1] != seen[-2]

    region = Region.objects.get(code="27")
    region.nom = "Bourgogne–Franche-Comté"
    region.save()
    assert changed()
    epci = Epci.objects.filter(departements="58").order_by("code").first()
    epci.departements.add(Departement.objects.get(code="21"))
    assert changed()
    epci.departements.remove(Departement.objects.get(code="21"))
    assert changed()
    Region.objects.create(code="99", nom="Région d'essai")
    assert changed()
    Region.objects.filter(code="99").delete()
    assert changed()
    assert not changed()  # nothing written: the generation stays


def test_a_generation_that_follows_some_fields_skips_the_saves_of_other_fields():
    """The people's names and addresses: a login writes `last_login` alone and leaves the pages
    cached; a full save, a save naming a followed field and a deletion renew them."""
    user = make_user("agent@nievre.gouv.fr", Role.PREFECTURE, departement="58")
    seen = [generations([COMPTES])]

    def changed() -> bool:
        seen.append(generations([COMPTES]))
        return seen[-1] != seen[-2]

    Client().force_login(user)
    assert not changed()
    user.role = Role.DEMO
    user.save(update_fields=["role"])
    assert not changed()
    user.first_name = "Camille"
    user.save(update_fields=["first_name"])
    assert changed()
    user.save()
    assert changed()
    user.delete()
    assert changed()


def test_a_cached_computation_is_recomputed_after_its_data_change():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached("essai:calcul", compute, depends_on=["essai"]) == 1
    assert cached("essai:calcul", compute, depends_on=["essai"]) == 1
    invalidate("essai")
    assert cached("essai:calcul", compute, depends_on=["essai"]) == 2


def test_a_lost_generation_never_brings_an_old_entry_back():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cached("essai:calcul", compute, depends_on=["essai", "autre"]) == 1
    django_cache.delete("generation:essai")  # evicted: a new generation is drawn
    assert cached("essai:calcul", compute, depends_on=["essai", "autre"]) == 2
    assert cached("essai:calcul", compute, depends_on=["essai", "autre"]) == 2


def test_cached_content_varies_with_the_parameters_it_reads_and_nothing_else(settings):
    settings.ALLOWED_HOSTS = ["fne.example", "autre.example"]
    rendered = []

    def page(path, host="fne.example"):
        request = RequestFactory().get(path, HTTP_HOST=host)

        def render():
            rendered.append(path)
            return f"<p>{len(rendered)}</p>"

        return cached_content(request, "essai:page", render, depends_on=["essai"], parameters={"tri", "page"})

    assert page("/t/?tri=nom&page=2") == "<p>1</p>"
    assert page("/t/?page=2&tri=nom") == "<p>1</p>"  # same parameters, another order: the cache
    assert page("/t/?tri=nom") == "<p>2</p>"
    assert page("/t/?tri=nom", host="autre.example") == "<p>3</p>"  # links carry the host
    # A parameter the page does not read is rendered every time, never stored.
    assert page("/t/?tri=nom&x=1") == "<p>4</p>"
    assert page("/t/?tri=nom&x=1") == "<p>5</p>"
    invalidate("essai")
    assert page("/t/?tri=nom&page=2") == "<p>6</p>"


def test_a_deployment_renews_every_cached_page(django_capture_on_commit_callbacks):
    # `migrate` runs at every deployment: a new release may render the same data otherwise.
    names = ["candidatures", "gouvernances", "feuilles_de_route", "diagnostic", REFERENTIEL]
    before = generations(names).split("-")
    call_command("migrate", verbosity=0)
    after = generations(names).split("-")
    assert all(old != new for old, new in zip(before, after, strict=True))


# --- Whole pages for visitors who are not logged in ---------------------------------------------


def visitor_page(calls: list, *, status=200, cookie=False):
    @cached_page(depends_on=["essai"], parameters={"tri"})
    def view(request):
        calls.append(1)
        response = HttpResponse(
            f'<p id="n{len(calls)}"><script nonce="{request.csp_nonce}"></script>'
            f'<input name="csrfmiddlewaretoken" value="{get_token(request)}"></p>',
            status=status,
        )
        if cookie:
            response.set_cookie("choix", "1")
        return response

    return view


def visit(view, path="/essai/", **cookies):
    request = RequestFactory().get(path)
    request.COOKIES.update(cookies)
    CSPMiddleware(lambda r: None).process_request(request)
    return request, view(request)


def test_a_visitor_page_is_rendered_once_and_each_visitor_gets_their_own_tokens():
    calls = []
    view = visitor_page(calls)
    first_request, first = visit(view)
    second_request, second = visit(view)
    assert calls == [1]
    assert 'id="n1"' in second.content.decode()
    for request, response in ((first_request, first), (second_request, second)):
        body = response.content.decode()
        assert f'nonce="{request.csp_nonce}"' in body
        token = body.split('value="')[1].split('"')[0]
        assert _unmask_cipher_token(token) == request.META["CSRF_COOKIE"]
    assert first_request.META["CSRF_COOKIE"] != second_request.META["CSRF_COOKIE"]
    assert str(first_request.csp_nonce) != str(second_request.csp_nonce)
    assert second["Vary"] == "Cookie"


def test_a_visitor_page_is_rendered_again_after_its_data_change_and_every_day(monkeypatch):
    calls = []
    view = visitor_page(calls)
    visit(view)
    invalidate("essai")
    visit(view)
    assert calls == [1, 1]
    monkeypatch.setattr(
        cache_module.timezone, "localdate", lambda: datetime.date.today() + datetime.timedelta(days=1)
    )
    visit(view)
    assert calls == [1, 1, 1]


@pytest.mark.parametrize(
    ("path", "cookies"),
    [
        ("/essai/", {"sessionid": "x"}),  # logged in, or a draft kept in the session
        ("/essai/", {"messages": "x"}),  # a message waiting to be shown
        ("/essai/?inconnu=1", {}),  # a parameter the page does not read
    ],
)
def test_a_visitor_with_a_state_gets_the_page_rendered_for_them(path, cookies):
    calls = []
    view = visitor_page(calls)
    visit(view, path, **cookies)
    visit(view, path, **cookies)
    assert calls == [1, 1]


@pytest.mark.parametrize("kwargs", [{"status": 404}, {"cookie": True}])
def test_only_a_plain_page_is_stored(kwargs):
    calls = []
    view = visitor_page(calls, **kwargs)
    visit(view)
    visit(view)
    assert calls == [1, 1]


def test_a_cached_public_form_takes_the_post_of_each_visitor(monkeypatch):
    """Two visitors get the entry page of the public form, the second one from the cache: each
    one's post passes the CSRF check with their own cookie and the token of their page."""
    renders = []
    render = candidatures_views.render
    monkeypatch.setattr(
        candidatures_views, "render", lambda *a, **k: (renders.append(a[1]), render(*a, **k))[1]
    )
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        page = client.get("/gouvernance/?intention=participer")
        token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        response = client.post(
            "/gouvernance/", {"persona": "commune", "intention": "participer", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302  # to the login page, not the CSRF refusal
        assert renders == ["candidatures/entree.html"]  # the second visitor's page came from the cache
        assert (
            Client(enforce_csrf_checks=True)
            .post(
                "/gouvernance/",
                {"persona": "commune", "intention": "participer", "csrfmiddlewaretoken": token},
            )
            .status_code
            == 403
        )  # another browser, without this visitor's cookie


def test_the_redis_backend_builds_one_client_per_connection_pool():
    backend = cache_module.ResilientRedisCache("redis://127.0.0.1:1/0", {})
    client = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is client  # one server: reads and writes share its pool
    other = cache_module.ResilientRedisCache("redis://127.0.0.1:1/1", {})
    assert other._cache.get_client() is not client
    assert other._cache.get_client().connection_pool is not client.connection_pool
