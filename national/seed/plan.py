"""The data of one département, drawn in memory (a `Plan`) before the bulk inserts."""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from besoins.enums import AUTRES, CARTE_RESSOURCE_HUMAINE, ITEMS_BY_CATEGORIE, trains_people
from besoins.models import Besoin, Besoins
from candidatures.enums import EtapePorter, Intention, Persona, Statut, TypeContact
from candidatures.models import Contact, ManifestationInteret
from comptes.enums import Role
from comptes.models import User
from feuilles_de_route.enums import ContratPreexistant, StatutDocument, TypePerimetre
from feuilles_de_route.models import FeuilleDeRoute
from gouvernances.enums import Frequence, StatutGouvernance, TypeComite
from gouvernances.models import Comite, Coordination, Gouvernance, Membre
from territoires.enums import TypeCollectivite
from territoires.models import Departement, Epci

from .fakes import (
    COORDINATRICES,
    SEED_DOMAIN,
    UNUSABLE,
    aware,
    day_between,
    email_address,
    personne,
    siret,
    structure_nom,
)


@dataclass
class Plan:
    """Everything to insert, gathered before the bulk inserts."""

    users: list[User] = field(default_factory=list)
    manifestations: list[ManifestationInteret] = field(default_factory=list)
    contacts: list[tuple[int, Contact]] = field(default_factory=list)  # (index of manifestation, contact)
    gouvernances: list[Gouvernance] = field(default_factory=list)
    # Per gouvernance index: members as (Membre, index of manifestation or None)
    membres: list[tuple[int, Membre, int | None]] = field(default_factory=list)
    comites: list[tuple[int, Comite]] = field(default_factory=list)
    coordinations: list[tuple[int, Coordination]] = field(default_factory=list)
    # (gouvernance index, FeuilleDeRoute, porteur membre index in self.membres or None, epci codes, doc)
    feuilles: list[tuple[int, FeuilleDeRoute, int | None, list[str], tuple | None]] = field(
        default_factory=list
    )
    besoins: list[tuple[int, Besoins, list[Besoin]]] = field(default_factory=list)


