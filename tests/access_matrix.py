"""The access matrix: for every URL pattern of the project, who gets what.

`tests/test_access_matrix.py` walks Django's URL resolver and fails on any pattern that has no
row here: a new view cannot escape the matrix. Each row says how to build the URL's kwargs and
the expected status per role, for GET and, for views that write, POST.

Roles (see `ROLE_FIXTURES` in the test): anonymous, a structure user who owns a draft « porter »
form, the co-rédacteur of the Nièvre's feuille de route (a structure user invited by the
préfecture), the préfecture of the Nièvre (58), of the Côte-d'Or (21), the préfecture de région
Bourgogne-Franche-Comté, of Nouvelle-Aquitaine, the démo account, an ANCT administrator.

Expected values: an HTTP status, or `LOGIN` (302 to the login page, kept for anonymous visitors
on private pages). The objects (`Ref("feuille")`…) come from the `nievre` data set built in
the test module: a confirmed candidature, a draft, a gouvernance « pressentie » with members,
a comité, a feuille de route with its document, an axe, a fiche action, a signataire, a finished
PDF job, a signed copy, and besoins.
"""

from dataclasses import dataclass, field

from django.urls import reverse

ROLES = (
    "anonyme",
    "structure",
    "coredacteur",
    "prefecture",
    "prefecture_autre",
    "region",
    "region_autre",
    "demo",
    "admin",
)

LOGIN = "login"  # 302 to the login page


@dataclass(frozen=True)
class Ref:
    """The primary key of an object of the test data set, by its name."""

    name: str


@dataclass(frozen=True)
class Case:
    kwargs: dict = field(default_factory=dict)
    get: dict | None = None
    post: dict | None = None
    query: str = ""  # appended to the GET URL
    data: dict = field(default_factory=dict)  # POST body
    label: str = ""  # distinguishes several cases of one pattern
    # Text that must not appear in the GET response of these roles (a list page must not leak).
    hidden: dict[str, tuple[str, ...]] = field(default_factory=dict)


def every(status) -> dict:
    return dict.fromkeys(ROLES, status)


def logged_in(status, **overrides) -> dict:
    """Private page that every signed-in role may open (anonymous → login)."""
    return {**every(status), "anonyme": LOGIN, **overrides}


# A département's private page (the Nièvre): its préfecture, its région's, the national roles.
READ_58 = {
    "anonyme": LOGIN,
    "structure": 404,
    "coredacteur": 404,
    "prefecture": 200,
    "prefecture_autre": 404,
    "region": 200,
    "region_autre": 404,
    "demo": 200,
    "admin": 200,
}


def write_58(ok) -> dict:
    """A write on the Nièvre: its préfecture and ANCT; région and démo read-only (403)."""
    return {**READ_58, "prefecture": ok, "admin": ok, "region": 403, "demo": 403}


def fdr_read(ok=200) -> dict:
    """Reading the Nièvre's feuille de route: the département's readers and its co-rédacteur."""
    return {**READ_58, "coredacteur": ok, **{r: ok for r, s in READ_58.items() if s == 200}}


def fdr_write(ok) -> dict:
    """Writing its content: the préfecture, ANCT and the co-rédacteur."""
    return {**write_58(ok), "coredacteur": ok}


def fdr_manage(ok) -> dict:
    """Status, invitations, signed copies: the préfecture and ANCT; the co-rédacteur gets 403."""
    return {**write_58(ok), "coredacteur": 403}


def method_not_allowed(readers: dict) -> dict:
    """A view limited to the other method: 405 once past the login (and only then)."""
    return {role: (LOGIN if status == LOGIN else 405) for role, status in readers.items()}


