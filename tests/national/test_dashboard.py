import datetime

from gouvernances.models import Echeance
from national import selectors
from tests.gouvernances.conftest import move_echeances


def test_dashboard_figures_on_a_small_case(cas_simple, admin_user):
    bord = selectors.tableau_de_bord(user=admin_user)
    # Every département of the referential is loaded (communes only for a subset): the 101.
    assert bord.nb_departements == 101
    assert (bord.pressentie, bord.definitive) == (2, 1)
    assert bord.part_pressentie == 2
    manquants = [d.code for d in bord.manquants_pressentie]
    assert len(manquants) == 99
    assert "89" in manquants
    assert "58" not in manquants
    assert "21" not in manquants
    assert (bord.feuilles_declarees, bord.departements_avec_feuilles, bord.feuilles_approuvees) == (3, 2, 1)
    candidats = {ligne.libelle: (ligne.porter, ligne.participer) for ligne in bord.candidats}
    assert candidats["Conseils départementaux"] == (1, 0)
    assert candidats["Communes"] == (0, 1)
    assert candidats["Structures (associations, opérateurs, entreprises…)"] == (0, 1)
    assert candidats["EPCI"] == (0, 0)
    assert (bord.candidats_total.porter, bord.candidats_total.participer) == (1, 2)
    assert dict(bord.coporteurs) == {
        "Conseils régionaux": 0,
        "Conseils départementaux": 1,
        "EPCI": 1,
        "Communes": 0,
    }
    categories = {head.code: head for head, _ in bord.besoins.categories}
    assert categories["formaliser"].departements == 1
    assert categories["formaliser"].etp == 1.5
    assert categories["former"].personnes_a_former == 12
    regions = {r.code: r for r in bord.regions}
    assert (regions["27"].departements, regions["27"].pressentie, regions["27"].definitive) == (8, 2, 1)
    assert regions["27"].feuilles == 3


def test_progress_per_deadline_counts_on_time_and_late(cas_simple, admin_user):
    bord = selectors.tableau_de_bord(user=admin_user)
    avancement = {a.echeance.code: a for a in bord.avancement}
    assert set(avancement) == {"gouvernance-pressentie", "gouvernance-definitive"}
    # Nièvre on time (10/10), Côte-d'Or late (20/10) for the 15/10/2023 deadline.
    assert (avancement["gouvernance-pressentie"].atteints, avancement["gouvernance-pressentie"].a_temps) == (
        2,
        1,
    )
    assert (avancement["gouvernance-definitive"].atteints, avancement["gouvernance-definitive"].a_temps) == (
        1,
        1,
    )
    assert [e.code for e in bord.echeances_sans_statut] == ["premiere-information", "feuilles-de-route"]
    # The calendar is data: a moved deadline moves the figures.
    move_echeances(Echeance.objects.filter(code="gouvernance-pressentie"), datetime.date(2023, 10, 25))
    bord = selectors.tableau_de_bord(user=admin_user)
    assert {a.echeance.code: a.a_temps for a in bord.avancement}["gouvernance-pressentie"] == 2


def test_dashboard_page_shows_the_figures(cas_simple, client_for):
    response = client_for("admin").get("/national/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="pressentie">2<' in html
    assert "départements sur 101 (2 %)" in html
    assert "99 départements sans gouvernance pressentie" in html
    assert "collectivités d'outre-mer" in html
    assert 'href="/national/tableaux/gouvernances/?region=27"' in html


def test_overseas_collectivities_are_not_counted(cas_simple, admin_user):
    from territoires.enums import Zone
    from territoires.models import Departement, Region

    assert Departement.objects.filter(zone=Zone.COM).exists()
    assert Departement.objects.count() > 101
    bord = selectors.tableau_de_bord(user=admin_user)
    assert bord.nb_departements == 101
    coms = set(Departement.objects.filter(zone=Zone.COM).values_list("code", flat=True))
    assert not coms & {d.code for d in bord.manquants_pressentie}
    assert selectors.gouvernances_table(user=admin_user).count() == 101
    assert not Region.objects.filter(zone=Zone.COM, code__in=[r.code for r in bord.regions]).exists()
