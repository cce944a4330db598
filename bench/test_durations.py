"""Benchmark (not a test): where the test suite's time goes, by kind of test.

    scripts/test --durations=0 | tee /tmp/durations.log
    .venv/bin/python bench/test_durations.py /tmp/durations.log [files]

Reads pytest's `--durations=0` report (every setup, call and teardown with its seconds) and
prints, per kind of test, the time summed over the xdist workers: a CPU-relative figure that
the wall time of a run on a shared machine does not give. With `files`, also the slowest files.
The database creation of each worker (migrations, the territory subset) shows in the setup of
the first database test it runs.
"""

import collections
import re
import sys

# First match wins: the order goes from the most specific to the rest.
GROUPS = (
    ("audit axe de la matrice (e2e)", ("tests/e2e/test_a11y_matrix.py",)),
    ("parcours navigateur (e2e)", ("tests/e2e/",)),
    (
        "worker Celery, gunicorn, S3 réels",
        ("tests/reliability/test_worker.py", "tests/integration/", "tests/core/test_object_store.py"),
    ),
    ("fiabilité (autres)", ("tests/reliability/",)),
    (
        "rendus PDF et conventions",
        ("tests/feuilles_de_route/test_pdf.py", "tests/subventions/test_conventions.py"),
    ),
    (
        "seed_demo",
        (
            "tests/besoins/test_demo.py",
            "tests/candidatures/test_demo.py",
            "tests/diagnostic/test_demo.py",
            "tests/gouvernances/test_demo.py",
            "tests/subventions/test_demo.py",
        ),
    ),
    ("fuzzing hypothesis", ("tests/test_fuzz_public_forms.py",)),
    (
        "pages de la matrice (Nièvre)",
        (
            "tests/test_access_matrix.py",
            "tests/test_csp_pages.py",
            "tests/test_page_titles.py",
            "tests/test_page_query_counts.py",
            "tests/test_methods.py",
        ),
    ),
    ("importeur des territoires", ("tests/territoires/test_importer.py",)),
    ("autres", ("tests/",)),
)
LINE = re.compile(r"^(?P<seconds>[\d.]+)s (?P<when>setup|call|teardown)\s+(?P<nodeid>\S+)")
PHASES = ("setup", "call", "teardown")


def group_of(path: str) -> str:
    return next(name for name, prefixes in GROUPS if path.startswith(prefixes))


def main(log: str, files: int = 0) -> None:
    by_group: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    by_file: collections.Counter = collections.Counter()
    tests: dict[str, set] = collections.defaultdict(set)
    with open(log, encoding="utf-8", errors="replace") as report:
        for line in report:
            match = LINE.match(line)
            if not match:
                continue
            path = match["nodeid"].split("::")[0]
            seconds = float(match["seconds"])
            group = group_of(path)
            by_group[group][match["when"]] += seconds
            by_file[path] += seconds
            tests[group].add(match["nodeid"])
    print(f"{'groupe':34} {'tests':>6} {'setup':>8} {'call':>8} {'teardown':>8} {'total s':>8}")
    total = 0.0
    for name in dict.fromkeys(name for name, _ in GROUPS):
        phases = by_group[name]
        subtotal = sum(phases.values())
        total += subtotal
        print(
            f"{name:34} {len(tests[name]):6} "
            + " ".join(f"{phases[when]:8.1f}" for when in PHASES)
            + f" {subtotal:8.1f}"
        )
    print(f"{'total (somme sur les workers)':34} {sum(map(len, tests.values())):6} {'':26} {total:8.1f}")
    for path, seconds in by_file.most_common(files):
        print(f"{seconds:8.1f} s  {path}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0)