NATIONAL = {**logged_in(404), "demo": 200, "admin": 200}
OUTSIDERS = ("structure", "prefecture_autre", "region_autre")
FEUILLE_NIEVRE = "Feuille de route de la Nièvre"
# What the public gouvernance view never shows (GouvernanceFactory's note and sous-préfète).
SUIVI_NOTE = "Relancer la préfecture : note interne ANCT"  # tests/nievre.py's follow-up note
PRIVATE_GOUVERNANCE = ("Note confidentielle de contexte", "sous-prefete@nievre.gouv.example")
PUBLIC = every(200)
# What no open-data file, API answer or public index shows, for any role: the gouvernance's
# private sections, ANCT's follow-up note, the members' référents and suppléants (names and
# addresses of tests/gouvernances/factories.py), the candidates' contacts.
PRIVATE_OPEN_DATA = (
    *PRIVATE_GOUVERNANCE,
    SUIVI_NOTE,
    "Sous-Préfète",
    "Référente",
    "Suppléant",
    "@example.org",
    "claire.martin",
    "Adjointe au numérique",
)
OPEN = {"get": PUBLIC, "hidden": dict.fromkeys(PRIVATE_OPEN_DATA, ROLES)}
OPEN_DATA_SETS = ("gouvernances", "membres", "feuilles-de-route", "besoins-ingenierie", "diagnostic-communes")
API_READ_ONLY = every(405)

FDR = {"pk": Ref("feuille")}

