"""Households: roles, invitations (link with a hashed token), joining after sign-up or login, removing members,
and the last-owner rule."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.keys import digest
from accounts.models import Household, Invitation, Membership, User
from accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_leave,
    membership_remove,
    membership_set_role,
)
from accounts.tests.factories import UserFactory
from insights.models import Notification

pytestmark = pytest.mark.django_db

BASE_URL = "http://testserver/"


def _invite(owner, email="friend@example.com", role=Membership.Role.MEMBER):
    return invitation_create(
        household=owner.membership.household, invited_by=owner, email=email, role=role, base_url=BASE_URL
    )


def _token(issued) -> str:
    return issued.url.rstrip("/").rsplit("/", 1)[-1]


def _join(owner, person, role=Membership.Role.MEMBER) -> Membership:
    invitation_accept(token=_token(_invite(owner, person.email, role)), user=person)
    return Membership.objects.get(user=person)


# --- invitations ----------------------------------------------------------------------------------------------------


def test_an_invitation_stores_only_a_digest_of_its_token_and_emails_the_link(
    django_capture_on_commit_callbacks, member
):
    with django_capture_on_commit_callbacks(execute=True):
        issued = _invite(member, "Friend@Example.com")

    invitation = Invitation.objects.get()
    token = _token(issued)
    assert invitation.email == "friend@example.com"
    assert invitation.token_hash == digest(token)
    assert token not in invitation.token_hash
    assert issued.url == f"http://testserver/accounts/invitations/{token}/"
    assert mail.outbox[-1].to == ["friend@example.com"]
    assert issued.url in mail.outbox[-1].body
    assert invitation.expires_at - timezone.now() > timedelta(days=6)


def test_only_owners_invite(member, other_member):
    plain_member = _join(member, other_member).user

    with pytest.raises(PermissionDenied):
        _invite(plain_member, "someone@example.com")


def test_members_are_not_invited_again(member, other_member):
    _join(member, other_member)

    with pytest.raises(ValidationError, match="already a member"):
        _invite(member, other_member.email.upper())


def test_inviting_the_same_address_again_replaces_the_open_invitation(member):
    first = _invite(member)
    _invite(member)

    with pytest.raises(ValidationError, match="no longer valid"):
        invitation_accept(token=_token(first), user=UserFactory())
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("state", ["expired", "revoked", "used"])
def test_spent_invitations_do_not_work(member, state):
    issued = _invite(member)
    if state == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        invitation_revoke(invitation=issued.invitation, actor=member)
    else:
        invitation_accept(token=_token(issued), user=UserFactory())

    with pytest.raises(ValidationError, match="no longer valid"):
        invitation_accept(token=_token(issued), user=UserFactory())


def test_accepting_moves_a_sole_member_over_and_deletes_their_empty_household(member, other_member):
    old_household = other_member.membership.household

    membership = _join(member, other_member, role=Membership.Role.OWNER)

    assert membership.household == member.membership.household
    assert membership.role == Membership.Role.OWNER
    assert not Household.objects.filter(pk=old_household.pk).exists()
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == other_member and invitation.accepted_at is not None
    assert Notification.objects.get(user=member).kind == "household_member_joined"


def test_the_last_owner_of_a_shared_household_cannot_join_another(member, other_member):
    third = UserFactory()
    _join(other_member, third)  # other_member owns a household with a member

    with pytest.raises(ValidationError, match="last owner"):
        _join(member, other_member)
    assert Membership.objects.get(user=other_member).role == Membership.Role.OWNER


def test_an_invitation_link_is_a_404_page_when_unknown(client):
    response = client.get(reverse("invitation_accept", kwargs={"token": "not-a-real-token"}))

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_signing_up_from_an_invitation_link_joins_that_household(client, member):
    issued = _invite(member, "newcomer@example.com")
    page = client.get(issued.url)
    assert "Sign up and join" in page.content.decode()

    client.post(
        reverse("account_signup"),
        {"email": "newcomer@example.com", "password1": "a-long-new-secret-5", "password2": "a-long-new-secret-5"},
    )

    newcomer = User.objects.get(email="newcomer@example.com")
    assert newcomer.membership.household == member.membership.household
    assert newcomer.membership.role == Membership.Role.MEMBER
    assert Household.objects.count() == 1  # no empty household of their own was made


def test_an_existing_person_logs_in_and_confirms_joining(client, member, other_member, password):
    issued = _invite(member, other_member.email)
    path = issued.url.replace("http://testserver", "")
    login = client.post(reverse("account_login") + f"?next={path}", {"login": other_member.email, "password": password})
    assert login["Location"] == path

    confirm = client.get(path)
    assert "Joining deletes it" in confirm.content.decode()
    response = client.post(path)

    assert response["Location"] == reverse("dashboard")
    assert Membership.objects.get(user=other_member).household == member.membership.household


# --- roles and removal ------------------------------------------------------------------------------------------------


def test_an_owner_removes_a_member_who_then_has_a_household_of_their_own(member, other_member):
    membership = _join(member, other_member)

    membership_remove(membership=membership, actor=member)

    moved = Membership.objects.get(user=other_member)
    assert moved.household != member.membership.household
    assert moved.role == Membership.Role.OWNER


def test_members_cannot_remove_anyone(member, other_member):
    _join(member, other_member)

    with pytest.raises(PermissionDenied):
        membership_remove(membership=Membership.objects.get(user=member), actor=other_member)


def test_the_last_owner_cannot_leave_or_step_down(member, other_member):
    _join(member, other_member)

    with pytest.raises(ValidationError, match="last owner"):
        membership_leave(user=member)
    with pytest.raises(ValidationError, match="at least one owner"):
        membership_set_role(membership=Membership.objects.get(user=member), actor=member, role="member")


def test_a_sole_member_has_nothing_to_leave(member):
    with pytest.raises(ValidationError, match="only member"):
        membership_leave(user=member)


def test_with_a_second_owner_the_first_may_leave(member, other_member):
    _join(member, other_member, role=Membership.Role.OWNER)

    household = membership_leave(user=member)

    assert Membership.objects.get(user=member).household == household != other_member.membership.household


# --- the household section of the settings page ---------------------------------------------------------------------


def test_owner_invites_from_the_settings_page_and_sees_the_link_once(member_client, member):
    response = member_client.post(
        reverse("accounts:invitation_new"), {"email": "pal@example.com", "role": "member"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="household"')
    link = re.search(r'value="(http://testserver/accounts/invitations/[^"]+)"', body).group(1)
    assert Invitation.objects.get().token_hash == digest(link.rstrip("/").rsplit("/", 1)[-1])
    assert "fincoach:toast" in response["HX-Trigger"]
    assert link not in member_client.get(reverse("accounts:settings")).content.decode()


def test_a_plain_member_sees_no_owner_controls(client, member, other_member):
    _join(member, other_member)
    client.force_login(other_member)

    body = client.get(reverse("accounts:settings")).content.decode()

    assert "Send invitation" not in body
    assert "Remove" not in body
    assert "Leave this household" in body


def test_a_member_posting_owner_actions_gets_403(client, member, other_member):
    _join(member, other_member)
    client.force_login(other_member)
    owner_membership = Membership.objects.get(user=member)

    assert client.post(reverse("accounts:member_remove", args=[owner_membership.pk])).status_code == 403
    assert (
        client.post(reverse("accounts:invitation_new"), {"email": "x@example.com", "role": "member"}).status_code == 403
    )


def test_leaving_as_last_owner_shows_why_not(member_client, member, other_member):
    _join(member, other_member)

    response = member_client.post(reverse("accounts:household_leave"), HTTP_HX_REQUEST="true")

    assert "make another member an owner" in response.content.decode()
    assert Membership.objects.get(user=member).household == Membership.objects.get(user=other_member).household
