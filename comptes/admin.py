from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


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
