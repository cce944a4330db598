"""Forms of the subventions pages. They parse what the user typed (French amounts, the chosen
action, the bénéficiaires' amounts); the rules themselves are checked by services.py, whose
errors come back next to the fields (`apply_service_error`)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from besoins.enums import ITEMS_BY_CATEGORIE
from core.forms import FneBaseForm
from core.versioning import VersionedFormMixin

from .enums import Instruction
from .models import CONTEXTE_MAX
from .services import DemandeInput, NouvelleAction

NOUVELLE = "nouvelle"
MONTANT_MAX = Decimal("9999999999.99")


class MontantField(forms.Field):
    """An amount in euros typed the French way (« 12 500,50 », « 12500.5 »); two decimals at most."""

    MAX_LENGTH = 20

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "maxlength": self.MAX_LENGTH}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value or "").strip()
        if len(text) > self.MAX_LENGTH:
            raise ValidationError("Saisissez un montant en euros, par exemple 12 500,50.", code="max_length")
        text = (
            text.replace("\u202f", "")
            .replace("\u00a0", "")
            .replace(" ", "")
            .replace("€", "")
            .replace(",", ".")
        )
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(
                "Saisissez un montant en euros, par exemple 12 500,50.", code="invalid"
            ) from None
        if not number.is_finite():
            raise ValidationError("Saisissez un montant en euros, par exemple 12 500,50.", code="invalid")
        if number.as_tuple().exponent < -2:
            raise ValidationError("Indiquez au plus deux décimales (les centimes).", code="decimals")
        if abs(number) > MONTANT_MAX:
            raise ValidationError("Ce montant est trop élevé.", code="max")
        return number


def french_input(value) -> str:
    """How a stored amount is shown in an input: « 12500,5 »."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


