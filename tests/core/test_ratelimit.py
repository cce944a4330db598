from django.http import HttpResponse
from django.test import RequestFactory

from core.ratelimit import parse_rate, ratelimit


def test_parse_rate():
    assert parse_rate("20/h") == (20, 3600)
    assert parse_rate("5/10m") == (5, 600)


def test_posts_over_the_limit_get_429_in_french(db):
    @ratelimit(key="test", rate="2/m")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    from django.contrib.auth.models import AnonymousUser

    def post(ip):
        request = factory.post("/", REMOTE_ADDR=ip)
        request.user = AnonymousUser()
        request.csp_nonce = "nonce"
        return view(request)

    assert post("10.0.0.1").status_code == 200
    assert post("10.0.0.1").status_code == 200
    response = post("10.0.0.1")
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert post("10.0.0.2").status_code == 200  # per IP
    get = factory.get("/", REMOTE_ADDR="10.0.0.1")
    get.user = AnonymousUser()
    assert view(get).status_code == 200  # only posts count
