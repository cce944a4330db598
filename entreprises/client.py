"""The State's public « recherche d'entreprises » service (no key): one call per SIRET.

`fetch(siret)` asks `settings.SIRENE_API_URL` + `/search?q=<siret>` with a short time-out and
returns the decoded answer; what may go away by itself (time-out, network, 429 « too many
requests », 5xx) raises `SireneUnavailable`, a ConnectionError, so that the shared retry policy
(core/tasks.py) tries again later. `read_answer(data, siret)` is pure: the establishment among
the results, or None when the register does not know the SIRET.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from django.conf import settings


class SireneUnavailable(ConnectionError):
    """The service did not answer usefully this time: try again later."""


@dataclass(frozen=True)
class Fiche:
    nom: str
    adresse: str
    code_naf: str
    nature_juridique: str
    ferme: bool


def fetch(siret: str) -> dict:
    url = settings.SIRENE_API_URL.rstrip("/") + "/search"
    try:
        response = httpx.get(
            url,
            params={"q": siret, "page": 1, "per_page": 1},
            timeout=settings.SIRENE_TIMEOUT,
            headers={"Accept": "application/json", "User-Agent": "espace-fne"},
        )
    except httpx.TimeoutException as exc:
        raise SireneUnavailable("délai dépassé") from exc
    except httpx.TransportError as exc:
        raise SireneUnavailable(f"service injoignable ({exc.__class__.__name__})") from exc
    if response.status_code == 429:
        raise SireneUnavailable("trop de requêtes (429)")
    if response.status_code >= 500:
        raise SireneUnavailable(f"erreur du service ({response.status_code})")
    if response.status_code == 404:
        return {"results": []}
    if response.status_code != 200:
        raise SireneUnavailable(f"réponse inattendue ({response.status_code})")
    try:
        return response.json()
    except ValueError as exc:
        raise SireneUnavailable("réponse illisible") from exc


def read_answer(data: dict, siret: str) -> Fiche | None:
    """The establishment `siret` in a /search answer, or None."""
    for result in data.get("results") or []:
        etablissements = [*(result.get("matching_etablissements") or []), result.get("siege") or {}]
        for etablissement in etablissements:
            if etablissement.get("siret") != siret:
                continue
            return Fiche(
                nom=(result.get("nom_complet") or result.get("nom_raison_sociale") or "")[:300],
                adresse=(etablissement.get("adresse") or "")[:500],
                code_naf=(
                    etablissement.get("activite_principale") or result.get("activite_principale") or ""
                )[:10],
                nature_juridique=(result.get("nature_juridique") or "")[:4],
                ferme=etablissement.get("etat_administratif") == "F",
            )
    return None
