"""Browser journeys: Playwright (pytest-playwright) driving Debian's Chromium against
pytest-django's `live_server`, so that the browser sees the test database.

Never `playwright install`: the browser is the system package (`apt install chromium`, which
scripts/test and .ci/run do).
"""

import os

import pytest

from comptes.enums import Role
from tests.conftest import PASSWORD, load_test_territoires, make_user

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
