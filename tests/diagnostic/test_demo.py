from io import StringIO

import pytest

from diagnostic import demo, selectors
from diagnostic.models import ImportRun
from territoires.models import Departement

pytestmark = pytest.mark.django_db


def test_demo_files_import_cleanly_and_idempotently():
    out = StringIO()
    demo.seed(stdout=out)
    assert " 0 rejetés" in out.getvalue()
    assert not ImportRun.objects.filter(rejetes__gt=0).exists()
    synthese = selectors.synthese_diagnostic(Departement.objects.get(code="58"))
    assert synthese.lieux == 51
    assert synthese.communes_avec_ifn == 309
    assert synthese.aidants_connect_structures == 13  # one of the 14 is inactive
    assert synthese.accompagnements == 11842
    out = StringIO()
    demo.seed(stdout=out)
    assert out.getvalue().count("0 créés, 0 mis à jour") == 5
