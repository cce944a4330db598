import pytest

from tests.subventions.factories import nievre_subventions


@pytest.fixture
def n(db):
    """The Nièvre with a gouvernance, two members, a feuille de route with two fiches action, and
    its dotations (50 000 € d'ingénierie, 20 000 € de formation)."""
    return nievre_subventions()
