"""How French names a département or a région after « de »: « de la Nièvre », « du Nord »,
« des Landes », « d'Eure-et-Loir », « de Paris ».

The referential (Etalab's découpage administratif) carries no article, so INSEE's « type de nom
en clair » (TNCC) of each département and région is kept here by code:
0 no article, consonant → « de » · 1 no article, vowel → « d' » · 2 « le » → « du » ·
3 « la » → « de la » · 4 « les » → « des » · 5 « l' » → « de l' ».
A code missing from the tables (a new one in a later vintage) falls back on the name: « de » or
« d' » by its first letter, which is never wrong about elision and only misses an article.
"""

_DEPARTEMENTS_TNCC = {
    0: "49 54 71 75 77 82 84 974 975 976 977 978 986",
    1: "28 35 37",
    2: "14 15 18 25 29 30 32 39 41 45 46 47 56 59 62 63 67 68 69 81 83 90 94 95",
    3: (
        "16 17 19 2A 2B 21 23 24 26 31 33 42 43 44 48 50 51 52 53 55 57 58 70 72 73 74 76 80 85 86 87 "
        "93 971 972 973 987 988"
    ),
    4: "04 05 06 08 13 22 40 64 65 66 78 79 88 92 984",
    5: "01 02 03 07 09 10 11 12 27 34 36 38 60 61 89 91 989",
}
# The institutions' own usage where it departs from a plain article: « Conseil régional de
# Bourgogne-Franche-Comté », « de Normandie », « de Bretagne », « de Nouvelle-Aquitaine ».
_REGIONS_TNCC = {
    0: "04 06 27 28 53 75 93 94 975 977 978 986",
    1: "11 76 84",
    2: "24 44",
    3: "01 02 03 987 988",
    4: "32 52 984",
    5: "989",
}

_DE = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'"}


def _by_code(table: dict[int, str]) -> dict[str, int]:
    return {code: tncc for tncc, codes in table.items() for code in codes.split()}


DEPARTEMENTS_TNCC = _by_code(_DEPARTEMENTS_TNCC)
REGIONS_TNCC = _by_code(_REGIONS_TNCC)

_VOWELS = "AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒ"


def _fallback(nom: str) -> int:
    return 1 if nom[:1].upper() in _VOWELS else 0


def tncc_departement(code: str, nom: str) -> int:
    return DEPARTEMENTS_TNCC.get(code, _fallback(nom))


def tncc_region(code: str, nom: str) -> int:
    return REGIONS_TNCC.get(code, _fallback(nom))


def de_nom(tncc: int, nom: str) -> str:
    """« de la Nièvre », « du Nord », « d'Eure-et-Loir »."""
    return f"{_DE[tncc]}{nom}"


def epci_avec_article(nom: str) -> str:
    """« la CA de Nevers »: every EPCI à fiscalité propre is a communauté or a métropole, and
    the referential's names start with it (« CC Haut Nivernais », « Métropole de Lyon »)."""
    return f"la {nom}"


def de_epci(nom: str, *, ept: bool = False) -> str:
    """« de la CA de Nevers »; a territoire of the Grand Paris bears a bare name (« Est
    Ensemble »): « de l'EPT Est Ensemble »."""
    return f"de l'EPT {nom}" if ept else f"de {epci_avec_article(nom)}"
