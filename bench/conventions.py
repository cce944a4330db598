"""Benchmark (not a test): time of a convention de subvention's rendering, DOCX and PDF.

    .venv/bin/python bench/conventions.py [runs] [actions]

Builds a convention in memory (subventions/conventions.py, no database) with `actions` financed
actions (3 by default) and renders it `runs` times (10 by default) with the functions the Celery
job calls; prints the median time of the DOCX (shipped template) and of the PDF (WeasyPrint).
"""

import dataclasses
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")

import django

django.setup()

from subventions.conventions import ActionFinancee, ConventionData, render_docx, render_pdf, sample  # noqa: E402


def convention(actions: int) -> ConventionData:
    """The convention an administrator's template is tried on, with `actions` financed actions."""
    return dataclasses.replace(
        sample(),
        actions=[
            ActionFinancee(
                f"Feuille de route départementale {i}",
                f"Action financée n° {i}",
                "Fonds d'ingénierie",
                [
                    "Faire un diagnostic territorial",
                    "Animer et mettre en œuvre la gouvernance et la feuille de route",
                ],
                Decimal("30000"),
                Decimal("12000"),
                Decimal("8000.50"),
            )
            for i in range(1, actions + 1)
        ],
    )


def median_seconds(render, data, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    actions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    data = convention(actions)
    render_pdf(data)  # fonts loaded once, as in a running worker
    print(f"Convention de {actions} action(s), {runs} rendus :")
    print(f"  DOCX (docxtpl, modèle livré) : médiane {median_seconds(render_docx, data, runs) * 1000:.0f} ms")
    print(f"  PDF (WeasyPrint)             : médiane {median_seconds(render_pdf, data, runs) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
