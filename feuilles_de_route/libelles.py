"""How the State names a département in a signed document: « Préfecture de la Nièvre »,
« Le préfet du Doubs », « Département de l'Allier ». The referential has no article, so the
article of each département is kept here (INSEE's « type de nom en clair », by code)."""

_DU = "14 15 18 25 29 30 32 39 41 45 46 47 56 59 62 63 67 68 69 81 83 90 94 95"
_DE_L = "01 02 03 07 09 10 11 12 27 34 36 38 60 61 89 91"
_D = "28 35 37"
_DES = "04 05 06 08 13 22 40 64 65 66 78 79 88 92"
_DE = "49 54 71 77 82 84 75 974 976"

_ARTICLES = {
    **dict.fromkeys(_DU.split(), "du "),
    **dict.fromkeys(_DE_L.split(), "de l'"),
    **dict.fromkeys(_D.split(), "d'"),
    **dict.fromkeys(_DES.split(), "des "),
    **dict.fromkeys(_DE.split(), "de "),
}


def article_de(departement) -> str:
    """« de la Nièvre », « du Doubs », « de l'Allier », « des Vosges »."""
    article = _ARTICLES.get(departement.code, "de la ")
    return f"{article}{departement.nom}"


def prefecture_de(departement) -> str:
    return f"Préfecture {article_de(departement)}"
