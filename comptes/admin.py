from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import DemandeRole, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "role",
        "departement",
        "region",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "region"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["departement", "region"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Rôle et périmètre", {"fields": ("role", "departement", "region")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "departement", "region", "password1", "password2"),
            },
        ),
    )


@admin.register(DemandeRole)
class DemandeRoleAdmin(admin.ModelAdmin):
    """Read-only here: requests are decided from the platform's list (comptes:demandes), which
    grants the role through the service and tells the person."""

    list_display = [
        "demandeur",
        "role",
        "departement",
        "region",
        "service",
        "adresse_probable",
        "statut",
        "created_at",
    ]
    list_filter = ["statut", "role", "adresse_probable"]
    search_fields = ["demandeur__email", "service"]
    readonly_fields = [f.name for f in DemandeRole._meta.fields]

    def has_add_permission(self, request):
        return False
