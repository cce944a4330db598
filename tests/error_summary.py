"""Reading a page's title and its error summary, for the tests of failed forms."""

import re

SUMMARY = re.compile(r'<div class="fr-alert fr-alert--error[^"]*" role="alert" id="erreurs".*?</div>', re.S)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def summary(html: str) -> str:
    match = SUMMARY.search(html)
    assert match, "no error summary"
    return match.group(0)


def has_summary(html: str) -> bool:
    return SUMMARY.search(html) is not None


def summary_anchors(html: str) -> list[str]:
    """The fields the summary links to; each one is on the page."""
    anchors = re.findall(r'<a href="#([^"]+)"', summary(html))
    for anchor in anchors:
        assert f'id="{anchor}"' in html, anchor
    return anchors
