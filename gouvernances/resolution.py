"""Reading a member field of the gouvernance form: what was typed or picked in the search
(static/js/territoire-search.js) becomes the key of a collectivité or of a candidate, or a French
error that names the namesakes. The forms use it; the services check the key again."""

from django.core.exceptions import ValidationError

from candidatures.models import collectivite_type_of
from candidatures.services import collectivite_in_departement
from core.text import fold
from feuilles_de_route import services as feuilles_services
from territoires.enums import TypeCollectivite
from territoires.search import collectivite_label, exact_name_matches, parse_reference, resolve_text

from .selectors import Candidat

ALL_TYPES = list(TypeCollectivite)
# The ids of the JSON scripts of local suggestions (candidates first in the member search).
MEMBRES_SUGGESTIONS = "membres-suggestions"
PORTEURS_SUGGESTIONS = "porteurs-suggestions"
PORTEE_PAR_PREFECTURE_LABEL = "Portée par la préfecture seule"


class MembreResolver:
    """Reads a member field: the label of a candidate or of a collectivité (what the search
    puts in it), a name, a code, or a key sent by an older page. Candidates are the
    collectivités and structures that submitted a form, and the neighbouring départements and
    régions an EPCI of the département touches; any collectivité of the département, its région
    or an EPCI touching it may be a member."""

    def __init__(self, *, departement, candidats: list[Candidat]):
        self.departement = departement
        self.candidats = candidats
        self._by_text = {c.label: c for c in candidats} | {c.key: c for c in candidats}

    def key(self, value: str, *, collectivites_only: bool = False) -> str:
        value = (value or "").strip()
        candidat = self._by_text.get(value)
        if candidat is not None and (candidat.type_collectivite or not collectivites_only):
            return candidat.key
        if parse_reference(value) is None and not collectivites_only:
            structures = [c for c in self.candidats if not c.type_collectivite and fold(c.nom) == fold(value)]
            if structures:
                namesakes = exact_name_matches(value, departement=self.departement.code, types=ALL_TYPES)
                if len(structures) == 1 and not namesakes:
                    return structures[0].key
                listed = " ; ".join([c.label for c in structures] + [r.long_label for r in namesakes])
                raise ValidationError(
                    f"Plusieurs membres possibles s'appellent « {value} » : {listed}. "
                    "Choisissez-en un dans la liste proposée."
                )
        collectivite = resolve_text(value, types=ALL_TYPES, departement=self.departement.code)
        key = f"{collectivite_type_of(collectivite)}:{collectivite.code}"
        if not collectivite_in_departement(collectivite, self.departement) and key not in self._by_text:
            raise ValidationError(
                f"{collectivite_label(collectivite)} ne peut pas être membre : choisissez une collectivité "
                f"du département ({self.departement.nom}), sa région, un EPCI qui le touche, ou un "
                "département voisin (ou sa région) que touche un EPCI du département."
            )
        return key

    def porteur_key(self, value: str) -> str:
        if fold(value) in {fold(PORTEE_PAR_PREFECTURE_LABEL), "prefecture", "prefecture seule"}:
            return feuilles_services.PORTEE_PAR_PREFECTURE
        return self.key(value, collectivites_only=True)

    def membre_suggestions(self) -> list[dict]:
        return [c.as_suggestion() for c in self.candidats]

    def porteur_suggestions(self) -> list[dict]:
        return [
            {"key": feuilles_services.PORTEE_PAR_PREFECTURE, "label": PORTEE_PAR_PREFECTURE_LABEL},
            *(
                {"key": c.key, "label": c.label, "detail": c.detail}
                for c in self.candidats
                if c.type_collectivite
            ),
        ]
