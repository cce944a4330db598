"""Accessibility audits of the pages the browser journeys visit, with axe-core.

axe-core comes from the npm registry (tests/e2e/package.json, pinned by package-lock.json;
scripts/test runs `npm ci` when it is missing). Our Content-Security-Policy allows scripts from
'self' only, so a <script> tag with inline content would be refused: the file is evaluated
through the DevTools protocol instead, which the page's CSP does not govern: once per browser
context as an init script (`install`), which Chromium runs in every document it opens, before
the page's own scripts; by `page.evaluate` in a context without it. Nothing is relaxed on the
server.

A journey calls `audit(page)` after each navigation; the `axe_pages` fixture (autouse in this
folder) records every page the browser loads and fails the test if one was never audited.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
# The standards the audit holds the pages to (RGAA 4 follows WCAG 2.1 AA).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.exists():
        raise AssertionError(
            f"{AXE_JS} introuvable : lancez `npm ci --prefix tests/e2e` (scripts/test le fait)."
        )
    return AXE_JS.read_text(encoding="utf-8")


def page_key(url: str) -> str:
    """The path a page is tracked by (the query string and fragment left out)."""
    return urlsplit(url).path


# The audit in one round trip to the browser; `null` when axe is not in the page yet.
_RUN_AXE = """async (tags) => {
    if (typeof window.axe === "undefined") return null;
    const results = await window.axe.run(document, {
        runOnly: {type: "tag", values: tags},
        resultTypes: ["violations"],
    });
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({target: n.target, impact: n.impact, summary: n.failureSummary})),
    }));
}"""


def install(context: BrowserContext) -> None:
    """Puts axe in every document the context opens: sending its half megabyte of source to the
    page after each navigation, and asking first whether it was there, took a good part of each
    audit."""
    context.add_init_script(script=_axe_source())


def violations(page: Page) -> list[dict]:
    """Runs axe on the current page; returns the violations of impact serious or critical."""
    page.wait_for_load_state("load")
    result = page.evaluate(_RUN_AXE, AXE_TAGS)
    if result is None:  # a context without `install`
        page.evaluate(_axe_source())
        result = page.evaluate(_RUN_AXE, AXE_TAGS)
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def format_violations(url: str, found: list[dict]) -> str:
    lines = [f"axe-core : {len(found)} violation(s) graves ou critiques sur {url}"]
    for v in found:
        lines.append(f"- [{v['impact']}] {v['id']} : {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    cible {json.dumps(node['target'], ensure_ascii=False)}")
            if node.get("summary"):
                lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)


class AxePages:
    """Keeps track of the pages loaded in the browser and of those audited."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.audited: set[str] = set()

    def on_load(self, page: Page) -> None:
        key = page_key(page.url)
        if key and key not in self.loaded:
            self.loaded.append(key)

    def missing(self) -> list[str]:
        return [key for key in self.loaded if key not in self.audited]


_tracker: AxePages | None = None


def check(page: Page) -> list[dict]:
    """The page's serious or critical violations, the page counted as audited (for a test that
    reports every page's violations at the end rather than stopping at the first)."""
    found = violations(page)
    if _tracker is not None:
        _tracker.audited.add(page_key(page.url))
    return found


def audit(page: Page) -> None:
    """Fails with each rule id, target and help if the page has a serious or critical violation."""
    found = check(page)
    if found:
        raise AssertionError(format_violations(page.url, found))


def set_tracker(tracker: AxePages | None) -> None:
    global _tracker
    _tracker = tracker
