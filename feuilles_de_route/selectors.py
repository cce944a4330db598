"""Reads about declared feuilles de route: the coverage of a département by their périmètres,
the document written along the official model, and the history of its saves."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from comptes import perms
from core import history
from core.text import sort_key
from territoires.models import Commune, Departement, Epci

from .enums import SECTION_FIELDS, Indicateur, SectionDocument, StatutDocument, TypeFinanceur, TypePerimetre
from .libelles import article_de, nom_axe, prefecture_de
from .models import (
    Axe,
    Cofinancement,
    CopieSignee,
    CoRedacteur,
    Document,
    FeuilleDeRoute,
    FicheAction,
    IndicateurCible,
    PdfJob,
    Signataire,
)
from .pdf import PdfAxe, PdfComite, PdfDocument, PdfFiche, PdfIndicateur, PdfLigne, PdfSignataire
from .prefill import perimetre_of


@dataclass(frozen=True)
class CommuneNonCouverte:
    code: str
    nom: str
    population: int


@dataclass(frozen=True)
class EpciNonCouvert:
    code: str
    nom: str
    communes: int
    population: int


@dataclass
class Couverture:
    """How much of THE département the feuilles de route cover (only its own communes count)."""

    communes_total: int = 0
    population_totale: int = 0
    communes_couvertes: int = 0
    population_couverte: int = 0
    # A départementale (or régionale) feuille de route covers the whole département.
    couverture_departementale: bool = False
    # Coverage by the infra-départementales only (scenarios 2 and 3).
    communes_couvertes_infra: int = 0
    population_couverte_infra: int = 0
    epcis_non_couverts: list[EpciNonCouvert] = field(default_factory=list)
    communes_hors_epci_non_couvertes: list[CommuneNonCouverte] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.communes_couvertes == self.communes_total

    @property
    def taux_population(self) -> float:
        return 100 * self.population_couverte / self.population_totale if self.population_totale else 0.0

    @property
    def taux_population_infra(self) -> float:
        return (
            100 * self.population_couverte_infra / self.population_totale if self.population_totale else 0.0
        )


def couverture(*, departement: Departement, perimetres: Iterable[tuple[str, Iterable[str]]]) -> Couverture:
    """Coverage of the département by périmètres given as (TypePerimetre, EPCI codes).

    A code may name an EPCI or a territoire of the Grand Paris (an EPT, or Paris): a commune of
    the Métropole is covered by the Métropole or by its territoire. What is left is listed by the
    smallest groupement (the territoire inside the Métropole, otherwise the EPCI).

    Two queries whatever the number of feuilles de route: the département's communes, and the
    names of the EPCI left uncovered.
    """
    infra_epcis: set[str] = set()
    departementale = False
    for type_perimetre, epci_codes in perimetres:
        if type_perimetre in (TypePerimetre.DEPARTEMENTAL, TypePerimetre.REGIONAL):
            departementale = True
        elif type_perimetre == TypePerimetre.EPCI:
            infra_epcis.update(epci_codes)

    result = Couverture(couverture_departementale=departementale)
    non_couverts: dict[str, list[int]] = {}
    for code, nom, population, epci_id, ept_id in Commune.objects.filter(departement=departement).values_list(
        "code", "nom", "population", "epci_id", "ept_id"
    ):
        result.communes_total += 1
        result.population_totale += population
        if (epci_id is not None and epci_id in infra_epcis) or (ept_id is not None and ept_id in infra_epcis):
            result.communes_couvertes_infra += 1
            result.population_couverte_infra += population
        elif epci_id is None and ept_id is None:
            result.communes_hors_epci_non_couvertes.append(CommuneNonCouverte(code, nom, population))
        else:
            counts = non_couverts.setdefault(ept_id or epci_id, [0, 0])
            counts[0] += 1
            counts[1] += population
    if departementale:
        result.communes_couvertes = result.communes_total
        result.population_couverte = result.population_totale
    else:
        result.communes_couvertes = result.communes_couvertes_infra
        result.population_couverte = result.population_couverte_infra
    if non_couverts:
        noms = dict(Epci.objects.filter(code__in=non_couverts).values_list("code", "nom"))
        result.epcis_non_couverts = sorted(
            (EpciNonCouvert(code, noms.get(code, code), n, pop) for code, (n, pop) in non_couverts.items()),
            key=lambda epci: sort_key(epci.nom),
        )
    return result


def couverture_of_gouvernance(*, gouvernance, feuilles: Iterable[FeuilleDeRoute] | None = None) -> Couverture:
    """Coverage of the gouvernance's declared feuilles de route. Pass `feuilles` already loaded
    with their `epcis` prefetched to avoid any further query."""
    if feuilles is None:
        feuilles = feuilles_for_gouvernance(gouvernance=gouvernance)
    return couverture(
        departement=gouvernance.departement,
        perimetres=[(f.perimetre, [e.code for e in f.epcis.all()]) for f in feuilles],
    )


def feuilles_for_gouvernance(*, gouvernance) -> QuerySet[FeuilleDeRoute]:
    return (
        FeuilleDeRoute.objects.filter(gouvernance=gouvernance)
        .select_related(
            "porteur__region",
            "porteur__departement",
            "porteur__epci",
            "porteur__commune",
            "porteur__manifestation",
        )
        .prefetch_related("epcis")
        .order_by("id")
    )


# --- The document written along the official model of the State -----------------------------------


@dataclass(frozen=True)
class SignataireRequis:
    organisation: str
    qualite: str
    nom: str = ""
    requis: bool = True


def signataires_requis(feuille_de_route: FeuilleDeRoute) -> list[SignataireRequis]:
    """The préfet and the porteur collectivité sign every feuille de route (circulaire)."""
    departement = feuille_de_route.gouvernance.departement
    rows = [SignataireRequis(f"État — {prefecture_de(departement)}", f"Le préfet {article_de(departement)}")]
    porteur = feuille_de_route.porteur
    if porteur is not None:
        rows.append(SignataireRequis(porteur.nom, "Le représentant légal de la collectivité porteuse"))
    return rows


# Fields of a document that hold what its writers typed (the rest is status and bookkeeping).
_NOT_WRITTEN = {
    "id",
    "feuille_de_route",
    "numero",
    "statut",
    "soumise_le",
    "approuvee_le",
    "created_at",
    "updated_at",
}
# Section II starts pre-filled from the diagnostic: its text counts once someone saved it.
_PREFILLED = {"besoins_publics", "offre", "enjeux"}


@dataclass(frozen=True)
class DocumentContent:
    """What a person wrote in a feuille de route's documents, in French (« 3 axes et 7 fiches
    action, des textes rédigés »), and whether it can still be deleted (not once submitted)."""

    description: str
    modifiable: bool


def _pluriel(n: int, singulier: str, pluriel: str) -> str:
    return f"{n} {singulier if n == 1 else pluriel}"


def _et(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def documents_content(feuilles) -> dict[int, DocumentContent]:
    """{feuille de route id: what its documents hold}; feuilles whose documents are empty (or
    that have none) are absent. One query."""
    ids = [f.pk for f in feuilles]
    if not ids:
        return {}
    cible = Q(indicateurs__cible_2023__isnull=False) | Q(indicateurs__cible_2025__isnull=False)
    cible |= Q(indicateurs__cible_2027__isnull=False)
    documents = Document.objects.filter(feuille_de_route_id__in=ids).annotate(
        nb_axes=Count("axes", distinct=True),
        nb_fiches=Count("axes__fiches", distinct=True),
        nb_cibles=Count("indicateurs", filter=cible, distinct=True),
        nb_cofinancements=Count("cofinancements", distinct=True),
        nb_signataires=Count("signataires", filter=Q(signataires__requis=False), distinct=True),
        nb_copies=Count("copies_signees", distinct=True),
        diagnostic_saisi=Count(
            "sections",
            filter=Q(sections__section=SectionDocument.DIAGNOSTIC, sections__version__gt=0),
            distinct=True,
        ),
    )
    written = [f.name for f in Document._meta.concrete_fields if f.name not in _NOT_WRITTEN]
    found: dict[int, list[Document]] = {}
    for document in documents:
        found.setdefault(document.feuille_de_route_id, []).append(document)
    contents = {}
    for feuille_id, docs in found.items():
        parts = []
        figees = [d for d in docs if d.statut != StatutDocument.REDACTION or d.numero > 1]
        if figees:
            parts.append("une version soumise à la gouvernance ou approuvée")
        axes, fiches = sum(d.nb_axes for d in docs), sum(d.nb_fiches for d in docs)
        if axes:
            parts.append(
                _pluriel(axes, "axe", "axes")
                + (f" et {_pluriel(fiches, 'fiche action', 'fiches action')}" if fiches else "")
            )
        textes = any(
            getattr(d, name) not in ("", None, False)
            for d in docs
            for name in written
            if name not in _PREFILLED or d.diagnostic_saisi
        )
        if textes:
            parts.append("des textes rédigés")
        if any(d.nb_cibles for d in docs):
            parts.append("des cibles d'indicateurs")
        if any(d.nb_cofinancements for d in docs):
            parts.append("des co-financements")
        if any(d.nb_signataires for d in docs):
            parts.append("des signataires")
        if any(d.nb_copies for d in docs):
            parts.append("une copie signée")
        if parts:
            contents[feuille_id] = DocumentContent(_et(parts), modifiable=not figees)
    return contents


def feuilles_portees_par(membres) -> dict[int, str]:
    """{membre id: the name of a feuille de route it carries}, for the members given."""
    return dict(
        FeuilleDeRoute.objects.filter(porteur__in=[m.pk for m in membres]).values_list("porteur_id", "nom")
    )


def feuille_by_pk(pk: int) -> FeuilleDeRoute | None:
    """A feuille de route with what the access rules and the editor read (the views decide who sees it)."""
    return (
        FeuilleDeRoute.objects.select_related("gouvernance__departement__region", "porteur")
        .filter(pk=pk)
        .first()
    )


def feuilles_for(*, user) -> QuerySet[FeuilleDeRoute]:
    """The feuilles de route a user may open: their département's (or région's, or all for the
    national roles), plus those carried by a membre the user co-writes for."""
    qs = FeuilleDeRoute.objects.select_related("gouvernance__departement", "porteur")
    if not user.is_authenticated:
        return qs.none()
    scope = Q(gouvernance__departement__in=perms.departements_readable_by(user))
    return (
        qs.filter(scope | Q(porteur__coredacteurs__user=user))
        .distinct()
        .order_by("gouvernance__departement_id", "id")
    )


def feuille_with_versions(pk: int) -> tuple[FeuilleDeRoute | None, list[Document]]:
    """The feuille de route with its département and its documents, newest first: one query once
    its writing has started (the editor's page reads them on every visit; what else it shows is
    read when its cached content is computed)."""
    documents = list(
        Document.objects.filter(feuille_de_route_id=pk)
        .select_related("feuille_de_route__gouvernance__departement")
        .order_by("-numero")
    )
    if not documents:
        return feuille_by_pk(pk), []
    feuille = documents[0].feuille_de_route
    for document in documents[1:]:
        document.feuille_de_route = feuille
    return feuille, documents


def current_document(feuille_de_route: FeuilleDeRoute) -> Document | None:
    return feuille_de_route.documents.order_by("-numero").first()


def document_versions(feuille_de_route: FeuilleDeRoute) -> list[Document]:
    return list(feuille_de_route.documents.order_by("-numero"))


def section_versions(document: Document) -> dict[str, int]:
    return dict(document.sections.values_list("section", "version"))


def axes_of(document: Document) -> list[Axe]:
    """The document's axes with their fiches; `nom_affiche` is the name without the writer's own
    « Axe 1 – » (the page prints the number)."""
    axes = list(document.axes.prefetch_related("fiches"))
    for numero, axe in enumerate(axes, start=1):
        axe.nom_affiche = nom_axe(axe.nom, numero)
    return axes


def indicateurs_of(document: Document) -> dict[str, IndicateurCible]:
    return {i.indicateur: i for i in document.indicateurs.all()}


def cofinancements_of(document: Document) -> dict[str, Cofinancement]:
    return {c.type_financeur: c for c in document.cofinancements.all()}


def signataires_of(document: Document) -> list[SignataireRequis | Signataire]:
    """Required ones (frozen at approval, otherwise derived from the gouvernance), then the others."""
    stored = list(document.signataires.all())
    frozen = [s for s in stored if s.requis]
    required = frozen or signataires_requis(document.feuille_de_route)
    return [*required, *(s for s in stored if not s.requis)]


def latest_pdf_job(document: Document) -> PdfJob | None:
    return document.pdf_jobs.order_by("-created_at", "-id").first()


def copies_signees_of(document: Document) -> list[CopieSignee]:
    return list(document.copies_signees.select_related("deposee_par"))


def _territoire(feuille: FeuilleDeRoute, epci_noms: list[str]) -> str:
    """The cover's line: « Département de la Nièvre », « Région Bourgogne-Franche-Comté », or the
    EPCI of an infra-départementale with its département."""
    departement = feuille.gouvernance.departement
    if feuille.perimetre == TypePerimetre.EPCI and epci_noms:
        return f"{', '.join(sorted(epci_noms, key=sort_key))} ({departement.nom})"
    if feuille.perimetre == TypePerimetre.REGIONAL:
        return f"Région {departement.region.nom}"
    return f"Département {article_de(departement)}"


def pdf_document_for(document: Document) -> PdfDocument:
    """Everything the PDF prints, read in a fixed number of queries."""
    feuille = (
        FeuilleDeRoute.objects.select_related("gouvernance__departement__region", "porteur")
        .prefetch_related("epcis")
        .get(pk=document.feuille_de_route_id)
    )
    departement = feuille.gouvernance.departement
    porteur = feuille.porteur.nom if feuille.porteur_id else ""
    prefecture = prefecture_de(departement)
    perimetre = perimetre_of(feuille)
    moyens = moyens_of(document)
    cofinancements = []
    for c in sorted(
        document.cofinancements.all(), key=lambda c: TypeFinanceur.values.index(c.type_financeur)
    ):
        montant = f"{format_montant(c.montant)}\n" if c.montant is not None else ""
        cofinancements.append(PdfLigne(c.get_type_financeur_display(), f"{montant}{c.description}".strip()))
    indicateurs = indicateur_rows(document)
    return PdfDocument(
        titre=feuille.nom,
        prefecture=prefecture,
        territoire=_territoire(feuille, sorted(e.nom for e in feuille.epcis.all())),
        perimetre=perimetre.libelle,
        auteur=" et ".join(x for x in (prefecture, porteur) if x),
        porteur=porteur or "la préfecture seule",
        date=document.approuvee_le or timezone.localdate(),
        version=document.numero,
        statut=document.get_statut_display(),
        associes=", ".join(x for x in (f"la {prefecture[0].lower()}{prefecture[1:]}", porteur) if x)
        + " et les partenaires de la gouvernance",
        specificites=document.specificites,
        historique=document.historique,
        etapes=document.etapes,
        parties_prenantes=document.parties_prenantes,
        besoins_publics=document.besoins_publics,
        offre=document.offre,
        enjeux=document.enjeux,
        positionnement=document.positionnement,
        comites=[
            PdfComite(c.libelle, c.composition, c.role, c.get_frequence_display())
            for c in feuille.gouvernance.comites.all()
        ],
        lien_coordinateur=document.lien_coordinateur,
        axes=[
            PdfAxe(
                nom=axe.nom,
                description=axe.description,
                fiches=[
                    PdfFiche(
                        **{
                            n: getattr(f, n)
                            for n in (
                                "nom",
                                "objectifs",
                                "description",
                                "pilote",
                                "partenaires",
                                "cibles",
                                "indicateurs",
                            )
                        }
                    )
                    for f in axe.fiches.all()
                ],
            )
            for axe in axes_of(document)
        ],
        indicateurs=indicateurs,
        publics_cibles=document.publics_cibles,
        structures_prioritaires=document.structures_prioritaires,
        moyens=moyens,
        cofinancements=cofinancements,
        mutualisation=document.mutualisation,
        vehicule=_vehicule(feuille, document),
        signataires=[
            PdfSignataire(s.organisation, s.qualite, s.nom, requis=s.requis) for s in signataires_of(document)
        ],
    )


def _vehicule(feuille: FeuilleDeRoute, document: Document) -> str:
    contrat = ""
    if feuille.contrat_declare:
        contrat = (
            f"Contrat préexistant déclaré dans la gouvernance : {feuille.get_contrat_preexistant_display()}"
        )
        if feuille.contrat_description:
            contrat += f" ({feuille.contrat_description})"
        contrat += ".\n\n"
    return f"{contrat}{document.vehicule_contractuel}".strip()


def format_montant(montant) -> str:
    entier = f"{montant:,.0f}".replace(",", "\u202f")
    return f"{entier} €"


def moyens_of(document: Document) -> list[PdfLigne]:
    """Moyens sollicités, as labelled lines (the editor and the PDF show the same)."""
    return [
        PdfLigne(
            "Nombre de postes de conseillers numériques coordinateurs sollicités",
            "" if document.coordinateurs_postes is None else str(document.coordinateurs_postes),
        ),
        PdfLigne(
            "Structures employeuses de conseillers numériques coordinateurs",
            document.coordinateurs_structures,
        ),
        PdfLigne(
            "Besoin d'un chef de projet « Financement de l'inclusion numérique »",
            "Oui" if document.chef_de_projet_besoin else "Non",
        ),
        PdfLigne(
            "Structure(s) envisagée(s) pour porter le poste de chef de projet",
            document.chef_de_projet_structure,
        ),
        PdfLigne("Besoins en études d'ingénierie spécifiques", document.etudes_ingenierie),
        PdfLigne(
            "Besoins en diagnostic et en appui à la réalisation des feuilles de route",
            document.appui_diagnostic,
        ),
    ]


def copies_signees_for(feuille_de_route: FeuilleDeRoute) -> list[CopieSignee]:
    return list(
        CopieSignee.objects.filter(document__feuille_de_route=feuille_de_route)
        .select_related("document", "deposee_par")
        .order_by("-created_at", "-id")
    )


def coredacteurs_of(feuille_de_route: FeuilleDeRoute) -> list[CoRedacteur]:
    if feuille_de_route.porteur_id is None:
        return []
    return list(CoRedacteur.objects.filter(membre_id=feuille_de_route.porteur_id).select_related("user"))


def indicateur_rows(document: Document) -> list[PdfIndicateur]:
    """The twelve indicators in the annex's order, with the targets set so far."""
    cibles = indicateurs_of(document)
    rows = []
    for code, label in Indicateur.choices:
        row = cibles.get(code)
        rows.append(
            PdfIndicateur(label, *(getattr(row, f"cible_{y}") if row else None for y in (2023, 2025, 2027)))
        )
    return rows


