"""Indicators on a small hand-computed case (see factories.petit_territoire)."""

import pytest

from diagnostic import selectors
from diagnostic.enums import TrancheIfn

from .factories import LieuMediationFactory, petit_territoire

pytestmark = pytest.mark.django_db


def test_synthese_diagnostic_hand_computed(django_assert_num_queries):
    departement, _ = petit_territoire()
    with django_assert_num_queries(7):
        s = selectors.synthese_diagnostic(departement)
    assert (s.territoire, s.population, s.communes, s.lieux) == ("Département d'essai", 5000, 4, 3)
    assert s.lieux_pour_10000_habitants == 6.0  # 3 lieux × 10 000 / 5 000 hab.
    assert [(t.code, t.lieux) for t in s.lieux_par_typologie] == [("BIB", 1), ("EPN", 1), ("RFS", 1)]
    assert s.lieux_par_typologie[2].libelle == "Espace France services"
    assert (s.lieux_france_services, s.lieux_conseillers_numeriques, s.lieux_aidants_connect) == (1, 1, 0)
    assert (s.lieux_en_zrr, s.lieux_en_qpv) == (1, 0)
    # Gamma and Delta have no lieu.
    assert (s.communes_sans_lieu, s.population_sans_lieu, s.part_population_sans_lieu) == (2, 1000, 20.0)
    # IFN ≥ 7: Alpha and Gamma; without lieu: Gamma only.
    assert (s.communes_fragiles, s.population_fragile) == (2, 1500)
    assert (s.communes_fragiles_sans_lieu, s.population_fragile_sans_lieu) == (1, 500)
    assert s.communes_fragiles_sans_lieu_noms == ["Gamma"]
    # (8 × 1 000 + 4 × 3 000 + 9 × 500) / 4 500 = 5.444…; Delta has no index and does not count.
    assert s.communes_avec_ifn == 3
    assert s.ifn_moyen == 5.44
    assert [(t.tranche, t.communes, t.population) for t in s.repartition_ifn] == [
        (TrancheIfn.TRES_FAIBLE, 0, 0),
        (TrancheIfn.FAIBLE, 1, 3000),
        (TrancheIfn.MOYENNE, 0, 0),
        (TrancheIfn.FORTE, 1, 1000),
        (TrancheIfn.TRES_FORTE, 1, 500),
    ]
    # Only the active Aidants Connect structure counts.
    assert (s.aidants_connect_structures, s.aidants_connect_aidants) == (1, 3)
    assert (s.aidants_connect_usagers, s.aidants_connect_demarches) == (10, 20)
    assert (s.accompagnements, s.usagers_conseillers_numeriques) == (100, 80)
    assert [d.date_donnees for d in s.sources] == ["non importée"] * 5


def test_synthese_on_a_set_of_epci_counts_only_their_communes_in_the_departement(
    django_assert_max_num_queries,
):
    from territoires.models import Commune, Departement, Epci

    departement, _ = petit_territoire()
    epci = Epci.objects.get(code="999999999")
    # The EPCI straddles a second département: its commune there stays out of the périmètre.
    voisin = Departement.objects.create(
        code="98", nom="Voisin", nom_recherche="voisin", region=departement.region
    )
    epci.departements.add(voisin)
    LieuMediationFactory(
        commune=Commune.objects.create(
            code="98001",
            nom="Epsilon",
            nom_recherche="epsilon",
            departement=voisin,
            epci=epci,
            population=9000,
        )
    )
    with django_assert_max_num_queries(7):
        s = selectors.synthese_territoire(
            territoire="la CC d'essai", departements=["99"], epcis=["999999999"]
        )
    # Alpha, Beta and Gamma (Delta is outside any EPCI, Epsilon outside the département).
    assert (s.territoire, s.population, s.communes, s.lieux) == ("la CC d'essai", 4500, 3, 3)
    assert (s.communes_sans_lieu, s.communes_fragiles_sans_lieu_noms) == (1, ["Gamma"])
    # The conseillers numériques' activity is published per département: not below it.
    assert s.accompagnements is None


def test_synthese_on_several_departements_sums_them():
    from territoires.models import Departement

    petit_territoire()
    s = selectors.synthese_territoire(territoire="la région", departements=["99", "58"])
    assert s.communes == 4 + Departement.objects.get(code="58").communes.count()
    assert s.accompagnements == 100


def test_synthese_without_imported_data():
    from territoires.models import Departement

    s = selectors.synthese_diagnostic(Departement.objects.get(code="58"))
    assert s.communes == 309
    assert s.lieux == 0
    assert s.ifn_moyen is None
    assert s.accompagnements is None
    assert s.communes_sans_lieu == 309


def test_communes_and_epci_tables():
    departement, _ = petit_territoire()
    rows = {c.nom: c for c in selectors.communes_indicateurs(departement)}
    alpha, delta = rows["Alpha"], rows["Delta"]
    assert (alpha.nb_lieux, alpha.lieux_pour_10000, alpha.ifn, alpha.nb_aidants) == (2, 20.0, 8.0, 3)
    assert (delta.nb_lieux, delta.ifn, delta.nb_aidants) == (0, None, 0)
    assert rows["Beta"].nb_aidants == 0  # its structure is inactive
    (epci,) = selectors.epcis_indicateurs(departement)
    assert (epci.nb_lieux, epci.ifn) == (3, 6.5)


def test_departements_table(django_assert_num_queries):
    petit_territoire()
    with django_assert_num_queries(5):
        rows = {d.code: d for d in selectors.departements_indicateurs()}
    essai = rows["99"]
    assert (essai.population, essai.communes, essai.lieux, essai.lieux_pour_10000) == (5000, 4, 3, 6.0)
    assert (essai.communes_sans_lieu, essai.ifn_moyen, essai.aidants, essai.accompagnements) == (
        2,
        5.44,
        3,
        100,
    )
    assert rows["58"].lieux == 0
    assert rows["58"].accompagnements is None


def test_graphiques_are_scaled_to_the_scale_end():
    departement, _ = petit_territoire()
    charts = selectors.graphiques(selectors.synthese_diagnostic(departement))
    labels = charts["labels"]
    assert [(c.libelle, c.valeurs, c.textes) for c in labels.categories] == [
        ("France services", (1,), ("1",)),
        ("Conseillers numériques", (1,), ("1",)),
        ("Aidants Connect", (0,), ("0",)),
    ]
    # The longest bar reaches the scale's last tick, a zero draws no bar.
    widths = [c.barres[0].largeur for c in labels.categories]
    assert widths[0] == widths[1] == labels.grille[-1][0]
    assert widths[2] == 0
    assert [c.valeurs[0] for c in charts["ifn"].categories] == [0, 1, 0, 1, 1]
