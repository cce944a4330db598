"""The Locust users of bench/campaign.py (run by it; not on its own): préfectures, local
structures and ANCT on the last day of a campaign. The plan (accounts, sessions, départements) comes from
CAMPAIGN_PLAN; what was sent and accepted is written to CAMPAIGN_SENT when the run ends, for the
driver to compare with the rows stored."""

import itertools
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser_form import post_form

PLAN = json.loads(Path(os.environ["CAMPAIGN_PLAN"]).read_text())
_first, _last = (int(x) for x in os.environ["CAMPAIGN_STRUCTURES"].split(":"))
STRUCTURES = iter(PLAN["structures"][_first:_last])
PREFECTURES = itertools.cycle(PLAN["prefectures"])
SECTION = "note-de-contexte"
EXPORT = "/national/tableaux/gouvernances/export.csv"

SENT = {"sections": 0, "conflits": 0, "pdf": 0, "pdf_feuilles": set(), "formulaires": 0, "exports": 0}
_lock = threading.Lock()
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# Every request's time and outcome, per action, from the first to the last (users still finishing
# their task after the time limit included, like their rows): the driver computes the figures.
TIMINGS: dict[str, list[float]] = {}
FAILURES: dict[str, int] = {}
CLOCK = {"start": 0.0}


@events.test_start.add_listener
def _start(environment, **kwargs):
    CLOCK["start"] = time.monotonic()


@events.request.add_listener
def _request(name, response_time, exception, **kwargs):
    TIMINGS.setdefault(name, []).append(response_time)
    if exception is not None:
        FAILURES[name] = FAILURES.get(name, 0) + 1


@events.quitting.add_listener
def _write_sent(environment, **kwargs):
    Path(os.environ["CAMPAIGN_SENT"]).write_text(
        json.dumps(
            {
                **SENT,
                "pdf_feuilles": sorted(SENT["pdf_feuilles"]),
                "timings": TIMINGS,
                "failures": FAILURES,
                "elapsed": time.monotonic() - CLOCK["start"],
            }
        )
    )


class Prefecture(HttpUser):
    """A préfecture finishing its gouvernance: saves a section, now and then asks for its PDF."""

    weight = 3
    wait_time = between(1, 3)

    def on_start(self):
        self.prefecture = next(PREFECTURES)
        self.client.cookies.set("sessionid", self.prefecture["session"])
        self.saves = 0

    @task(4)
    def save_section(self):
        url = f"/departements/{self.prefecture['code']}/gouvernance/{SECTION}/"
        page = self.client.get(url, name="préfecture : ouvrir une section")
        if page.status_code != 200:
            return
        fields = post_form(page.text, contains="version").as_post()
        name = next(n for n in fields if n.endswith("note_contexte"))
        self.saves += 1
        fields[name] = [f"Note de contexte, enregistrement {self.saves} du jour de l'échéance."]
        with self.client.post(
            url,
            data=fields,
            name="préfecture : enregistrer une section",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code == 302:
                with _lock:
                    SENT["sections"] += 1
                answer.success()
            elif answer.status_code == 409:
                # Another préfecture user of the same département saved first: refused, kept, shown.
                with _lock:
                    SENT["conflits"] += 1
                answer.success()
            else:
                answer.failure(f"HTTP {answer.status_code}")

    @task(1)
    def ask_pdf(self):
        feuille = self.prefecture["feuille"]
        if feuille is None:
            return
        editor = self.client.get(
            f"/feuilles-de-route/{feuille}/", name="préfecture : ouvrir la feuille de route"
        )
        if editor.status_code != 200:
            return
        token = self.client.cookies.get("csrftoken")
        with self.client.post(
            f"/feuilles-de-route/{feuille}/pdf/",
            headers={"HX-Request": "true", "X-CSRFToken": token},
            name="préfecture : demander le PDF",
            catch_response=True,
        ) as answer:
            if answer.status_code == 200:
                with _lock:
                    SENT["pdf"] += 1
                    SENT["pdf_feuilles"].add(feuille)
                answer.success()
            else:
                answer.failure(f"HTTP {answer.status_code}")


class Structure(HttpUser):
    """A local structure's agent (an association here: collectivités answer the same form, with
    their commune instead of a name) sending the « participer » interest form, each account once."""

    weight = 5
    wait_time = between(1, 3)

    def _post(self, path, fields, expected, name):
        with self.client.post(
            path, data=fields, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code == 302 and answer.headers.get("Location", "").endswith(expected):
                answer.success()
                return True
            answer.failure(f"HTTP {answer.status_code} {answer.headers.get('Location', '')}")
            return False

    @task
    def submit(self):
        with _lock:
            account = next(STRUCTURES, None)
        if account is None:
            return  # every account of this run has sent its form
        self.client.cookies.clear()
        self.client.cookies.set("sessionid", account["session"])
        page = self.client.get("/gouvernance/", name="structure : entrée du formulaire")
        match = _CSRF.search(page.text)
        if page.status_code != 200 or not match:
            return
        token = match[1]
        index = account["email"].split("@")[0]
        if not self._post(
            "/gouvernance/",
            {"csrfmiddlewaretoken": token, "persona": "structure", "intention": "participer"},
            "/gouvernance/formulaire/",
            "structure : choisir « participer »",
        ):
            return
        form_page = self.client.get(
            "/gouvernance/formulaire/participer/", name="structure : ouvrir le formulaire"
        )
        if form_page.status_code != 200:
            return
        # Every field the page renders, as a browser sends it, then what the agent types.
        fields = post_form(form_page.text, contains="version").as_post()
        fields.update(
            {
                "structure_nom": [f"Association de charge {index}"],
                "structure_siret": [""],
                "structure_sans_siret": ["on"],
                "structure_type": ["association"],
                "departement": ["58"],
                "contact_structure-prenom": ["Camille"],
                "contact_structure-nom": [f"Agent {index}"],
                "contact_structure-fonction": ["Secrétaire de mairie"],
                "contact_structure-email": [f"contact-{index}@campagne-bench.example"],
            }
        )
        if not self._post(
            "/gouvernance/formulaire/participer/",
            fields,
            "/gouvernance/formulaire/recapitulatif/",
            "structure : remplir le formulaire",
        ):
            return
        if not self._post(
            "/gouvernance/formulaire/confirmer/",
            {"csrfmiddlewaretoken": token},
            "/gouvernance/formulaire/",
            "structure : confirmer",
        ):
            return
        with _lock:
            SENT["formulaires"] += 1


class Anct(HttpUser):
    """ANCT exporting the national table of the gouvernances."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        self.client.cookies.set("sessionid", PLAN["admin"])

    @task
    def export(self):
        with self.client.get(EXPORT, name="ANCT : export national (CSV)", catch_response=True) as answer:
            if answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf"):
                with _lock:
                    SENT["exports"] += 1
                answer.success()
            else:
                answer.failure(f"HTTP {answer.status_code}")
