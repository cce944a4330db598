"""What counts as demonstration data: never published as open data.

The platform's demonstration data are written by two commands, each of which leaves its mark:
- `seed_national` (plausible data for 101 départements) gives its gouvernances a sous-préfet
  whose address is on its own domain (`national.seed.SEED_DOMAIN`), the mark it deletes by;
- `seed_demo` (the Nièvre) saves its gouvernance with its demonstration accounts
  (`comptes.demo.DEMO_ACCOUNTS`): a gouvernance one of whose sections a demonstration account
  saved is demonstration, whoever edits it afterwards; its diagnostic comes from the project's
  own fictional files (`diagnostic.demo.IMPORTS`).

A gouvernance that is demonstration takes everything hanging on it along (members, feuilles de
route, besoins). A diagnostic source one of whose imports was a demonstration file is left out
whole: its rows carry no mark of their own, so none of its figures can be trusted as real.

A demonstration environment may publish them anyway (`DONNEES_OUVERTES_DEMONSTRATION`, off by
default): the pages then say that the data are fictional.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from comptes.demo import DEMO_ACCOUNTS
from diagnostic.demo import IMPORTS as DIAGNOSTIC_DEMO_IMPORTS
from diagnostic.models import ImportRun
from gouvernances.models import SectionState
from national.seed import SEED_DOMAIN

DEMO_EMAILS = tuple(email for email, *_ in DEMO_ACCOUNTS)
DEMO_FICHIERS = tuple(name for name, *_ in DIAGNOSTIC_DEMO_IMPORTS)


def publier_demonstration() -> bool:
    """Whether this environment publishes its demonstration data (a demonstration site)."""
    return bool(getattr(settings, "DONNEES_OUVERTES_DEMONSTRATION", False))


def gouvernance_demonstration() -> Q:
    """The demonstration gouvernances, as a condition on Gouvernance."""
    saved_by_demo = SectionState.objects.filter(
        gouvernance=OuterRef("pk"), modifie_par__email__in=DEMO_EMAILS
    )
    return Q(sous_prefet_email__iendswith=f"@{SEED_DOMAIN}") | Q(Exists(saved_by_demo))


def sources_demonstration() -> frozenset[str]:
    """The diagnostic sources one of whose imports was a demonstration file (one query)."""
    return frozenset(
        ImportRun.objects.filter(fichier__in=DEMO_FICHIERS).values_list("source", flat=True).distinct()
    )
