from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction

from territoires.models import Departement, Region

from .enums import Role
from .models import User


@transaction.atomic
def account_create_or_update(
    *,
    email: str,
    role: Role | str,
    departement: Departement | None = None,
    region: Region | None = None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> tuple[User, bool]:
    """Create (or bring up to date) an account with its role and scope; its e-mail is verified.

    Returns the user and whether it was created. A password is set only when one is given, so a
    second run never resets what the person chose.
    """
    role = Role(role)
    if role == Role.PREFECTURE and departement is None:
        raise ValidationError("Un compte préfecture de département doit avoir un département.")
    if role == Role.PREFECTURE_REGION and region is None:
        raise ValidationError("Un compte préfecture de région doit avoir une région.")
    email = email.strip().lower()
    user, created = User.objects.get_or_create(email=email)
    user.role = role
    user.departement = departement if role == Role.PREFECTURE else None
    user.region = region if role == Role.PREFECTURE_REGION else None
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    if first_name:
        user.first_name = first_name
    if last_name:
        user.last_name = last_name
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user, created
