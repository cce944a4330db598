"""Role requests: the person asks, an administrator decides (access rules in perms.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.breadcrumbs import breadcrumb

from . import perms, selectors, services
from .enums import StatutDemande
from .forms import DecisionForm, DemandeRoleForm

DEMANDES_PAR_PAGE = 50


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def demande_role(request):
    """A signed-in person asks for a préfecture role; the page shows their requests."""
    user = request.user
    perms.or_404(perms.can_request_role(user))
    demandes = selectors.demandes_of(user=user)
    en_attente = next((d for d in demandes if d.en_attente), None)
    form = DemandeRoleForm(request.POST or None) if en_attente is None else None
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.demande_role_create(
                    user=user,
                    role=d["role"],
                    departement=d["departement"],
                    region=d["region"],
                    service=d["service"],
                    fonction=d["fonction"],
                    message=d["message"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Votre demande est enregistrée : un administrateur va la traiter.")
                return redirect("comptes:demande_role")
        status = 400
    return render(
        request,
        "comptes/demande_role.html",
        {
            "form": form,
            "demandes": demandes,
            "en_attente": en_attente,
            "page_title": "Demander un rôle de préfecture",
            "breadcrumb_data": breadcrumb(current="Demander un rôle de préfecture"),
        },
        status=status,
    )


def _demandes_page(request, *, erreur_pk=None, erreur_form=None, status=200):
    statut = request.GET.get("statut") or StatutDemande.EN_ATTENTE
    if statut not in StatutDemande.values and statut != "toutes":
        statut = StatutDemande.EN_ATTENTE
    queryset = selectors.demandes_for_admin(user=request.user, statut=None if statut == "toutes" else statut)
    page = Paginator(queryset, DEMANDES_PAR_PAGE).get_page(request.GET.get("page"))
    for demande in page:
        demande.decision_form = (
            erreur_form if demande.pk == erreur_pk else DecisionForm(prefix=f"d{demande.pk}")
        )
    return render(
        request,
        "comptes/demandes.html",
        {
            "page_obj": page,
            "statut": statut,
            "statuts": [(s.value, s.label) for s in StatutDemande] + [("toutes", "Toutes")],
            "page_title": "Demandes de rôle",
            "breadcrumb_data": breadcrumb(current="Demandes de rôle"),
        },
        status=status,
    )


@require_GET
def demandes(request):
    perms.or_404(perms.can_decide_role_requests(request.user))
    return _demandes_page(request)


@require_POST
def decider(request, pk):
    perms.or_404(perms.can_decide_role_requests(request.user))
    demande = get_object_or_404(selectors.demandes_for_admin(user=request.user), pk=pk)
    form = DecisionForm(request.POST, prefix=f"d{demande.pk}")
    if form.is_valid():
        try:
            services.demande_role_decide(
                demande=demande,
                admin=request.user,
                approuver=form.cleaned_data["decision"] == "approuver",
                motif=form.cleaned_data["motif_refus"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            if form.non_field_errors():
                # Decided meanwhile (another tab, another administrator): the row has left the
                # pending list, so the refusal is said at the top of the page.
                messages.error(request, " ".join(form.non_field_errors()))
        else:
            verbe = "approuvée" if form.cleaned_data["decision"] == "approuver" else "refusée"
            messages.success(
                request,
                f"Demande de {demande.demandeur.email} {verbe} : la personne est prévenue par courriel.",
            )
            return redirect("comptes:demandes")
    return _demandes_page(request, erreur_pk=demande.pk, erreur_form=form, status=400)
