from django.urls import reverse

from core.links import url_maker


def test_url_maker_gives_what_reverse_gives():
    make = url_maker("gouvernances:detail")
    for code in ("58", "2A", "971"):
        assert make(code) == reverse("gouvernances:detail", args=[code])
    # A value that needs quoting goes through reverse.
    assert make("a b") == reverse("gouvernances:detail", args=["a b"])
