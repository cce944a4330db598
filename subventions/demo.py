"""Demo data of the subventions (seed_demo runs it after the feuilles de route; seed_national calls
`bulk_dotations`). Idempotent: dotations are created once; the Nièvre's demandes are created once,
one in each status, through the services (so that their history says who did what)."""

from decimal import ROUND_DOWN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from besoins.enums import Item
from comptes.models import User
from core.cache import invalidate
from feuilles_de_route.enums import TypePerimetre
from feuilles_de_route.models import FicheAction
from gouvernances.models import Gouvernance
from territoires.models import Departement

from . import services
from .enums import Fonds, Instruction
from .models import Demande, Dotation
from .selectors import CAMPAGNE_ZONES
from .signals import SUBVENTIONS

ANNEE = 2024
# The 2024 ingénierie fund (5 M€), shared by a formula on low qualifications, unemployment,
# poverty, population and the share of people over 65. The referential only knows the
# population: a floor for every département, the rest in proportion to the population.
FONDS_INGENIERIE = Decimal("5000000")
PLANCHER = Decimal("25000")
# The formation fund: a fixed amount for one member per gouvernance.
MONTANT_FORMATION = Decimal("20000")
SOURCE = "Répartition de démonstration (données fictives)"

# A one-page PDF, enough for a « budget prévisionnel » attached to the demo demandes.
BUDGET_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def repartition(
    populations: dict[str, int], *, total: Decimal = FONDS_INGENIERIE, plancher: Decimal = PLANCHER
) -> dict[str, Decimal]:
    """{code: amount}, summing exactly to `total` (the largest département takes the rounding)."""
    if not populations:
        return {}
    plancher = min(plancher, (total / len(populations)).quantize(Decimal("0.01"), rounding=ROUND_DOWN))
    reste = total - plancher * len(populations)
    somme = sum(populations.values()) or 1
    amounts = {
        code: plancher + (reste * population / somme).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        for code, population in populations.items()
    }
    largest = max(populations, key=lambda code: (populations[code], code))
    amounts[largest] += total - sum(amounts.values())
    return amounts


def _populations() -> dict[str, int]:
    from territoires.models import Commune

    rows = (
        Commune.objects.filter(departement__zone__in=CAMPAGNE_ZONES)
        .values("departement")
        .annotate(population=Sum("population"))
        .order_by()
    )
    populations = {row["departement"]: row["population"] or 0 for row in rows}
    for code in Departement.objects.filter(zone__in=CAMPAGNE_ZONES).values_list("code", flat=True):
        populations.setdefault(code, 0)
    return populations


def bulk_dotations(*, annee: int = ANNEE) -> int:
    """The two funds' dotations for every département of the campaign (existing ones are kept).
    Returns the number created."""
    amounts = repartition(_populations())
    existing = set(Dotation.objects.filter(annee=annee).values_list("departement_id", "fonds"))
    rows = []
    for code, amount in amounts.items():
        for fonds, montant in ((Fonds.INGENIERIE, amount), (Fonds.FORMATION, MONTANT_FORMATION)):
            if (code, fonds) not in existing:
                rows.append(
                    Dotation(departement_id=code, fonds=fonds, annee=annee, montant=montant, source=SOURCE)
                )
    Dotation.objects.bulk_create(rows, batch_size=500)
    invalidate(SUBVENTIONS)  # bulk_create sends no post_save
    return len(rows)


NOTE = (
    "<p>La Nièvre demande le fonds d'ingénierie pour les actions de sa feuille de route départementale "
    "qui vont vers les publics éloignés du numérique : <strong>médiation itinérante</strong> dans le Morvan "
    "et le Haut-Nivernais, et formation des aidants de proximité. Les communautés de communes et le "
    "Département co-financent chaque action.</p>"
)


def _budget() -> SimpleUploadedFile:
    return SimpleUploadedFile("budget-previsionnel.pdf", BUDGET_PDF, content_type="application/pdf")


