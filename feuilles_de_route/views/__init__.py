"""The feuille de route editor: thin views over perms (access), selectors (reads), services (writes)."""

from .fichiers import PDF_RATE, copie_deposer, copie_telecharger, pdf_demander, pdf_etat, pdf_telecharger
from .page import editeur, feuille_list
from .redaction import (
    axe_edit,
    axe_supprimer,
    diagnostic_mise_a_jour,
    fiche_edit,
    fiche_supprimer,
    historique,
    inviter,
    section_edit,
    signataire_supprimer,
    signataires,
    soumettre,
    statut,
)

__all__ = [
    "PDF_RATE",
    "axe_edit",
    "axe_supprimer",
    "copie_deposer",
    "copie_telecharger",
    "diagnostic_mise_a_jour",
    "editeur",
    "feuille_list",
    "fiche_edit",
    "fiche_supprimer",
    "historique",
    "inviter",
    "pdf_demander",
    "pdf_etat",
    "pdf_telecharger",
    "section_edit",
    "signataire_supprimer",
    "signataires",
    "soumettre",
    "statut",
]
