"""Access to the national pages (STYLE §4). The national roles come from comptes.perms.

Decision on the follow-up notes (DESIGN §1 and §9): they are ANCT's internal notes and may name
problems with a préfecture, while the démo account is shown to partners in presentations. So the
notes are read and written by administrators only; the démo account sees every other national
page read-only, without the notes; préfectures and everyone else never reach a national page (404).
"""

from comptes import perms as comptes_perms

require_national = comptes_perms.require_national


def can_read_suivi(user) -> bool:
    return comptes_perms.is_admin(user)
