"""National-scale demo data (`manage.py seed_national`): plausible candidates, gouvernances,
feuilles de route and besoins for N départements of the campaign, on the real referential.

- Deterministic: each département draws from its own `random.Random(f"{seed}-{code}")`, so a
  département gets the same data whether 10 or 101 are seeded.
- Idempotent: a département that already has seeded accounts is skipped; `--reset` deletes what
  this command created (accounts and gouvernances marked with the SEED_DOMAIN e-mail domain).
- Bulk-created, a few queries per département: seeding bypasses the services (and so the audit
  history), which is fine for demo and benchmark data; the rules the services enforce are
  respected by construction (co-porteurs are collectivités, infra-départementales feuilles de
  route use disjoint EPCI so they never share a commune, besoins satisfy the model constraints).

The package: `fakes` (names, SIRET, dates), `plan` (one département's data drawn in memory),
`bulk` (the inserts, `seed_national` and `reset`).
"""

from .bulk import reset, seed_national
from .fakes import SEED_DOMAIN

__all__ = ["SEED_DOMAIN", "reset", "seed_national"]
