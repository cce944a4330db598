"""Settings of bench/load.sh: the production settings, with this run's own cache keys and Celery
queue, so that a Redis server shared with others (REDIS_URL given) never mixes the bench's keys
with anyone else's and the script can delete exactly what it wrote when it ends."""

import os

from fne.settings import *  # noqa: F403
from fne.settings import CACHES

BENCH_PREFIX = os.environ["FNE_BENCH_PREFIX"]

for _config in CACHES.values():
    _config["KEY_PREFIX"] = BENCH_PREFIX
# No Celery worker runs during the bench: the e-mails of the submissions wait in this run's own
# queues (« <prefix>.emails »…), which the script deletes at the end.
FNE_CELERY_QUEUE_PREFIX = f"{BENCH_PREFIX}."
CELERY_TASK_DEFAULT_QUEUE = BENCH_PREFIX
