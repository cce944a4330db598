"""Context processors kept query-free: they run on every request, public pages included."""

from functools import cache

from django.conf import settings
from dsfr.models import DsfrConfig


@cache
def _site_config() -> DsfrConfig:
    # django-dsfr's own processor reads its table on every request; the site's identity is
    # fixed, so an unsaved instance built once serves every page.
    return DsfrConfig(
        language="fr",
        site_title=settings.FNE_SITE_TITLE,
        site_tagline="Territorialiser la politique d'inclusion numérique",
        header_brand="République française",
        header_brand_html="République<br>française",
        footer_brand="République française",
        footer_brand_html="République<br>française",
        beta_tag=False,
        footer_description=(
            "L'Espace France Numérique Ensemble recueille les gouvernances territoriales, les feuilles "
            "de route et les besoins en ingénierie de l'inclusion numérique, avec le programme "
            "Société numérique de l'Agence nationale de la cohésion des territoires (ANCT)."
        ),
    )


def site_config(request):
    return {"SITE_CONFIG": _site_config()}
