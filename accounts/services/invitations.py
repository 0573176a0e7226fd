"""Invitations: an owner invites a person by e-mail; the link (whose token is stored only as a digest) lets them
join after signing up or logging in.

The link is the capability: whoever holds it may join, as with any e-mailed invitation. It expires after
`INVITATION_LIFETIME`, works once, and an owner can revoke it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.keys import digest, new_secret
from accounts.models import Household, Invitation, Membership, Preferences, User

from .households import forget_cached_household, household_create_for_user, lock_household, require_owner

logger = logging.getLogger(__name__)

INVITATION_LIFETIME = timedelta(days=7)
MAX_OPEN_INVITATIONS = 20


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    url: str  # holds the plaintext token: shown to the owner once and e-mailed, never stored


def invitation_url(token: str, base_url: str) -> str:
    return urljoin(base_url, reverse("invitation_accept", kwargs={"token": token}))


def _open_invitations(household: Household):
    return Invitation.objects.filter(
        household=household, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def invitation_create(
    *, household: Household, invited_by: User, email: str, role: str, base_url: str
) -> IssuedInvitation:
    """Invite `email` to `household` (owners only) and e-mail the link once the invitation is committed.

    Inviting the same address again replaces its earlier open invitation."""
    require_owner(invited_by, household)
    email = email.strip().lower()
    validate_email(email)
    if role not in Membership.Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if Membership.objects.filter(household=household, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member of {household}.")
    open_invitations = _open_invitations(household)
    open_invitations.filter(email__iexact=email).update(revoked_at=timezone.now())
    if open_invitations.count() >= MAX_OPEN_INVITATIONS:
        raise ValidationError(f"{household} already has {MAX_OPEN_INVITATIONS} open invitations; revoke some first.")
    token = new_secret()
    invitation = Invitation.objects.create(
        household=household,
        email=email,
        role=role,
        token_hash=digest(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    url = invitation_url(token, base_url)
    transaction.on_commit(lambda: _send_invitation_email(invitation, url))
    return IssuedInvitation(invitation=invitation, url=url)


def _send_invitation_email(invitation: Invitation, url: str) -> None:
    context = {"invitation": invitation, "url": url, "inviter": invitation.invited_by}
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation_message.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email])
    except OSError:
        # The owner was shown the link and can pass it on; a mail outage must not fail their request.
        logger.exception("could not e-mail invitation %s", invitation.pk)


def _revoke(invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """An owner withdraws an invitation (a used one stays used)."""
    require_owner(actor, invitation.household)
    return _revoke(invitation)


@transaction.atomic
def invitation_revoke_by_operator(invitation: Invitation) -> Invitation:
    """An operator (Django admin) withdraws an invitation."""
    return _revoke(invitation)


def _lock_open_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("household", "invited_by")
        .filter(token_hash=digest(token))
        .first()
    )
    return invitation if invitation is not None and invitation.is_open else None


def _join(user: User, invitation: Invitation) -> Household:
    Membership.objects.create(user=user, household=invitation.household, role=invitation.role)
    Preferences.objects.get_or_create(user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_cached_household(user)
    inviter = invitation.invited_by
    if inviter is not None and Membership.objects.filter(user=inviter, household=invitation.household).exists():
        from insights.notifications import notify_user

        notify_user(
            inviter,
            kind="household_member_joined",
            title=f"{user.get_full_name()} joined {invitation.household}",
            link=reverse("accounts:settings") + "#household",
            household=invitation.household,
        )
    return invitation.household


@transaction.atomic
def user_onboard(user: User, *, invitation_token: str | None = None) -> Household:
    """Right after sign-up: join the household the person was invited to, or else give them their own."""
    if invitation_token:
        invitation = _lock_open_invitation(invitation_token)
        if invitation is not None and not Membership.objects.filter(user=user).exists():
            return _join(user, invitation)
    return household_create_for_user(user)


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Household:
    """Move an existing person into the household they were invited to.

    Their current household is left; when nobody else is in it, it is deleted with its data (the acceptance page
    says so before they confirm). The last owner of a household with other members cannot leave it."""
    invitation = _lock_open_invitation(token)
    if invitation is None:
        raise ValidationError("This invitation is no longer valid: it expired, was revoked or was already used.")
    current = Membership.objects.select_related("household").filter(user=user).first()
    if current is not None and current.household_id == invitation.household_id:
        raise ValidationError(f"You are already a member of {invitation.household}.")
    if current is not None:
        old_household = lock_household(current.household)
        others = Membership.objects.filter(household=old_household).exclude(pk=current.pk)
        if current.is_owner and others.exists() and not others.filter(role=Membership.Role.OWNER).exists():
            raise ValidationError(
                f"You are the last owner of {old_household}: make another member an owner before you leave it."
            )
        current.delete()
        if not others.exists():
            old_household.delete()
    return _join(user, invitation)
