"""Browser journeys: Playwright (pytest-playwright) driving Debian's Chromium against
pytest-django's `live_server`, so that the browser sees the test database.

Never `playwright install`: the browser is the system package (`apt install chromium`, which
scripts/test and .ci/run do).
"""

import os

import pytest

from comptes.enums import Role
from tests.conftest import PASSWORD, load_test_territoires, make_user
from tests.e2e import a11y

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run there
# unless told it is safe (it is: the test and the live server use their own connections).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} introuvable : installez le paquet Debian « chromium » (scripts/test le fait)."
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def e2e_db(transactional_db):
    """The live server needs committed data: a transactional test flushes every table when it
    ends, so the territory subset is loaded again whenever it is missing."""
    from territoires.models import Departement

    if not Departement.objects.exists():
        load_test_territoires()


@pytest.fixture
def prefecture_nievre(e2e_db):
    """The préfecture de la Nièvre account, with the password the journeys type in."""
    user = make_user("prefecture-58@nievre.test", Role.PREFECTURE, departement="58")
    return user.email, PASSWORD


@pytest.fixture(scope="session")
def base_url(live_server):
    """pytest-playwright's `page.goto("/")` resolves against the live server."""
    return live_server.url


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def axe_pages(request, page):
    """Every page the browser loads during a journey must have gone through `a11y.audit`:
    a journey that reaches a new page without auditing it fails here, naming the page."""
    a11y.install(page.context)
    tracker = a11y.AxePages()
    a11y.set_tracker(tracker)
    page.on("load", tracker.on_load)
    yield tracker
    a11y.set_tracker(None)
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.passed:
        return  # the test's own failure says more
    missing = tracker.missing()
    assert not missing, f"Pages chargées sans audit d'accessibilité (a11y.audit) : {missing}"