# --- History of the document's saves ---------------------------------------------------------------
# Each save of a section writes the document row; axes, fiches, targets, co-financements,
# signatories and signed copies have their own rows. Rows written together (the twelve targets of
# one save) come within a moment of each other by the same person: they make one event.

_ENSEMBLE = datetime.timedelta(seconds=2)
_SECTION_OF_FIELD = {name: SectionDocument(s).label for s, names in SECTION_FIELDS.items() for name in names}
_SECTION_OF_FIELD["mutualisation"] = SectionDocument.FINANCEMENTS.label
_DOCUMENT_EXCLUDE = ("feuille_de_route", "numero", "soumise_le")


def _document_section(version) -> str:
    if version.nature == history.CREATION:
        return "Création"
    return " ; ".join(sorted({_SECTION_OF_FIELD.get(c.nom, "Statut") for c in version.changements}))


def historique_document(*, feuille_de_route: FeuilleDeRoute, limit: int = 300) -> list[history.Evenement]:
    """Every save of the document's versions (who, when, which section) with what it changed,
    field by field. Eight queries, whatever the number of saves; the view checks access."""
    documents = list(
        Document.history.filter(feuille_de_route_id=feuille_de_route.pk).select_related("history_user")
    )
    numeros = {row.id: row.numero for row in documents}
    items: list[tuple] = []  # (date, user, section, lines)
    for version in history.versions(documents, model=Document, exclude=_DOCUMENT_EXCLUDE):
        row = version.row
        lines = history.lignes(f"Version {row.numero}", version)
        items.append((row.history_date, row.history_user, _document_section(version), lines))

    doc_ids = list(numeros)
    axes = list(Axe.history.filter(document_id__in=doc_ids).select_related("history_user"))
    noms_axes = {row.id: row.nom for row in sorted(axes, key=lambda r: r.history_date)}
    tables = [
        (
            axes,
            Axe,
            ("document", "ordre"),
            lambda r: f"Axe « {r.nom} »",
            SectionDocument.PRIORITES.label,
            False,
        ),
        (
            FicheAction.history.filter(axe_id__in=list(noms_axes)).select_related("history_user"),
            FicheAction,
            ("axe", "ordre"),
            lambda r: f"Fiche action « {r.nom} » (axe « {noms_axes.get(r.axe_id, '')} »)",
            SectionDocument.PRIORITES.label,
            False,
        ),
        (
            IndicateurCible.history.filter(document_id__in=doc_ids).select_related("history_user"),
            IndicateurCible,
            ("document", "indicateur"),
            lambda r: Indicateur(r.indicateur).label,
            SectionDocument.INDICATEURS.label,
            True,
        ),
        (
            Cofinancement.history.filter(document_id__in=doc_ids).select_related("history_user"),
            Cofinancement,
            ("document", "type_financeur"),
            lambda r: TypeFinanceur(r.type_financeur).label,
            SectionDocument.FINANCEMENTS.label,
            True,
        ),
        (
            Signataire.history.filter(document_id__in=doc_ids).select_related("history_user"),
            Signataire,
            ("document",),
            lambda r: r.organisation,
            SectionDocument.SIGNATAIRES.label,
            False,
        ),
        (
            CopieSignee.history.filter(document_id__in=doc_ids).select_related("history_user"),
            CopieSignee,
            ("document", "fichier", "taille", "deposee_par"),
            lambda r: f"Copie signée « {r.nom_original} » (version {numeros.get(r.document_id, '')})",
            "Copies signées",
            False,
        ),
    ]
    for rows, model, exclude, element, section, detail in tables:
        for version in history.versions(rows, model=model, exclude=exclude):
            lines = history.lignes(element(version.row), version, detail_creation=detail)
            if lines:
                items.append((version.row.history_date, version.row.history_user, section, lines))

    events: list[history.Evenement] = []
    for date, user, section, lines in sorted(items, key=lambda item: item[0]):
        last = events[-1] if events else None
        if (
            last
            and last.section == section
            and last.auteur == history.auteur(user)
            and date - last.date <= _ENSEMBLE
        ):
            last.changements.extend(lines)
            continue
        events.append(history.Evenement(date, history.auteur(user), section, "", list(lines)))
    return list(reversed(events))[:limit]