# Route name → one Case, or a list of Cases (each labelled) for a pattern tested several ways.
MATRIX: dict[str, Case | list[Case]] = {
    # --- core: public pages
    "espace:home": Case(get=PUBLIC),
    "espace:accessibilite": Case(get=PUBLIC),
    "espace:mentions_legales": Case(get=PUBLIC),
    "core:sante": Case(get=PUBLIC, post=every(405)),  # the liveness probe: GET/HEAD only
    "core:sante_pret": Case(get=PUBLIC, post=every(405)),  # the readiness probe: GET/HEAD only
    # --- comptes: the landing page after login sends each role to its space
    "espace:mon_espace": Case(
        get=logged_in(302, structure=200, coredacteur=200),
        hidden={FEUILLE_NIEVRE: ("structure",)},
    ),
    # --- comptes: role requests (asked by anyone signed in but the national accounts, decided by
    # administrators; the list names people: the démo account never sees it)
    "comptes:demande_role": Case(
        get=logged_in(200, demo=404, admin=404),
        post=logged_in(400, demo=404, admin=404),  # empty post: the form comes back with its errors
    ),
    "comptes:demandes": Case(
        get={**logged_in(404), "admin": 200},
        post=method_not_allowed(logged_in(0)),
        hidden={"agent.candidat@nievre.gouv.fr": ("demo", "region", "prefecture")},
    ),
    "comptes:decider": Case(
        kwargs={"pk": Ref("demande_role")},
        get=method_not_allowed(logged_in(0)),
        post={**logged_in(404), "admin": 400},  # no decision posted: the list comes back with its error
    ),
    # --- territoires
    "espace:departements": Case(
        get=logged_in(200), hidden={"Nièvre": OUTSIDERS, "agent.candidat@nievre.gouv.fr": ("demo", "region")}
    ),
    "espace:departement": [
        Case(kwargs={"code": "58"}, get=READ_58),
        Case(kwargs={"code": "00"}, get=logged_in(404), label="inconnu"),
    ],
    "territoires:recherche": Case(get=PUBLIC, query="?q=nevers&departement=58", post=every(405)),
    # --- candidatures: the public form (the structure user owns a draft « porter » form)
    "candidatures:entree": Case(
        get=PUBLIC,
        # Anonymous → signup first; a collectivité or structure account starts a form (the
        # structure user already has one); State accounts are no candidates (403).
        post={
            **every(403),
            "anonyme": 302,
            "structure": 200,
            "coredacteur": 302,
        },
        data={"persona": "commune", "intention": "participer"},
    ),
    "candidatures:mon_formulaire": Case(get=logged_in(302)),
    "candidatures:participer": Case(get=logged_in(302), post=logged_in(302)),
    "candidatures:porter": Case(
        kwargs={"etape": "informations"},
        get=logged_in(302, structure=200),
        post=logged_in(302, structure=200),  # empty post: the form comes back with its errors
    ),
    "candidatures:recapitulatif": Case(get=logged_in(302, structure=200)),
    "candidatures:confirmer": Case(get=method_not_allowed(logged_in(0)), post=logged_in(302)),
    "candidatures:recommencer": Case(get=method_not_allowed(logged_in(0)), post=logged_in(302)),
    "candidatures:annuler": Case(get=method_not_allowed(logged_in(0)), post=logged_in(302)),
    # --- candidatures: the préfecture's side
    "candidatures:liste": Case(kwargs={"code": "58"}, get=READ_58),
    "candidatures:detail": [
        Case(kwargs={"code": "58", "pk": Ref("candidature")}, get=READ_58),
        # The Nièvre's candidature asked through the Côte-d'Or: nobody sees it there.
        Case(
            kwargs={"code": "21", "pk": Ref("candidature")},
            get={**logged_in(404)},
            label="autre-departement",
        ),
        # A draft is not a candidature yet, even for ANCT.
        Case(kwargs={"code": "58", "pk": Ref("brouillon")}, get=logged_in(404), label="brouillon"),
    ],
    "candidatures:export": Case(kwargs={"code": "58", "fmt": "csv"}, get=READ_58),
    # Every département the viewer reads, in one file: a préfecture de région, ANCT (and démo).
    "candidatures:export_departements": Case(
        kwargs={"fmt": "csv"},
        get={**logged_in(404), "region": 200, "region_autre": 200, "demo": 200, "admin": 200},
    ),
    # --- gouvernances
    "gouvernances:detail": Case(kwargs={"code": "58"}, get=READ_58, post=write_58(302)),
    # GET shows what will be sent and asks for confirmation; POST sends it.
    "gouvernances:submit": Case(
        kwargs={"code": "58"}, query="?statut=definitive", get=write_58(200), post=write_58(302)
    ),
    "gouvernances:historique": Case(kwargs={"code": "58"}, get=READ_58),
    "gouvernances:impression": Case(kwargs={"code": "58"}, get=READ_58),
    "gouvernances:publique": [
        Case(kwargs={"code": "58"}, get=PUBLIC, hidden=dict.fromkeys(PRIVATE_GOUVERNANCE, ROLES)),
        Case(kwargs={"code": "00"}, get=every(404), label="inconnu"),
    ],
    "gouvernances:section": Case(
        kwargs={"code": "58", "section": "comitologie"},
        get=write_58(200),
        post=write_58(400),  # empty post: the section comes back with its errors
    ),
    # --- feuilles de route: the editor
    "feuilles_de_route:liste": Case(
        get=logged_in(200), post=method_not_allowed(logged_in(0)), hidden={FEUILLE_NIEVRE: OUTSIDERS}
    ),
    "feuilles_de_route:editeur": Case(kwargs=FDR, get=fdr_read(), post=method_not_allowed(logged_in(0))),
    "feuilles_de_route:section": Case(
        kwargs={**FDR, "section": "introduction"},
        get=fdr_write(200),
        post=fdr_write(302),
        data={"version": "0", "specificites": "Un territoire rural."},
    ),
    "feuilles_de_route:diagnostic_mise_a_jour": Case(
        kwargs=FDR,
        get=fdr_write(200),
        post=fdr_write(302),
        data={"version": "0", "champs": ["offre"]},
    ),
    "feuilles_de_route:axe_ajouter": Case(
        kwargs=FDR,
        get=fdr_write(200),
        post=fdr_write(302),
        data={"version": "0", "nom": "Former les aidants", "description": "Pourquoi."},
    ),
    "feuilles_de_route:axe": Case(
        kwargs={**FDR, "axe_pk": Ref("axe")}, get=fdr_write(200), post=fdr_write(200)
    ),
    "feuilles_de_route:axe_supprimer": Case(
        kwargs={**FDR, "axe_pk": Ref("axe")},
        get=method_not_allowed(fdr_read()),
        post=fdr_write(302),
    ),
    "feuilles_de_route:fiche_ajouter": Case(
        kwargs={**FDR, "axe_pk": Ref("axe")}, get=fdr_write(200), post=fdr_write(200)
    ),
    "feuilles_de_route:fiche": Case(
        kwargs={**FDR, "axe_pk": Ref("axe"), "fiche_pk": Ref("fiche")},
        get=fdr_write(200),
        post=fdr_write(200),
    ),
    "feuilles_de_route:fiche_supprimer": Case(
        kwargs={**FDR, "axe_pk": Ref("axe"), "fiche_pk": Ref("fiche")},
        get=method_not_allowed(fdr_read()),
        post=fdr_write(302),
    ),
    "feuilles_de_route:signataires": Case(kwargs=FDR, get=fdr_read(), post=fdr_write(200)),
    "feuilles_de_route:signataire_supprimer": Case(
        kwargs={**FDR, "signataire_pk": Ref("signataire")},
        get=method_not_allowed(fdr_read()),
        post=fdr_write(302),
    ),
    # Submitting to the gouvernance: GET shows what will be submitted, POST submits.
    "feuilles_de_route:soumettre": Case(kwargs=FDR, get=fdr_manage(200), post=fdr_manage(302)),
    "feuilles_de_route:statut": Case(
        kwargs=FDR,
        get=method_not_allowed(fdr_read()),
        post=fdr_manage(302),
        data={"action": "redaction"},
    ),
    "feuilles_de_route:historique": Case(kwargs=FDR, get=fdr_read(), post=method_not_allowed(fdr_read())),
    "feuilles_de_route:inviter": Case(
        kwargs=FDR,
        get=method_not_allowed(fdr_read()),
        post=fdr_manage(302),
        data={"email": "nouvelle.redactrice@nievre.example"},
    ),
    # Those who write the feuille de route ask for its PDF; read-only roles download it (403).
    "feuilles_de_route:pdf": Case(kwargs=FDR, get=method_not_allowed(fdr_read()), post=fdr_write(302)),
    "feuilles_de_route:pdf_etat": Case(
        kwargs={**FDR, "job_pk": Ref("pdf_job")}, get=fdr_read(), post=method_not_allowed(fdr_read())
    ),
    "feuilles_de_route:pdf_telecharger": Case(
        kwargs={**FDR, "job_pk": Ref("pdf_job")}, get=fdr_read(), post=method_not_allowed(fdr_read())
    ),
    "feuilles_de_route:copie_deposer": Case(
        kwargs=FDR,
        get=method_not_allowed(fdr_read()),
        post=fdr_manage(400),  # no file posted: the form comes back with its error
    ),
    "feuilles_de_route:copie_telecharger": Case(
        kwargs={**FDR, "copie_pk": Ref("copie")}, get=fdr_read(), post=method_not_allowed(fdr_read())
    ),
    # --- besoins
    "besoins:synthese": Case(kwargs={"code": "58"}, get=READ_58, post=method_not_allowed(READ_58)),
    "besoins:selection": Case(kwargs={"code": "58"}, get=READ_58, post=write_58(200)),
    "besoins:totaux": Case(kwargs={"code": "58"}, get=method_not_allowed(READ_58), post=write_58(200)),
    "besoins:priorisation": Case(kwargs={"code": "58"}, get=READ_58, post=write_58(302)),
    "besoins:national": Case(get=NATIONAL, post=method_not_allowed(logged_in(0))),
    "besoins:national_item": Case(kwargs={"item": "diagnostic"}, get=NATIONAL),
    "besoins:national_export": Case(kwargs={"vue": "par-besoin", "fmt": "csv"}, get=NATIONAL),
    # --- subventions: the préfecture writes until it validates; conventions for the préfecture and ANCT
    "subventions:page": Case(kwargs={"code": "58"}, get=READ_58, post=method_not_allowed(READ_58)),
    "subventions:note": Case(kwargs={"code": "58"}, get=write_58(200), post=write_58(400)),
    "subventions:formation": Case(kwargs={"code": "58"}, get=write_58(200), post=write_58(400)),
    "subventions:demande_nouvelle": Case(kwargs={"code": "58"}, get=write_58(200), post=write_58(400)),
    "subventions:demande": [
        Case(kwargs={"code": "58", "pk": Ref("demande")}, get=READ_58, post=method_not_allowed(READ_58)),
        # The Nièvre's demande asked through the Côte-d'Or: nobody sees it there.
        Case(kwargs={"code": "21", "pk": Ref("demande")}, get=logged_in(404), label="autre-departement"),
    ],
    "subventions:demande_modifier": Case(
        kwargs={"code": "58", "pk": Ref("demande")}, get=write_58(200), post=write_58(400)
    ),
    "subventions:demande_valider": Case(
        kwargs={"code": "58", "pk": Ref("demande")}, get=method_not_allowed(READ_58), post=write_58(302)
    ),
    "subventions:demande_supprimer": Case(
        kwargs={"code": "58", "pk": Ref("demande")}, get=method_not_allowed(READ_58), post=write_58(302)
    ),
    "subventions:demande_budget": Case(kwargs={"code": "58", "pk": Ref("demande")}, get=READ_58),
    "subventions:convention_demander": Case(
        kwargs={"code": "58", "membre_pk": Ref("porteur")},
        get=method_not_allowed(READ_58),
        post=write_58(302),
    ),
    "subventions:convention_etat": Case(
        kwargs={"code": "58", "job_pk": Ref("convention_job")},
        get=write_58(200),
        post=method_not_allowed(READ_58),
    ),
    "subventions:convention_telecharger": [
        Case(kwargs={"code": "58", "job_pk": Ref("convention_job"), "fmt": fmt}, get=write_58(200), label=fmt)
        for fmt in ("docx", "pdf")
    ],
    "subventions:national": Case(get=NATIONAL, post=method_not_allowed(logged_in(0))),
    "subventions:national_consolidation": Case(get=NATIONAL),
    "subventions:national_export": [
        Case(kwargs={"vue": vue, "fmt": "csv"}, get=NATIONAL, label=vue)
        for vue in ("gouvernances", "demandes", "beneficiaires")
    ],
    "subventions:national_demande": Case(kwargs={"pk": Ref("demande_validee")}, get=NATIONAL),
    "subventions:national_instruire": Case(
        kwargs={"pk": Ref("demande_validee")},
        get=method_not_allowed(logged_in(0)),
        post={
            **NATIONAL,
            "demo": 403,
            "admin": 400,
        },  # no decision posted: the form comes back with its error
    ),
    # --- national: ANCT's consolidation (démo read-only and without the follow-up notes)
    "national:tableau_de_bord": [
        Case(get=NATIONAL, post=method_not_allowed(logged_in(0))),
        *[
            Case(get=NATIONAL, query=f"?carte={cle}", label=cle)
            for cle in ("statut", "feuilles", "couverture", "coordinateurs")
        ],
    ],
    "national:table": [
        Case(kwargs={"table": table}, get=NATIONAL, hidden={SUIVI_NOTE: ("demo",)}, label=table)
        for table in ("gouvernances", "membres", "feuilles-de-route", "candidats")
    ]
    + [Case(kwargs={"table": "inconnu"}, get={**NATIONAL, "demo": 404, "admin": 404}, label="inconnu")],
    "national:indicateurs": [
        Case(get=NATIONAL, post=method_not_allowed(logged_in(0))),
        Case(get=NATIONAL, query="?brouillons=1&indicateur=aidants-formes", label="brouillons"),
    ],
    "national:indicateurs_export": [
        Case(kwargs={"vue": "cibles", "fmt": "csv"}, get=NATIONAL, label="cibles"),
        Case(kwargs={"vue": "cofinancements", "fmt": "xlsx"}, get=NATIONAL, label="cofinancements"),
        Case(
            kwargs={"vue": "inconnue", "fmt": "csv"},
            get={**NATIONAL, "demo": 404, "admin": 404},
            label="inconnue",
        ),
    ],
    "national:export": Case(
        kwargs={"table": "gouvernances", "fmt": "csv"}, get=NATIONAL, hidden={SUIVI_NOTE: ("demo",)}
    ),
    "national:departement": Case(
        kwargs={"code": "58"},
        get=NATIONAL,
        hidden={SUIVI_NOTE: ("demo",)},
        post=method_not_allowed(logged_in(0)),
    ),
    "national:suivi": Case(
        kwargs={"code": "58"},
        get=method_not_allowed(logged_in(0)),
        post={**NATIONAL, "demo": 403, "admin": 302},
        data={"commentaire": "Point d'étape fait", "probleme": ""},
    ),
    "national:rouvrir": Case(
        kwargs={"code": "58"},
        get=method_not_allowed(logged_in(0)),
        post={**NATIONAL, "demo": 403, "admin": 400},  # no date posted: the form comes back with its error
    ),
    # --- diagnostic: open data, public
    "diagnostic:departement": [
        Case(kwargs={"code": "58"}, get=PUBLIC),
        Case(
            kwargs={"code": "58"}, get=PUBLIC, query="?carte=offre&points=typologie&tri=-ifn", label="carte"
        ),
    ],
    "diagnostic:commune": [
        Case(kwargs={"code": "58", "insee": "58194"}, get=PUBLIC),
        # A commune asked through another département does not exist there.
        Case(kwargs={"code": "21", "insee": "58194"}, get=every(404), label="autre-departement"),
    ],
    "diagnostic:departement_export": Case(kwargs={"code": "58", "fmt": "csv"}, get=PUBLIC),
    "diagnostic:national": [
        Case(get=PUBLIC),
        Case(get=PUBLIC, query="?carte=ifn&tri=-lieux", label="carte"),
    ],
    "diagnostic:sources": Case(get=PUBLIC),
    # --- open data: public files, schemas and pages; the read-only API
    "donnees_ouvertes:liste": Case(**OPEN),
    "donnees_ouvertes:datapackage": Case(**OPEN),
    "donnees_ouvertes:schema": [
        *(Case(kwargs={"jeu": jeu}, label=jeu, **OPEN) for jeu in OPEN_DATA_SETS),
        Case(kwargs={"jeu": "inconnu"}, get=every(404), label="inconnu"),
    ],
    "donnees_ouvertes:fichier": [
        *(
            Case(kwargs={"jeu": jeu, "fmt": fmt}, label=f"{jeu}.{fmt}", post=every(405), **OPEN)
            for jeu in OPEN_DATA_SETS
            for fmt in ("csv", "json")
        ),
        Case(kwargs={"jeu": "gouvernances", "fmt": "xlsx"}, get=every(404), label="format-inconnu"),
        Case(kwargs={"jeu": "contacts", "fmt": "csv"}, get=every(404), label="jeu-inconnu"),
    ],
    "donnees_ouvertes:gouvernances": Case(post=every(405), **OPEN),
    "api:api-root": Case(**OPEN),
    "api:openapi-json": Case(**OPEN),
    "api:documentation": Case(**OPEN),
    "api:introuvable": Case(kwargs={"reste": "contacts"}, get=every(404), post=every(404)),
    "api:gouvernances": Case(post=API_READ_ONLY, **OPEN),
    "api:gouvernance": [
        Case(kwargs={"code_departement": "58"}, post=API_READ_ONLY, **OPEN),
        Case(kwargs={"code_departement": "00"}, get=every(404), label="inconnu"),
    ],
    "api:membres": Case(post=API_READ_ONLY, **OPEN),
    "api:feuilles_de_route": Case(post=API_READ_ONLY, **OPEN),
    "api:feuille_de_route": Case(kwargs={"id": Ref("feuille")}, post=API_READ_ONLY, **OPEN),
    "api:besoins": Case(post=API_READ_ONLY, **OPEN),
    "api:diagnostic": Case(query="?departement=58", post=API_READ_ONLY, **OPEN),
    "api:regions": Case(post=API_READ_ONLY, **OPEN),
    "api:region": Case(kwargs={"code": "27"}, post=API_READ_ONLY, **OPEN),
    "api:departements": Case(post=API_READ_ONLY, **OPEN),
    "api:departement": Case(kwargs={"code": "58"}, post=API_READ_ONLY, **OPEN),
    "api:epcis": Case(query="?departement=58", post=API_READ_ONLY, **OPEN),
    "api:epci": Case(kwargs={"code": "245804406"}, post=API_READ_ONLY, **OPEN),
    "api:communes": Case(query="?q=nevers", post=API_READ_ONLY, **OPEN),
    "api:commune": Case(kwargs={"code": "58194"}, post=API_READ_ONLY, **OPEN),
}

# Patterns deliberately left out of the matrix, with the reason. Matched on the resolver that
# includes them (namespace or urlconf module) or on the view's dotted path.
EXCLUDED_INCLUDES = {
    "admin": "django.contrib.admin: staff only, protected by Django's own admin_view; not project code.",
    "allauth.urls": (
        "django-allauth's account pages (login, signup, password reset, e-mail confirmation, "
        "ProConnect callback): allauth decides their access; rate limits and fuzzing are tested "
        "in tests/core/test_hardening.py and tests/test_fuzz_public_forms.py."
    ),
}
EXCLUDED_VIEWS = {
    "django.views.static.serve": "static files (only mounted with DEBUG); public by nature.",
    "django.contrib.staticfiles.views.serve": "static files (only mounted with DEBUG).",
}


def build_url(name: str, case: Case, objects: dict) -> str:
    kwargs = {k: (objects[v.name].pk if isinstance(v, Ref) else v) for k, v in case.kwargs.items()}
    return reverse(name, kwargs=kwargs)


def iter_cases():
    """(route name, case) for every case of the table."""
    for name, spec in MATRIX.items():
        for case in spec if isinstance(spec, list) else [spec]:
            yield name, case