def _demande(gouvernance, prefecture, fiche, montants, beneficiaires, besoins):
    budget, subvention, rh = (Decimal(v) for v in montants)
    return services.demande_save(
        gouvernance=gouvernance,
        demande=None,
        version=0,
        data=services.DemandeInput(
            feuille_id=fiche.axe.document.feuille_de_route_id,
            fiche_id=fiche.pk,
            besoins=besoins,
            contexte=f"{fiche.nom} : une action de la feuille de route départementale, portée avec les EPCI.",
            description=f"<p>{fiche.objectifs or fiche.nom}</p>",
            budget_global=budget,
            subvention_demandee=subvention,
            montant_rh=rh,
            montant_prestations=subvention - rh,
            beneficiaires=[(m.pk, Decimal(v)) for m, v in beneficiaires],
        ),
        budget_fichier=_budget(),
        user=prefecture,
    )


def seed(*, stdout) -> None:
    created = bulk_dotations()
    stdout.write(
        f"Dotations {ANNEE} : {created} créée(s) (fonds d'ingénierie de 5 M€ et fonds de formation)."
    )
    gouvernance = Gouvernance.objects.filter(departement_id="58").select_related("departement").first()
    if gouvernance is None:
        stdout.write("Subventions de démonstration : aucune gouvernance dans la Nièvre.")
        return
    if Demande.objects.filter(gouvernance=gouvernance).exists():
        stdout.write("Subventions de démonstration de la Nièvre : déjà présentes.")
        return
    fiches = list(
        FicheAction.objects.filter(
            axe__document__feuille_de_route__gouvernance=gouvernance,
            axe__document__feuille_de_route__perimetre=TypePerimetre.DEPARTEMENTAL,
        )
        .select_related("axe__document")
        .order_by("axe__ordre", "ordre")
    )
    membres = list(gouvernance.membres.order_by("-est_coporteur", "id"))
    if len(fiches) < 5 or len(membres) < 3:
        stdout.write(
            "Subventions de démonstration : la feuille de route départementale n'a pas assez d'actions."
        )
        return
    prefecture = User.objects.get(email="prefecture-58@nievre.demo.example")
    admin = User.objects.get(email="admin@anct.demo.example")
    services.note_save(gouvernance=gouvernance, version=0, texte=NOTE, user=prefecture)
    a, b, c = membres[0], membres[1], membres[2]
    acceptee = _demande(
        gouvernance,
        prefecture,
        fiches[0],
        (30000, 12000, 8000),
        [(a, 8000), (b, 4000)],
        [Item.ANIMER, Item.DIAGNOSTIC],
    )
    validee = _demande(gouvernance, prefecture, fiches[1], (15000, 6000, 0), [(c, 6000)], [Item.SENSIBILISER])
    modification = _demande(
        gouvernance, prefecture, fiches[2], (10000, 4000, 4000), [(a, 4000)], [Item.FORMER_AGENTS]
    )
    _demande(gouvernance, prefecture, fiches[3], (9000, 3000, 2000), [(b, 3000)], [Item.RECONDITIONNEMENT])
    rejetee = _demande(gouvernance, prefecture, fiches[4], (20000, 5000, 0), [(c, 5000)], [Item.DONNEES])
    formation = services.formation_save(
        gouvernance=gouvernance, demande=None, version=0, membre_id=a.pk, user=prefecture
    )
    for demande in (acceptee, validee, modification, rejetee, formation):
        demande.refresh_from_db()
        services.demande_validate(demande=demande, version=demande.version, user=prefecture)
    services.demande_instruct(demande=acceptee, decision=Instruction.ACCEPTATION, commentaire="", user=admin)
    services.demande_instruct(demande=formation, decision=Instruction.ACCEPTATION, commentaire="", user=admin)
    services.demande_instruct(
        demande=modification,
        decision=Instruction.MODIFICATION,
        commentaire="Précisez le nombre d'agents formés et joignez le devis de l'organisme de formation.",
        user=admin,
    )
    services.demande_instruct(
        demande=rejetee,
        decision=Instruction.REJET,
        commentaire="La collecte de données relève du programme national : elle n'est pas financée par ce fonds.",
        user=admin,
    )
    stdout.write(
        "Subventions de démonstration de la Nièvre : note de contexte et 6 demandes (acceptée, à instruire, "
        "modification demandée, brouillon, rejetée, fonds de formation accepté)."
    )
