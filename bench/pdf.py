"""Benchmark (not a test): time of the feuille de route PDF rendering.

    .venv/bin/python bench/pdf.py [runs]

Renders the Nièvre demo content (feuilles_de_route/demo.py: 3 axes, 7 fiches) and a large one
(5 axes × 5 fiches, long texts) `runs` times each (10 by default) with the same function the
Celery task calls (`render_pdf`: template, then WeasyPrint), and prints the median time per PDF
and the page count, with the median CPU time of the process (what an idle machine would show
when others compete for the cores). Beside it, the engine alone: WeasyPrint rendering the same
HTML with the same stylesheet and options, called directly, so that the ratio shows what the
project adds to it. The engine alone runs with Python's garbage collector on, as a direct caller
leaves it; the project's render pauses it (feuilles_de_route/pdf.py), so the ratio may be below 1.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")

import django

django.setup()

from feuilles_de_route import demo  # noqa: E402
from feuilles_de_route import pdf as pdf_module  # noqa: E402
from feuilles_de_route.enums import Indicateur, TypeFinanceur  # noqa: E402
from feuilles_de_route.pdf import (  # noqa: E402
    PdfAxe,
    PdfComite,
    PdfDocument,
    PdfFiche,
    PdfIndicateur,
    PdfLigne,
    PdfSignataire,
    render_html,
    render_pdf,
)


def document(axes) -> PdfDocument:
    t = demo.TEXTES
    return PdfDocument(
        titre="Feuille de route départementale de la Nièvre",
        prefecture="Préfecture de la Nièvre",
        territoire="Département de la Nièvre",
        porteur="Conseil départemental de la Nièvre",
        perimetre="le département de la Nièvre",
        date=demo.DEMO_DATE,
        statut="Approuvée",
        **{k: t[k] for k in ("specificites", "historique", "parties_prenantes", "besoins_publics")},
        etapes=demo.etapes(demo.DEMO_DATE),
        offre=t["offre"],
        enjeux=t["enjeux"],
        positionnement=t["positionnement"],
        lien_coordinateur=t["lien_coordinateur"],
        comites=[
            PdfComite(
                "Comité stratégique", "Préfet, président du Département, EPCI", "Arbitrer", "Semestrielle"
            ),
            PdfComite(
                "Comité technique", "Services, coordinateur, associations", "Préparer", "Trimestrielle"
            ),
        ],
        axes=[
            PdfAxe(
                nom=nom,
                description=description,
                fiches=[
                    PdfFiche(
                        nom=f_nom,
                        objectifs=f_desc,
                        description=f_desc,
                        pilote=pilote,
                        partenaires="CAF",
                        cibles="Habitants",
                        indicateurs="Personnes accompagnées",
                    )
                    for f_nom, f_desc, pilote in fiches
                ],
            )
            for nom, description, fiches in axes
        ],
        indicateurs=[PdfIndicateur(Indicateur(code).label, *values) for code, values in demo.CIBLES.items()],
        publics_cibles=t["publics_cibles"],
        structures_prioritaires=t["structures_prioritaires"],
        moyens=[PdfLigne("Nombre de postes de conseillers numériques coordinateurs sollicités", "2")],
        cofinancements=[
            PdfLigne(TypeFinanceur(c).label, f"{m} €\n{d}") for c, (m, d) in demo.COFINANCEMENTS.items()
        ],
        mutualisation=t["mutualisation"],
        vehicule=t["vehicule_contractuel"],
        signataires=[
            PdfSignataire("État — Préfecture de la Nièvre", "Le préfet de la Nièvre", requis=True),
            PdfSignataire("Département de la Nièvre", "Le président du Conseil départemental", requis=True),
            PdfSignataire("CAF de la Nièvre", "La directrice"),
        ],
    )


def _median(fn, runs: int) -> tuple[list[float], list[float], object]:
    """Wall-clock and CPU times of `runs` calls (after a warm-up call), and the last result.
    Rendering is single-threaded: on a busy machine the CPU time is what an idle one would show."""
    fn()  # warm-up: fonts and templates loaded once per worker process
    times, cpu_times, result = [], [], None
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
    return times, cpu_times, result


def _weasyprint_alone():
    """WeasyPrint on its own, set up once as a careful direct user would: the stylesheet parsed
    and the fonts loaded once, the same options as the project's renders."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    base_url = pdf_module._font_base_url()
    fetcher = pdf_module._fonts_only_fetcher(base_url)
    fonts = FontConfiguration()
    css = CSS(filename=str(pdf_module.CSS_FILE), base_url=base_url, url_fetcher=fetcher, font_config=fonts)

    def render(html: str) -> int:
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            stylesheets=[css], font_config=fonts, pdf_variant=pdf_module.PDF_VARIANT
        )
        document.write_pdf(pdf_variant=pdf_module.PDF_VARIANT)
        return len(document.pages)

    return render


def bench(label: str, doc: PdfDocument, runs: int, engine) -> None:
    times, cpu, rendered = _median(lambda: render_pdf(doc), runs)
    html = render_html(doc)
    engine_times, engine_cpu, _ = _median(lambda: engine(html), runs)
    median, engine_median = statistics.median(times), statistics.median(engine_times)
    cpu_median, engine_cpu_median = statistics.median(cpu), statistics.median(engine_cpu)
    print(
        f"{label:<28} médiane {median:.2f} s/PDF (min {min(times):.2f}, max {max(times):.2f}, "
        f"CPU {cpu_median:.2f} s), {rendered.pages} pages ; WeasyPrint seul {engine_median:.2f} s "
        f"(CPU {engine_cpu_median:.2f} s) ; rapport {median / engine_median:.2f}× "
        f"(CPU {cpu_median / engine_cpu_median:.2f}×)"
    )


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    engine = _weasyprint_alone()
    bench("Nièvre (3 axes, 7 fiches)", document(demo.AXES), runs, engine)
    bench("Grande (5 axes × 5 fiches)", document(demo.large_axes(5, 5)), runs, engine)