class ServiceErrorsMixin:
    """Errors from a service: on their field when the form has it, else kept by key for the page
    (the bénéficiaires' table), else on the whole form."""

    def apply_service_error(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, messages in exc.message_dict.items():
            if key in self.fields:
                self.add_error(key, messages)
            elif key in self.extra_error_keys:
                self.extra_errors.setdefault(key, []).extend(messages)
            else:
                self.add_error(None, messages)

    extra_error_keys: tuple[str, ...] = ()

    @property
    def extra_errors(self) -> dict[str, list[str]]:
        if not hasattr(self, "_extra_errors"):
            self._extra_errors = {}
        return self._extra_errors


class NoteForm(VersionedFormMixin, FneBaseForm):
    texte = forms.CharField(
        label="Note de contexte des subventions",
        max_length=50_000,
        help_text="Au moins 100 caractères de texte : le contexte des demandes du département, lu par l'ANCT avec chacune.",
        widget=forms.Textarea(attrs={"rows": 10, "data-note-source": "true"}),
    )


def _besoins_choices() -> list:
    return [
        (categorie.label, [(item.value, item.label) for item in items])
        for categorie, items in ITEMS_BY_CATEGORIE.items()
    ]


class DemandeForm(ServiceErrorsMixin, VersionedFormMixin, FneBaseForm):
    """A demande of the ingénierie fund. `choix`: selectors.form_choices; `membres`: the
    gouvernance's members (one amount field each: an amount makes the member a bénéficiaire)."""

    extra_error_keys = ("beneficiaires", "feuille_de_route")

    action = forms.ChoiceField(
        label="Action financée",
        help_text="Une fiche action d'une feuille de route de la gouvernance, ou une nouvelle action.",
    )
    nouvelle_action_axe = forms.ChoiceField(
        label="Axe prioritaire de la nouvelle action",
        required=False,
        help_text="La nouvelle action devient une fiche action de cet axe, dans la version en cours du document.",
    )
    nouvelle_action_nom = forms.CharField(label="Nom de la nouvelle action", max_length=250, required=False)
    besoins = forms.MultipleChoiceField(
        label="Besoins en ingénierie auxquels répond la demande",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Indiquez au moins un besoin en ingénierie auquel répond la demande."},
    )
    contexte = forms.CharField(
        label="Contexte",
        max_length=CONTEXTE_MAX,
        help_text="3 000 caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": CONTEXTE_MAX}),
        error_messages={
            "max_length": "Le contexte compte au plus 3 000 caractères (le vôtre en compte %(show_value)d)."
        },
    )
    description = forms.CharField(
        label="Description de l'action",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "data-note-source": "true"}),
    )
    budget_global = MontantField(label="Budget global de l'action (€)")
    budget_fichier = forms.FileField(
        label="Budget prévisionnel",
        required=False,
        help_text="PDF, JPEG ou PNG, 40 Mo au plus. Après une erreur, joignez de nouveau le fichier : un navigateur ne le conserve pas.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )
    subvention_demandee = MontantField(
        label="Subvention demandée (€)", help_text="Au plus le budget global et la dotation restante."
    )
    montant_rh = MontantField(label="dont ressources humaines (€)")
    montant_prestations = MontantField(label="dont prestations (€)")

    def __init__(self, *args, choix=(), membres=(), fiche_actuelle=None, **kwargs):
        """`fiche_actuelle`: the fiche action of the demande being edited, kept among the choices
        even when it belongs to an earlier version of the document."""
        super().__init__(*args, **kwargs)
        self.membres = list(membres)
        self.feuille_of_fiche: dict[str, int] = {}
        self.feuille_of_axe: dict[str, int] = {}
        actions, axes = [], []
        for c in choix:
            options = []
            for fiche in c.fiches:
                self.feuille_of_fiche[str(fiche.pk)] = c.feuille.pk
                options.append((str(fiche.pk), fiche.nom))
            if options:
                actions.append((c.feuille.nom, options))
            axe_options = []
            if c.document is not None and not c.document.est_fige:
                for axe in c.axes:
                    self.feuille_of_axe[str(axe.pk)] = c.feuille.pk
                    axe_options.append((str(axe.pk), axe.nom))
            if axe_options:
                axes.append((c.feuille.nom, axe_options))
        if fiche_actuelle is not None and str(fiche_actuelle.pk) not in self.feuille_of_fiche:
            self.feuille_of_fiche[str(fiche_actuelle.pk)] = fiche_actuelle.axe.document.feuille_de_route_id
            actions.append(("Version précédente du document", [(str(fiche_actuelle.pk), fiche_actuelle.nom)]))
        self.fields["action"].choices = [
            ("", "Choisissez une action"),
            *actions,
            (NOUVELLE, "Nouvelle action (à créer)"),
        ]
        self.fields["nouvelle_action_axe"].choices = [("", "Choisissez un axe"), *axes]
        self.fields["besoins"].choices = _besoins_choices()
        for membre in self.membres:
            self.fields[self.membre_field(membre)] = MontantField(
                label=f"Montant pour « {membre.nom} » (€)", required=False
            )
        for field in self.fields.values():
            if not hasattr(field.widget, "group_class"):
                field.widget.group_class = "fr-input-group"

    @staticmethod
    def membre_field(membre) -> str:
        return f"beneficiaire_{membre.pk}"

    def beneficiaire_rows(self) -> list:
        return [(membre, self[self.membre_field(membre)]) for membre in self.membres]

    def to_input(self) -> DemandeInput:
        d = self.cleaned_data
        action = d.get("action")
        nouvelle = None
        fiche_id = feuille_id = None
        if action == NOUVELLE:
            axe = d.get("nouvelle_action_axe") or ""
            nouvelle = NouvelleAction(axe_id=int(axe) if axe else None, nom=d.get("nouvelle_action_nom", ""))
            feuille_id = self.feuille_of_axe.get(axe)
        elif action:
            fiche_id = int(action)
            feuille_id = self.feuille_of_fiche.get(action)
        beneficiaires = tuple(
            (membre.pk, d.get(self.membre_field(membre)))
            for membre in self.membres
            if d.get(self.membre_field(membre)) is not None
        )
        return DemandeInput(
            feuille_id=feuille_id,
            fiche_id=fiche_id,
            nouvelle_action=nouvelle,
            besoins=tuple(d.get("besoins") or ()),
            contexte=d.get("contexte", ""),
            description=d.get("description", ""),
            budget_global=d.get("budget_global"),
            subvention_demandee=d.get("subvention_demandee"),
            montant_rh=d.get("montant_rh"),
            montant_prestations=d.get("montant_prestations"),
            beneficiaires=beneficiaires,
        )

    def apply_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            remapped = {}
            for key, messages in exc.message_dict.items():
                # The feuille de route follows from the chosen action on this page.
                remapped.setdefault(
                    "action" if key in ("feuille_de_route", "fiche_action") else key, []
                ).extend(messages)
            exc = ValidationError(remapped)
        super().apply_service_error(exc)


def initial_for(demande) -> dict:
    """A stored demande as the form's initial data."""
    initial = {
        "version": demande.version,
        "action": str(demande.fiche_action_id or ""),
        "besoins": [b.item for b in demande.besoins.all()],
        "contexte": demande.contexte,
        "description": demande.description,
        "budget_global": french_input(demande.budget_global),
        "subvention_demandee": french_input(demande.subvention_demandee),
        "montant_rh": french_input(demande.montant_rh),
        "montant_prestations": french_input(demande.montant_prestations),
    }
    for b in demande.beneficiaires.all():
        initial[f"beneficiaire_{b.membre_id}"] = french_input(b.montant)
    return initial


class FormationForm(ServiceErrorsMixin, VersionedFormMixin, FneBaseForm):
    membre = forms.ChoiceField(
        label="Membre bénéficiaire du fonds de formation",
        help_text="Un seul membre de la gouvernance reçoit le montant fixe du fonds de formation.",
    )

    def __init__(self, *args, membres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membre"].choices = [("", "Choisissez un membre"), *((str(m.pk), m.nom) for m in membres)]


class InstructionForm(ServiceErrorsMixin, FneBaseForm):
    decision = forms.ChoiceField(label="Décision", choices=Instruction.choices, widget=forms.RadioSelect)
    commentaire = forms.CharField(
        label="Commentaire pour la préfecture ou motif du rejet",
        help_text="Obligatoire pour demander une modification (envoyé par e-mail à la préfecture) ou pour rejeter.",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 3000}),
    )
