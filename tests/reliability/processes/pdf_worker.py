"""A real Celery worker for the worker tests (tests/reliability/test_worker.py), started as its
own process on the CI's Redis and the test database:

    python -m tests.reliability.processes.pdf_worker QUEUE

It consumes QUEUE and the platform's queues prefixed with « QUEUE. » (settings.FNE_TASK_QUEUES).

The only difference from `celery -A fne worker`: when FNE_TEST_SLOW_ONCE names a file that does
not exist yet, the first PDF rendering creates it and then sleeps FNE_TEST_SLOW_SECONDS, so that
a test can see the job « en cours » and kill the worker (or its pool child) in the middle of it.
The next rendering (the job recovered) runs at normal speed.
"""

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fne.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from feuilles_de_route import pdf  # noqa: E402
from fne.celery import app  # noqa: E402

_render = pdf.render_pdf


def render_slowly_once(document):
    marker = os.environ.get("FNE_TEST_SLOW_ONCE")
    if marker and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("FNE_TEST_SLOW_SECONDS", "0")))
    return _render(document)


pdf.render_pdf = render_slowly_once

if __name__ == "__main__":
    queue = sys.argv[1]
    # Every queue of the platform under this test's prefix, and the test's default queue.
    queues = [queue, *(f"{queue}.{name}" for name in settings.FNE_TASK_QUEUES)]
    app.worker_main(
        [
            "worker",
            "--queues",
            ",".join(queues),
            "--hostname",
            f"{queue}@%h",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )
