"""Main menu entries, by role. One function so that every page shows the same menu."""

from dataclasses import dataclass

from django.urls import reverse

from comptes import perms


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    # A home page ("/", "/departements/58/") is active only on itself, not on the pages below it.
    exact: bool = False

    def is_active(self, path: str) -> bool:
        if self.exact or self.url == "/":
            return path == self.url
        return path.startswith(self.url)


def _donnees(user) -> NavItem:
    """Public data dashboards: a préfecture lands on its département's, everyone else on the nation's."""
    if user.is_authenticated and perms.is_prefecture(user):
        return NavItem("Données", reverse("diagnostic:departement", kwargs={"code": user.departement_id}))
    return NavItem("Données", reverse("diagnostic:national"))


def items_for(request) -> list[dict]:
    user = request.user
    items = [NavItem("Accueil", reverse("espace:home"))]
    if not user.is_authenticated or not (
        perms.is_national(user) or perms.is_prefecture(user) or perms.is_prefecture_region(user)
    ):
        # Visitors and collectivité/structure users: the public interest form.
        items.append(NavItem("Gouvernance", reverse("candidatures:entree")))
    if user.is_authenticated:
        if perms.is_national(user):
            items.append(NavItem("National", reverse("national:tableau_de_bord")))
            items.append(NavItem("Départements", reverse("espace:departements")))
            items.append(NavItem("Besoins (national)", reverse("besoins:national")))
            items.append(NavItem("Subventions (national)", reverse("subventions:national")))
        elif user.region_id and perms.is_prefecture_region(user):
            items.append(NavItem("Départements de la région", reverse("espace:departements")))
        elif user.departement_id and perms.is_prefecture(user):
            items.append(
                NavItem(
                    "Mon département",
                    reverse("espace:departement", kwargs={"code": user.departement_id}),
                    exact=True,
                )
            )
            items.append(
                NavItem("Candidats", reverse("candidatures:liste", kwargs={"code": user.departement_id}))
            )
            items.append(
                NavItem("Gouvernance", reverse("gouvernances:detail", kwargs={"code": user.departement_id}))
            )
            items.append(
                NavItem("Besoins", reverse("besoins:synthese", kwargs={"code": user.departement_id}))
            )
            items.append(
                NavItem("Subventions", reverse("subventions:page", kwargs={"code": user.departement_id}))
            )
    items.append(_donnees(user))
    if user.is_authenticated and user.is_staff:
        items.append(NavItem("Administration", reverse("admin:index")))
    # One entry is current: the most specific one (« Besoins (national) » over « National »).
    matching = [i for i in items if i.is_active(request.path)]
    current = max(matching, key=lambda i: len(i.url), default=None)
    return [{"label": i.label, "url": i.url, "active": i is current} for i in items]
