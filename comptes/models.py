from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel

from .enums import Role, StatutDemande


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address; the role decides the scope (see perms.py)."""

    username = None
    email = models.EmailField("adresse e-mail", unique=True)
    role = models.CharField("rôle", max_length=32, choices=Role.choices, default=Role.STRUCTURE)
    departement = models.ForeignKey(
        "territoires.Departement",
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        help_text="Pour une préfecture de département.",
    )
    region = models.ForeignKey(
        "territoires.Region",
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agents",
        help_text="Pour une préfecture de région.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.CheckConstraint(
                name="prefecture_has_departement",
                condition=~Q(role=Role.PREFECTURE) | Q(departement__isnull=False),
            ),
            models.CheckConstraint(
                name="prefecture_region_has_region",
                condition=~Q(role=Role.PREFECTURE_REGION) | Q(region__isnull=False),
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class DemandeRole(TimeStampedModel):
    """A signed-in person asks for a préfecture role (département) or a préfecture de région role
    (région), naming their service; an administrator approves or refuses it. An address on the
    State's domain of the département (« @nievre.gouv.fr ») is shown as a hint, never a grant."""

    demandeur = models.ForeignKey(
        "comptes.User", verbose_name="demandeur", on_delete=models.CASCADE, related_name="demandes_role"
    )
    role = models.CharField("rôle demandé", max_length=32, choices=Role.choices)
    departement = models.ForeignKey(
        "territoires.Departement",
        verbose_name="département",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demandes_role",
    )
    region = models.ForeignKey(
        "territoires.Region",
        verbose_name="région",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demandes_role",
    )
    service = models.CharField("service", max_length=200)
    fonction = models.CharField("fonction", max_length=200, blank=True)
    message = models.TextField("message à l'administrateur", blank=True, max_length=2000)
    adresse_probable = models.BooleanField(
        "adresse sur le domaine de l'État du territoire",
        default=False,
        help_text="Un indice pour l'administrateur, jamais une autorisation.",
    )
    statut = models.CharField(
        "statut", max_length=16, choices=StatutDemande.choices, default=StatutDemande.EN_ATTENTE
    )
    motif_refus = models.TextField("motif du refus", blank=True, max_length=2000)
    traitee_par = models.ForeignKey(
        "comptes.User",
        verbose_name="traitée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_role_traitees",
    )
    traitee_le = models.DateTimeField("traitée le", null=True, blank=True)
    courriel_envoye_le = models.DateTimeField("décision envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de rôle"
        verbose_name_plural = "demandes de rôle"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["demandeur"],
                condition=Q(statut=StatutDemande.EN_ATTENTE),
                name="une_demande_en_attente_par_personne",
            ),
            models.CheckConstraint(
                name="demande_prefecture_a_un_departement",
                condition=Q(role=Role.PREFECTURE, departement__isnull=False, region__isnull=True)
                | Q(role=Role.PREFECTURE_REGION, region__isnull=False, departement__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.demandeur} — {self.get_role_display()} {self.territoire}"

    @property
    def territoire(self):
        return self.departement if self.role == Role.PREFECTURE else self.region

    @property
    def en_attente(self) -> bool:
        return self.statut == StatutDemande.EN_ATTENTE