class DepartementSeeder:
    def __init__(
        self, *, departement: Departement, epcis: list[Epci], communes: list[tuple], seed: int, plan: Plan
    ):
        self.d = departement
        self.rng = random.Random(f"{seed}-{departement.code}")  # noqa: S311 (demo data, not secrets)
        self.epcis = epcis
        self.communes = communes  # (code, nom, population)
        self.plan = plan
        self.n = 0

    # -- candidates --------------------------------------------------------------------------------

    def _user(self, label: str) -> int:
        self.n += 1
        self.plan.users.append(
            User(
                email=f"seed-{self.d.code}-{label}-{self.n}@{SEED_DOMAIN}",
                role=Role.STRUCTURE,
                password=UNUSABLE,
            )
        )
        return len(self.plan.users) - 1

    def _manifestation(self, *, persona: Persona, intention: Intention, **fields) -> int:
        rng = self.rng
        user_index = self._user(persona.value)
        confirmee = aware(day_between(rng, datetime.date(2023, 9, 20), datetime.date(2023, 12, 20)), rng)
        m = ManifestationInteret(
            persona=persona,
            intention=intention,
            statut=Statut.CONFIRMEE,
            confirmee_le=confirmee,
            etape=EtapePorter.RECAPITULATIF if intention == Intention.PORTER else EtapePorter.INFORMATIONS,
            contacts_perimetre_plus_tard=intention == Intention.PORTER,
            dispositifs_existants=rng.choice(["", "SDUN", "CRTE", "SDAASaP et CRTE"])
            if intention == Intention.PORTER
            else "",
            **fields,
        )
        m._user_index = user_index
        self.plan.manifestations.append(m)
        index = len(self.plan.manifestations) - 1
        domaine = f"{persona.value.replace('_', '-')}-{self.d.code}.example"
        types = (
            [TypeContact.STRUCTURE]
            if persona == Persona.STRUCTURE
            else [TypeContact.POLITIQUE] + ([TypeContact.TECHNIQUE] if rng.random() < 0.6 else [])
        )
        for type_ in types:
            prenom, nom = personne(rng)
            fonction = {
                TypeContact.POLITIQUE: "Élu·e en charge du numérique",
                TypeContact.TECHNIQUE: "Chargé·e de mission inclusion numérique",
                TypeContact.STRUCTURE: "Directeur·rice",
            }[type_]
            self.plan.contacts.append(
                (
                    index,
                    Contact(
                        type=type_,
                        prenom=prenom,
                        nom=nom,
                        fonction=fonction,
                        email=email_address(prenom, nom, domaine, index),
                    ),
                )
            )
        return index

    def candidates(self, *, with_region: bool) -> dict:
        rng = self.rng
        made = {"cd": None, "region": None, "epci": {}, "communes": [], "structures": []}
        if with_region and rng.random() < 0.6:
            intention = Intention.PORTER if rng.random() < 0.15 else Intention.PARTICIPER
            made["region"] = self._manifestation(
                persona=Persona.CONSEIL_REGIONAL,
                intention=intention,
                type_collectivite=TypeCollectivite.REGION,
                region_id=self.d.region_id,
            )
        if rng.random() < 0.65:
            intention = Intention.PORTER if rng.random() < 0.4 else Intention.PARTICIPER
            made["cd"] = self._manifestation(
                persona=Persona.CONSEIL_DEPARTEMENTAL,
                intention=intention,
                type_collectivite=TypeCollectivite.DEPARTEMENT,
                departement_id=self.d.code,
            )
        for epci in rng.sample(self.epcis, k=min(len(self.epcis), rng.randint(0, 4))):
            intention = Intention.PORTER if rng.random() < 0.2 else Intention.PARTICIPER
            made["epci"][epci.code] = self._manifestation(
                persona=Persona.EPCI,
                intention=intention,
                type_collectivite=TypeCollectivite.EPCI,
                epci_id=epci.code,
            )
        for commune in rng.sample(self.communes, k=min(len(self.communes), rng.randint(0, 5))):
            made["communes"].append(
                (
                    commune,
                    self._manifestation(
                        persona=Persona.COMMUNE,
                        intention=Intention.PARTICIPER,
                        type_collectivite=TypeCollectivite.COMMUNE,
                        commune_id=commune[0],
                    ),
                )
            )
        for _ in range(rng.randint(2, 12)):
            sans_siret = rng.random() < 0.1
            nom = (
                structure_nom(rng, rng.choice(self.communes)[1])
                if self.communes
                else f"Association {self.d.de_nom}"
            )
            made["structures"].append(
                self._manifestation(
                    persona=Persona.STRUCTURE,
                    intention=Intention.PARTICIPER,
                    structure_nom=nom,
                    structure_siret="" if sans_siret else siret(rng),
                    structure_sans_siret=sans_siret,
                    structure_departement_id=self.d.code,
                )
            )
        return made

    # -- gouvernance -------------------------------------------------------------------------------

    def _membre(self, g_index: int, *, manifestation: int | None, coporteur=False, **fields) -> int:
        rng = self.rng
        rp, rn = personne(rng)
        sp, sn = personne(rng)
        domaine = f"membres-{self.d.code}.example"
        n = len(self.plan.membres)
        membre = Membre(
            est_coporteur=coporteur,
            referent_prenom=rp,
            referent_nom=rn,
            referent_fonction="Élu·e référent·e",
            referent_email=email_address(rp, rn, domaine, n),
            suppleant_prenom=sp,
            suppleant_nom=sn,
            suppleant_fonction="Chargé·e de mission",
            suppleant_email=email_address(sp, sn, domaine, n + 100000),
            **fields,
        )
        self.plan.membres.append((g_index, membre, manifestation))
        return len(self.plan.membres) - 1

    def gouvernance(self, made: dict) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.1:
            return  # nothing sent yet
        statut = (
            StatutGouvernance.BROUILLON
            if r < 0.22
            else StatutGouvernance.PRESSENTIE
            if r < 0.62
            else StatutGouvernance.DEFINITIVE
        )
        pressentie_le = definitive_le = None
        if statut != StatutGouvernance.BROUILLON:
            pressentie_le = aware(
                day_between(rng, datetime.date(2023, 10, 1), datetime.date(2023, 11, 10)), rng
            )
        if statut == StatutGouvernance.DEFINITIVE:
            definitive_le = aware(
                day_between(rng, datetime.date(2023, 12, 1), datetime.date(2024, 1, 15)), rng
            )
        sp, sn = personne(rng)
        g = Gouvernance(
            departement_id=self.d.code,
            statut=statut,
            sous_prefet_prenom=sp,
            sous_prefet_nom=sn,
            sous_prefet_email=email_address(sp, sn, SEED_DOMAIN, 0),
            note_contexte=f"<p>Contexte du département {self.d.nom} : concertation menée avec les EPCI.</p>",
            pressentie_remontee_le=pressentie_le,
            definitive_remontee_le=definitive_le,
        )
        self.plan.gouvernances.append(g)
        gi = len(self.plan.gouvernances) - 1

        # Members: the Conseil départemental (often co-porteur), the région, EPCI, communes, structures.
        cd_coporteur = rng.random() < 0.7
        cd = self._membre(
            gi,
            manifestation=None,
            coporteur=cd_coporteur,
            type_collectivite=TypeCollectivite.DEPARTEMENT,
            departement_id=self.d.code,
        )
        if made["region"] is not None or rng.random() < 0.3:
            self._membre(
                gi,
                manifestation=None,
                coporteur=rng.random() < 0.1,
                type_collectivite=TypeCollectivite.REGION,
                region_id=self.d.region_id,
            )
        membre_epci = {}
        epci_codes = list(made["epci"]) + [
            e.code for e in rng.sample(self.epcis, k=min(len(self.epcis), rng.randint(1, 4)))
        ]
        for code in dict.fromkeys(epci_codes):
            membre_epci[code] = self._membre(
                gi,
                manifestation=None,
                coporteur=rng.random() < 0.25,
                type_collectivite=TypeCollectivite.EPCI,
                epci_id=code,
            )
        for commune, _ in made["communes"]:
            self._membre(
                gi, manifestation=None, type_collectivite=TypeCollectivite.COMMUNE, commune_id=commune[0]
            )
        for m_index in made["structures"][: rng.randint(0, len(made["structures"]))]:
            manifestation = self.plan.manifestations[m_index]
            self._membre(
                gi,
                manifestation=m_index,
                structure_nom=manifestation.structure_nom,
                structure_siret=manifestation.structure_siret,
            )
        g.pas_de_coporteur = not any(m.est_coporteur for gj, m, _ in self.plan.membres[cd:] if gj == gi)

        for _ in range(rng.randint(0, 3)):
            type_ = rng.choice(list(TypeComite))
            self.plan.comites.append(
                (
                    gi,
                    Comite(
                        type=type_,
                        type_precision="Comité des financeurs" if type_ == TypeComite.AUTRE else "",
                        frequence=rng.choice(list(Frequence)),
                        composition="Préfecture, co-porteurs, EPCI et structures de médiation numérique",
                        role="Suivre la mise en œuvre de la feuille de route",
                    ),
                )
            )
        for _ in range(rng.randint(0, 2)):
            self.plan.coordinations.append(
                (
                    gi,
                    Coordination(
                        structure_nom=rng.choice(COORDINATRICES).format(de_departement=self.d.de_nom),
                        structure_siret=siret(rng),
                        nombre_postes=rng.randint(1, 3),
                    ),
                )
            )
        self._feuilles(gi, statut=statut, cd=cd, membre_epci=membre_epci)
        if statut == StatutGouvernance.DEFINITIVE or (
            statut == StatutGouvernance.PRESSENTIE and rng.random() < 0.4
        ):
            self._besoins(gi)

    def _feuilles(self, gi: int, *, statut, cd: int, membre_epci: dict[str, int]) -> None:
        rng = self.rng
        scenario = rng.random()
        epcis = [e.code for e in self.epcis]
        rng.shuffle(epcis)
        feuilles = []
        if scenario < 0.45 or not epcis:
            feuilles.append(("Feuille de route départementale", TypePerimetre.DEPARTEMENTAL, cd, []))
        elif scenario < 0.8:
            feuilles.append(("Feuille de route départementale", TypePerimetre.DEPARTEMENTAL, cd, []))
            # One or two infra-départementales on disjoint EPCI: no commune is covered twice.
            k = rng.randint(1, min(2, len(epcis)))
            for i in range(k):
                group = epcis[i::k][: rng.randint(1, 3)]
                porteur = next((membre_epci[c] for c in group if c in membre_epci), None)
                feuilles.append(
                    (f"Feuille de route du territoire {i + 1}", TypePerimetre.EPCI, porteur, group)
                )
        else:
            # Infra-départementales covering every EPCI of the département, in 2 to 4 groups.
            k = max(1, min(len(epcis), rng.randint(2, 4)))
            for i in range(k):
                group = epcis[i::k]
                porteur = next((membre_epci[c] for c in group if c in membre_epci), None)
                feuilles.append((f"Feuille de route du bassin {i + 1}", TypePerimetre.EPCI, porteur, group))
        for nom, perimetre, porteur, group in feuilles:
            contrat = rng.choice(list(ContratPreexistant))
            document = None
            if statut == StatutGouvernance.DEFINITIVE:
                r = rng.random()
                if r < 0.35:
                    document = (
                        StatutDocument.APPROUVEE,
                        day_between(rng, datetime.date(2024, 3, 1), datetime.date(2024, 7, 15)),
                    )
                elif r < 0.55:
                    document = (StatutDocument.SOUMISE, None)
                elif r < 0.85:
                    document = (StatutDocument.REDACTION, None)
            self.plan.feuilles.append(
                (
                    gi,
                    FeuilleDeRoute(
                        nom=f"{nom} — {self.d.nom}",
                        perimetre=perimetre,
                        contrat_preexistant=contrat,
                        contrat_description="Pacte territorial"
                        if contrat == ContratPreexistant.AUTRE
                        else "",
                    ),
                    porteur if rng.random() < 0.85 else None,
                    group,
                    document,
                )
            )

    def _besoins(self, gi: int) -> None:
        rng = self.rng
        items = [item for items in ITEMS_BY_CATEGORIE.values() for item in items]
        lignes = []
        cartes = []
        for item in rng.sample(items, k=rng.randint(2, 7)):
            categorie = next(c for c, its in ITEMS_BY_CATEGORIE.items() if item in its)
            precision = "Besoin spécifique du territoire" if item in AUTRES else ""
            if trains_people(item):
                lignes.append(
                    Besoin(
                        categorie=categorie,
                        item=item,
                        personnes_a_former=rng.randint(5, 200),
                        precision=precision,
                    )
                )
                cartes.append(item.value)
                continue
            rh = rng.random() < 0.5
            prestation = not rh or rng.random() < 0.4
            lignes.append(
                Besoin(
                    categorie=categorie,
                    item=item,
                    ressource_humaine=rh,
                    etp=Decimal(rng.choice(["0.5", "1", "1.5", "2"])) if rh else None,
                    prestation=prestation,
                    precision=precision,
                )
            )
            if prestation:
                cartes.append(item.value)
        if any(b.ressource_humaine for b in lignes):
            cartes.append(CARTE_RESSOURCE_HUMAINE)
        rng.shuffle(cartes)
        self.plan.besoins.append(
            (
                gi,
                Besoins(
                    chef_de_projet=rng.random() < 0.4,
                    etudes=["Étude de préfiguration d'un fonds local"] if rng.random() < 0.2 else [],
                    priorites=cartes,
                    priorisee_le=timezone.now(),
                    version=1,
                ),
                lignes,
            )
        )
