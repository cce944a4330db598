"""Find the current commune of a record from what open-data files give: an INSEE code that may be
a former one, or only a postal code and a name. Built once per import (two queries), then pure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from territoires.models import AncienCodeCommune, Commune

from .parsers.common import fold

# Arrondissements municipaux → their commune (INSEE codes of Paris, Marseille and Lyon).
ARRONDISSEMENTS = (
    (range(75101, 75121), "75056"),
    (range(13201, 13217), "13055"),
    (range(69381, 69390), "69123"),
)


@dataclass(frozen=True)
class Resolution:
    code: str | None
    note: str = ""  # how it was found (a warning), or why not (the rejection reason)


class CommuneResolver:
    def __init__(self):
        self.noms: dict[str, str] = {}
        self.by_postal: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, nom, codes_postaux in Commune.objects.values_list("code", "nom", "codes_postaux"):
            self.noms[code] = nom
            for code_postal in codes_postaux.split():
                self.by_postal[code_postal].append((code, fold(nom)))
        self.anciens: dict[str, tuple[str, str]] = {
            code: (commune, nom)
            for code, nom, commune in AncienCodeCommune.objects.values_list("code", "nom", "commune")
        }
        self.anciens_par_nom: dict[str, set[str]] = defaultdict(set)
        for commune, nom in self.anciens.values():
            if nom:
                self.anciens_par_nom[fold(nom)].add(commune)

    def label(self, code: str) -> str:
        return f"{code} {self.noms.get(code, '')}".strip()

    def from_code(self, code: str) -> Resolution:
        if code in self.noms:
            return Resolution(code)
        if code.isdigit():
            for codes, parent in ARRONDISSEMENTS:
                if int(code) in codes and parent in self.noms:
                    return Resolution(
                        parent, f"arrondissement {code} rattaché à la commune {self.label(parent)}"
                    )
        if code in self.anciens and self.anciens[code][0] in self.noms:
            current = self.anciens[code][0]
            return Resolution(
                current, f"ancien code {code} rattaché à la commune actuelle {self.label(current)}"
            )
        return Resolution(None, f"code INSEE {code} inconnu du référentiel")

    def resolve(self, *, code_insee: str = "", code_postal: str = "", nom: str = "") -> Resolution:
        if code_insee:
            found = self.from_code(code_insee)
            if found.code:
                return found
        by_postal = self._from_postal(code_postal, nom)
        if by_postal.code:
            prefix = f"code INSEE {code_insee} inconnu ; " if code_insee else "code INSEE absent ; "
            return Resolution(by_postal.code, prefix + by_postal.note)
        if code_insee:
            return Resolution(None, f"code INSEE {code_insee} inconnu du référentiel et {by_postal.note}")
        return Resolution(None, f"code INSEE absent et {by_postal.note}")

    def _from_postal(self, code_postal: str, nom: str) -> Resolution:
        candidates = self.by_postal.get(code_postal, [])
        if not candidates:
            return Resolution(None, f"code postal « {code_postal} » inconnu")
        folded = fold(nom)
        matches = {code for code, name in candidates if folded and name == folded}
        if not matches and folded:
            # A commune déléguée's name (« Blaudeix ») found under its current commune's postal code.
            matches = self.anciens_par_nom.get(folded, set()) & {code for code, _ in candidates}
        if len(matches) == 1:
            code = matches.pop()
            return Resolution(
                code, f"commune retrouvée par le code postal {code_postal} et le nom : {self.label(code)}"
            )
        if not folded and len(candidates) == 1:
            code = candidates[0][0]
            return Resolution(
                code, f"commune retrouvée par le code postal {code_postal} : {self.label(code)}"
            )
        return Resolution(
            None,
            f"aucune commune unique ne correspond au code postal {code_postal} et au nom « {nom} »",
        )
