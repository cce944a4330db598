from tests.gouvernances.conftest import campagne_ouverte  # noqa: F401 - autouse fixture
