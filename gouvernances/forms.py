"""Forms of the gouvernance pages. They parse and show errors next to each field; the rules they
check come from services.py (shared with the writes), and `to_input()` hands the service plain
data. Formsets keep every row the user typed when a page is shown again."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import FneBaseForm, FneFormSet, bounded_formset
from core.models import NOTE_CONTEXTE, TEXT_SHORT
from core.validators import normalize_siret, validate_siret
from feuilles_de_route import services as feuilles_services
from feuilles_de_route.enums import ContratPreexistant, TypePerimetre
from territoires.enums import TypeCollectivite
from territoires.widgets import TerritoireSearchInput

from . import services
from .enums import Frequence, TypeComite
from .models import POSTES_MAX
from .resolution import (
    ALL_TYPES,
    MEMBRES_SUGGESTIONS,
    PORTEE_PAR_PREFECTURE_LABEL,
    PORTEURS_SUGGESTIONS,
    MembreResolver,
)
from .selectors import Candidat

# The most rows each list of the gouvernance may hold, from what a real gouvernance needs, with
# room to spare: members (the largest gouvernances of 2023 counted a few dozen; a département has
# up to ~900 communes but they join through their EPCI); comités (a strategic one, a technical
# one, a few working groups); feuilles de route (one per EPCI at most, and the largest
# département counts about 40 EPCI); structures recruiting a coordinateur. These also bound
# the request: 300 members of 14 fields stay under DATA_UPLOAD_MAX_NUMBER_FIELDS.
MEMBRES_MAX = 300
COMITES_MAX = 20
FEUILLES_MAX = 50
COORDINATIONS_MAX = 30


class RowForm(FneBaseForm):
    """A row of a formset; `membre_label` names an existing member (its identity is not editable).
    `summary`, when a row has one, is what the row shows folded (templates/gouvernances/includes/
    formset.html): long sections read as a list, each row opened to be edited."""

    membre_label = None

    @property
    def summary(self) -> str:
        return ""

    def _value(self, name: str) -> str:
        """What the row holds for `name`: as typed when bound, as stored otherwise."""
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name)) or "").strip()
        return str(self.initial.get(name) or "").strip()


class SousPrefetForm(FneBaseForm):
    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(
        label="Adresse e-mail",
        error_messages={"invalid": "Saisissez une adresse e-mail valide (nom@domaine.fr)."},
    )

    def to_input(self) -> services.SousPrefetInput:
        return services.SousPrefetInput(**self.cleaned_data)


EMAIL_ERRORS = {"invalid": "Saisissez une adresse e-mail valide (nom@domaine.fr)."}


class MembreForm(RowForm):
    """One member. A new row chooses a collectivité or candidate through the search (`key` holds
    its label), or names a structure with its SIRET; an existing row only edits its contacts (its
    identity is shown as a title). Contacts are optional: asked for before the gouvernance is
    sent, pre-filled from the candidate's own form."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    key = forms.CharField(
        label="Collectivité ou structure candidate",
        required=False,
        max_length=300,
        help_text="Nom, code INSEE ou SIREN, puis choisissez dans la liste proposée ; les candidats "
        "ayant manifesté leur intérêt sont proposés en premier.",
    )
    structure_nom = forms.CharField(label="Ou une autre structure : nom", required=False, max_length=200)
    structure_siret = forms.CharField(
        label="SIRET de cette structure", required=False, max_length=20, help_text="14 chiffres"
    )
    est_coporteur = forms.BooleanField(label="Co-porteur de la gouvernance (collectivités)", required=False)
    referent_prenom = forms.CharField(label="Prénom du référent", max_length=100, required=False)
    referent_nom = forms.CharField(label="Nom du référent", max_length=100, required=False)
    referent_fonction = forms.CharField(label="Fonction du référent", max_length=200, required=False)
    referent_email = forms.EmailField(label="E-mail du référent", error_messages=EMAIL_ERRORS, required=False)
    suppleant_prenom = forms.CharField(label="Prénom du suppléant", max_length=100, required=False)
    suppleant_nom = forms.CharField(label="Nom du suppléant", max_length=100, required=False)
    suppleant_fonction = forms.CharField(label="Fonction du suppléant", max_length=200, required=False)
    suppleant_email = forms.EmailField(
        label="E-mail du suppléant", error_messages=EMAIL_ERRORS, required=False
    )

    def __init__(
        self, *args, resolver: MembreResolver | None = None, labels=None, with_coporteur=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.resolver = resolver
        self.fields["key"].widget = TerritoireSearchInput(
            ALL_TYPES,
            departement=resolver.departement.code if resolver else None,
            candidats=MEMBRES_SUGGESTIONS,
        )
        if not with_coporteur:
            del self.fields["est_coporteur"]
        labels = labels or {}
        raw_id = self.data.get(self.add_prefix("id")) if self.is_bound else self.initial.get("id")
        self.membre_label = labels.get(int(raw_id)) if str(raw_id or "").isdigit() else None
        if self.membre_label:
            for name in ("key", "structure_nom", "structure_siret"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.membre_label or not self.has_changed():
            return data
        key, nom, siret = (
            data.get("key"),
            (data.get("structure_nom") or "").strip(),
            data.get("structure_siret"),
        )
        if key and (nom or siret):
            self.add_error(
                "structure_nom",
                "Choisissez une collectivité ou une structure candidate, ou une autre structure, pas les deux.",
            )
        elif key:
            try:
                data["key"] = self.resolver.key(key) if self.resolver else key
            except ValidationError as exc:
                self.add_error("key", exc)
        elif not key and not nom:
            self.add_error(
                "key",
                "Choisissez une collectivité ou une structure, ou indiquez le nom d'une autre structure.",
            )
        elif not key:
            if not siret:
                self.add_error("structure_siret", "Indiquez le SIRET de la structure.")
            else:
                try:
                    validate_siret(siret)
                    data["structure_siret"] = normalize_siret(siret)
                except ValidationError as exc:
                    self.add_error("structure_siret", exc)
        return data

    @property
    def summary(self) -> str:
        if not self.membre_label:
            return ""
        referent = " ".join(filter(None, [self._value("referent_prenom"), self._value("referent_nom")]))
        return f"{self.membre_label} — " + (f"référent : {referent}" if referent else "référent à renseigner")

    def to_input(self) -> services.MembreInput:
        d = self.cleaned_data
        contact = lambda p: services.ContactInput(  # noqa: E731
            d.get(f"{p}_prenom") or "",
            d.get(f"{p}_nom") or "",
            d.get(f"{p}_fonction") or "",
            d.get(f"{p}_email") or "",
        )
        return services.MembreInput(
            referent=contact("referent"),
            suppleant=contact("suppleant"),
            id=d.get("id"),
            key=d.get("key") or "",
            structure_nom=d.get("structure_nom") or "",
            structure_siret=d.get("structure_siret") or "",
            est_coporteur=bool(d.get("est_coporteur")),
        )


class BaseRowsFormSet(FneFormSet):
    def kept_forms(self):
        """Rows to save: initial rows not ticked for deletion, and extra rows the user filled."""
        initial = self.initial_form_count()
        return [
            form
            for index, form in enumerate(self.forms)
            if not (self.can_delete and self._should_delete_form(form))
            and (index < initial or form.has_changed())
        ]

    def to_input(self) -> list:
        return [f.to_input() for f in self.kept_forms()]


class BaseMembreFormSet(BaseRowsFormSet):
    def clean(self):
        if any(self.errors):
            return
        keys = [f.cleaned_data.get("key") for f in self.kept_forms() if f.cleaned_data.get("key")]
        if len(keys) != len(set(keys)):
            raise ValidationError("Une même collectivité ou structure figure deux fois parmi les membres.")
        if not self.kept_forms():
            raise ValidationError("Ajoutez au moins un membre à la gouvernance.")


MembreFormSet = bounded_formset(
    MembreForm, formset=BaseMembreFormSet, most=MEMBRES_MAX, extra=2, can_delete=True
)


class CoporteursForm(FneBaseForm):
    coporteurs = forms.MultipleChoiceField(
        label="Co-porteurs de la gouvernance",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Collectivités membres qui co-portent la gouvernance avec l'État.",
    )
    pas_de_coporteur = forms.BooleanField(label="Pas de co-porteur", required=False)

    def __init__(self, *args, membre_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coporteurs"].choices = list(membre_choices)

    def clean(self):
        data = super().clean()
        error = services.coporteur_error(
            nb_coporteurs=len(data.get("coporteurs") or []),
            pas_de_coporteur=bool(data.get("pas_de_coporteur")),
        )
        if error:
            self.add_error("coporteurs", error)
        return data

    def to_input(self) -> services.CoporteursInput:
        return services.CoporteursInput(
            keys=list(self.cleaned_data["coporteurs"]), pas_de_coporteur=self.cleaned_data["pas_de_coporteur"]
        )


class PasDeCoporteurForm(FneBaseForm):
    """First save: co-porteurs are ticked on the member rows; this says « none » explicitly."""

    pas_de_coporteur = forms.BooleanField(label="Pas de co-porteur", required=False)


class ComiteForm(RowForm):
    type = forms.ChoiceField(label="Type de comité", choices=[("", "— Choisir —"), *TypeComite.choices])
    type_precision = forms.CharField(label="Si « Autre », précisez", required=False, max_length=200)
    frequence = forms.ChoiceField(label="Fréquence", choices=[("", "— Choisir —"), *Frequence.choices])
    # Asked in detail by the feuille de route document: optional in the gouvernance.
    composition = forms.CharField(
        label="Composition", max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    role = forms.CharField(
        label="Rôle", max_length=TEXT_SHORT, widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("type") == TypeComite.AUTRE and not (data.get("type_precision") or "").strip():
            self.add_error("type_precision", "Précisez le type de ce comité.")
        return data

    def to_input(self) -> services.ComiteInput:
        d = self.cleaned_data
        return services.ComiteInput(
            type=d["type"],
            type_precision=d.get("type_precision") or "",
            frequence=d["frequence"],
            composition=d.get("composition") or "",
            role=d.get("role") or "",
        )


ComiteFormSet = bounded_formset(
    ComiteForm, formset=BaseRowsFormSet, most=COMITES_MAX, extra=1, can_delete=True
)


class FeuilleForm(RowForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    nom = forms.CharField(label="Nom de la feuille de route", max_length=200)
    porteur = forms.ChoiceField(label="Porteur")
    perimetre = forms.ChoiceField(label="Périmètre", choices=TypePerimetre.choices, widget=forms.RadioSelect)
    epcis = forms.MultipleChoiceField(
        label="EPCI du périmètre (infra-départemental)", required=False, widget=forms.CheckboxSelectMultiple
    )
    contrat = forms.ChoiceField(
        label="Existe-t-il un contrat préexistant ?",
        choices=[("oui", "Oui"), ("non", "Non")],
        widget=forms.RadioSelect(attrs={"class": "fr-fieldset--inline"}),
        error_messages={"required": "Indiquez s'il existe un contrat préexistant."},
    )
    contrat_preexistant = forms.ChoiceField(
        label="Si oui, type de contrat",
        choices=[
            ("", "— Choisir —"),
            *[c for c in ContratPreexistant.choices if c[0] != ContratPreexistant.AUCUN],
        ],
        required=False,
    )
    contrat_description = forms.CharField(
        label="Si « Autre », décrivez le contrat", required=False, max_length=300
    )

    def __init__(self, *args, porteur_choices=(), epci_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.fields["porteur"], forms.ChoiceField):
            self.fields["porteur"].choices = [
                ("", "— Choisir —"),
                (feuilles_services.PORTEE_PAR_PREFECTURE, PORTEE_PAR_PREFECTURE_LABEL),
                *porteur_choices,
            ]
        self.fields["epcis"].choices = list(epci_choices)

    def clean(self):
        data = super().clean()
        if data.get("contrat") == "oui" and not data.get("contrat_preexistant"):
            self.add_error("contrat_preexistant", "Choisissez le type de contrat préexistant.")
        return data

    @property
    def summary(self) -> str:
        if not self.initial.get("id"):
            return ""
        porteur = self._value("porteur")
        choices = getattr(self.fields["porteur"], "choices", None)
        if choices is not None:
            porteur = str(dict(choices).get(porteur, ""))
        perimetre = str(dict(TypePerimetre.choices).get(self._value("perimetre"), ""))
        return " — ".join(
            filter(None, [self._value("nom") or "Feuille de route sans nom", porteur, perimetre])
        )

    def to_input(self) -> feuilles_services.FeuilleInput:
        d = self.cleaned_data
        return feuilles_services.FeuilleInput(
            id=d.get("id"),
            nom=d["nom"],
            porteur_key=d["porteur"],
            perimetre=d["perimetre"],
            epci_codes=list(d.get("epcis") or []),
            contrat_preexistant={
                "oui": d.get("contrat_preexistant") or "",
                "non": ContratPreexistant.AUCUN,
            }.get(d.get("contrat"), ""),
            contrat_description=d.get("contrat_description") or "",
        )


class FeuilleCreationForm(FeuilleForm):
    """The first save: the members are typed on the same page, so the porteur is searched like a
    member (the formset then checks it is one of them)."""

    porteur = forms.CharField(
        label="Porteur",
        max_length=300,
        help_text=f"Une collectivité membre de la gouvernance, ou « {PORTEE_PAR_PREFECTURE_LABEL} ».",
        error_messages={"required": "Choisissez le porteur de la feuille de route."},
    )

    def __init__(self, *args, resolver: MembreResolver, **kwargs):
        super().__init__(*args, **kwargs)
        self.resolver = resolver
        self.fields["porteur"].widget = TerritoireSearchInput(
            ALL_TYPES, departement=resolver.departement.code, candidats=PORTEURS_SUGGESTIONS
        )

    def clean_porteur(self):
        return self.resolver.porteur_key(self.cleaned_data["porteur"])


class BaseFeuilleFormSet(BaseRowsFormSet):
    departement = None
    membre_keys: dict[str, bool] = {}

    def clean(self):
        if any(self.errors):
            return
        kept = self.kept_forms()
        errors = feuilles_services.feuilles_errors(
            departement=self.departement, feuilles=[f.to_input() for f in kept], membre_keys=self.membre_keys
        )
        for index, by_field in errors.items():
            if index == -1:
                raise ValidationError(by_field["__all__"])
            for name, message in by_field.items():
                kept[index].add_error(name, message)


FeuilleFormSet = bounded_formset(
    FeuilleForm, formset=BaseFeuilleFormSet, most=FEUILLES_MAX, extra=1, can_delete=True
)
FeuilleCreationFormSet = bounded_formset(
    FeuilleCreationForm, formset=BaseFeuilleFormSet, most=FEUILLES_MAX, extra=1, can_delete=True
)


class CoordinationForm(RowForm):
    structure_nom = forms.CharField(label="Structure ou collectivité recruteuse", max_length=200)
    structure_siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres")
    nombre_postes = forms.IntegerField(
        label="Nombre de postes de coordinateur demandés",
        min_value=1,
        max_value=POSTES_MAX,
        error_messages={
            "min_value": "Indiquez au moins un poste.",
            "max_value": f"Indiquez au plus {POSTES_MAX} postes.",
            "invalid": "Indiquez un nombre entier.",
        },
    )

    def clean_structure_siret(self):
        value = self.cleaned_data["structure_siret"]
        validate_siret(value)
        return normalize_siret(value)

    def to_input(self) -> services.CoordinationInput:
        d = self.cleaned_data
        return services.CoordinationInput(
            structure_nom=d["structure_nom"],
            structure_siret=d["structure_siret"],
            nombre_postes=d["nombre_postes"],
        )


CoordinationFormSet = bounded_formset(
    CoordinationForm, formset=BaseRowsFormSet, most=COORDINATIONS_MAX, extra=1, can_delete=True
)


class NoteContexteForm(FneBaseForm):
    note_contexte = forms.CharField(
        label="Note de contexte",
        required=False,
        max_length=NOTE_CONTEXTE,
        help_text="Éléments qualitatifs sur la gouvernance et le territoire. Cette note n'est jamais publiée.",
        widget=forms.Textarea(attrs={"rows": 10, "data-note-source": "true"}),
    )

    def to_input(self) -> str:
        return self.cleaned_data["note_contexte"]


# --- Building the pages' forms ----------------------------------------------------------------------

CONTACT_NAMES = [
    f"{p}_{a}" for p in ("referent", "suppleant") for a in ("prenom", "nom", "fonction", "email")
]


def _membre_initial(membre, candidat: Candidat | None) -> dict:
    """A member's row as stored; contacts never given are pre-filled from its own form."""
    initial = {"id": membre.pk, **{name: getattr(membre, name) for name in CONTACT_NAMES}}
    if candidat is not None and not any(initial[name] for name in CONTACT_NAMES):
        initial.update(candidat.contacts)
    return initial


def _key_is_collectivite(key: str) -> bool:
    return key.split(":", 1)[0] in TypeCollectivite.values


class GouvernanceForms:
    """The first save: the seven sections on one page, validated together."""

    def __init__(self, data=None, *, departement, candidats: list[Candidat], epci_choices):
        self.departement = departement
        self.resolver = MembreResolver(departement=departement, candidats=candidats)
        self.sous_prefet = SousPrefetForm(data, prefix="sous_prefet")
        self.membres = MembreFormSet(
            data,
            prefix="membres",
            form_kwargs={"resolver": self.resolver, "with_coporteur": True},
        )
        self.coporteurs = PasDeCoporteurForm(data, prefix="coporteurs")
        self.comites = ComiteFormSet(data, prefix="comites")
        self.feuilles = FeuilleCreationFormSet(
            data,
            prefix="feuilles",
            form_kwargs={"resolver": self.resolver, "epci_choices": epci_choices},
        )
        self.feuilles.departement = departement
        self.coordination = CoordinationFormSet(data, prefix="coordination")
        self.note = NoteContexteForm(data, prefix="note")

    def summary_forms(self) -> list:
        """The forms of the page, in its order, for the error summary at its top."""
        return [
            self.sous_prefet,
            self.membres,
            self.coporteurs,
            self.comites,
            self.feuilles,
            self.coordination,
            self.note,
        ]

    def is_valid(self) -> bool:
        valid = all(
            [
                self.sous_prefet.is_valid(),
                self.membres.is_valid(),
                self.coporteurs.is_valid(),
                self.comites.is_valid(),
                self.coordination.is_valid(),
                self.note.is_valid(),
            ]
        )
        membre_keys = {}
        if self.membres.is_valid():
            rows = self.membres.to_input()
            # Any collectivité member may carry a feuille de route; a structure may not.
            membre_keys = {m.key: _key_is_collectivite(m.key) for m in rows if m.key}
            coporteurs = [m for m in rows if m.est_coporteur and _key_is_collectivite(m.key)]
            if any(m.est_coporteur and not _key_is_collectivite(m.key) for m in rows):
                self.coporteurs.add_error(None, "Seules les collectivités peuvent être co-porteurs.")
                valid = False
            error = services.coporteur_error(
                nb_coporteurs=len(coporteurs),
                pas_de_coporteur=bool(
                    self.coporteurs.is_valid() and self.coporteurs.cleaned_data["pas_de_coporteur"]
                ),
            )
            if error:
                self.coporteurs.add_error("pas_de_coporteur", error)
                valid = False
        self.feuilles.membre_keys = membre_keys
        return self.feuilles.is_valid() and valid

    def to_input(self) -> services.GouvernanceInput:
        return services.GouvernanceInput(
            sous_prefet=self.sous_prefet.to_input(),
            membres=self.membres.to_input(),
            pas_de_coporteur=self.coporteurs.cleaned_data["pas_de_coporteur"],
            comites=self.comites.to_input(),
            feuilles=self.feuilles.to_input(),
            coordinations=self.coordination.to_input(),
            note_contexte=self.note.to_input(),
        )


def section_form(section, data=None, *, contenu, candidats=None, epci_choices=()):
    """The form (or formset) of one section, filled with what is saved."""
    from .enums import Section

    g = contenu.gouvernance
    if section == Section.SOUS_PREFET:
        return SousPrefetForm(
            data,
            initial={"prenom": g.sous_prefet_prenom, "nom": g.sous_prefet_nom, "email": g.sous_prefet_email},
        )
    if section == Section.MEMBRES:
        candidats = candidats or []
        by_key = {c.key: c for c in candidats}
        return MembreFormSet(
            data,
            prefix="membres",
            initial=[_membre_initial(m, by_key.get(m.key)) for m in contenu.membres],
            form_kwargs={
                "resolver": MembreResolver(departement=g.departement, candidats=candidats),
                "labels": {m.pk: m.label for m in contenu.membres},
            },
        )
    if section == Section.COPORTEURS:
        return CoporteursForm(
            data,
            initial={
                "coporteurs": [m.key for m in contenu.coporteurs],
                "pas_de_coporteur": g.pas_de_coporteur,
            },
            membre_choices=[(m.key, m.nom) for m in contenu.membres if not m.is_structure],
        )
    if section == Section.COMITOLOGIE:
        return ComiteFormSet(
            data,
            prefix="comites",
            initial=[
                {
                    "type": c.type,
                    "type_precision": c.type_precision,
                    "frequence": c.frequence,
                    "composition": c.composition,
                    "role": c.role,
                }
                for c in contenu.comites
            ],
        )
    if section == Section.FEUILLES_DE_ROUTE:
        formset = FeuilleFormSet(
            data,
            prefix="feuilles",
            initial=[
                {
                    "id": f.pk,
                    "nom": f.nom,
                    "porteur": f.porteur_membre.key
                    if f.porteur_membre
                    else feuilles_services.PORTEE_PAR_PREFECTURE,
                    "perimetre": f.perimetre,
                    "epcis": [e.code for e in f.epcis_list],
                    # « Aucun » is « Non »; an unanswered contract stays unanswered.
                    "contrat": {"": "", ContratPreexistant.AUCUN: "non"}.get(f.contrat_preexistant, "oui"),
                    "contrat_preexistant": ""
                    if f.contrat_preexistant == ContratPreexistant.AUCUN
                    else f.contrat_preexistant,
                    "contrat_description": f.contrat_description,
                }
                for f in contenu.feuilles
            ],
            form_kwargs={
                "porteur_choices": [(m.key, m.label) for m in contenu.membres if m.peut_porter],
                "epci_choices": epci_choices,
            },
        )
        formset.departement = g.departement
        formset.membre_keys = {m.key: m.peut_porter for m in contenu.membres}
        return formset
    if section == Section.COORDINATION:
        return CoordinationFormSet(
            data,
            prefix="coordination",
            initial=[
                {
                    "structure_nom": c.structure_nom,
                    "structure_siret": c.structure_siret,
                    "nombre_postes": c.nombre_postes,
                }
                for c in contenu.coordinations
            ],
        )
    return NoteContexteForm(data, initial={"note_contexte": g.note_contexte})
