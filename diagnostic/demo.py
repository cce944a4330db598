"""Demo data of the diagnostic: the project's own small files for the Nièvre (values are fictional).

Called by `manage.py seed_demo`; idempotent because the import services are.
"""

from pathlib import Path

from . import services
from .enums import Echelon

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"

IMPORTS = [
    ("lieux-mediation-numerique_nievre_demo_v1.0.2.csv", services.lieux_import, {}),
    ("ifn_communes_nievre_2021_demo.csv", services.ifn_import, {"echelon": Echelon.COMMUNE}),
    ("ifn_epci_nievre_2021_demo.csv", services.ifn_import, {"echelon": Echelon.EPCI}),
    ("aidants-connect_structures_nievre_demo_2024-02-22.csv", services.aidants_connect_import, {}),
    ("conseillers-numeriques_cra_nievre_demo_2024-02-22.json", services.conseillers_numeriques_import, {}),
]


def seed(*, stdout) -> None:
    for name, service, options in IMPORTS:
        run = service(text=(DEMO_DATA / name).read_text(encoding="utf-8"), fichier=name, **options)
        stdout.write(
            f"Diagnostic — {run.get_source_display()} : {run.crees} créés, {run.mis_a_jour} mis à jour, "
            f"{run.inchanges} inchangés, {run.rejetes} rejetés."
        )
