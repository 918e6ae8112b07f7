"""Role grants and credential resets need two people: one requests, a 领导 of the user's
commission confirms.

Adding a user to a role group is how every content right is conferred, so the administrator who
manages accounts cannot give himself (or anyone) 信访 alone: the request waits until a leader of
that commission who is neither the requester nor the grantee confirms it. Removing a role takes
effect at once (it only ever narrows access). Request, confirmation, refusal and removal each
write an audit row.

Resetting a colleague's password or re-issuing their enrolment code would let the administrator
sign in as that colleague, with their roles: the same door. The new password or code is hashed
into the request and takes effect only when a 领导 confirms.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.access import commission_of
from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, GrantKind, GrantStatus, OrgKind, RoleGrantRequest, User
from lianqing.core.roles import Role
from lianqing.core.separation import three_admins_conflict

COMMISSION_LEVEL_KINDS = frozenset({OrgKind.COMMISSION, OrgKind.DEPARTMENT})


class GrantRefusedError(Exception):
    """A grant request or decision that the rules do not allow; the message is for the user."""


def may_confirm_grants(user: User) -> bool:
    """A 领导 (by membership, never by the superuser flag) working at commission level."""
    return (
        user.is_active
        and user.has_role(Role.LEADER)
        and user.org is not None
        and user.org.kind in COMMISSION_LEVEL_KINDS
    )


def _covers(leader: User, target: User) -> bool:
    """The target works in the leader's commission or in one below it (a township's 纪委)."""
    if leader.org is None or target.org is None:
        return False
    return commission_of(target.org).path.startswith(commission_of(leader.org).path)


def may_confirm(grant: RoleGrantRequest, user: User) -> bool:
    if not may_confirm_grants(user) or user.pk in {grant.user_id, grant.requested_by_id}:
        return False
    return _covers(user, grant.user)


def confirmers_exist(target: User) -> bool:
    """Whether anyone could confirm a grant to `target` (the command line bootstraps otherwise)."""
    leaders = User.objects.filter(is_active=True, groups__name=str(Role.LEADER)).select_related("org")
    return any(
        may_confirm_grants(leader) and leader.pk != target.pk and _covers(leader, target)
        for leader in leaders
    )


def _grant_event(grant: RoleGrantRequest, step: str, by: User | None, **extra: object) -> None:
    audit_record(
        action=AuditAction.UPDATE if step != "requested" else AuditAction.CREATE,
        actor=by,
        obj=grant,
        details={"step": step, "user": grant.user.username, "kind": grant.kind, "role": grant.role, **extra},
    )


@transaction.atomic
def credential_reset_request(
    *, user: User, kind: GrantKind, secret_hash: str, by: User | None
) -> RoleGrantRequest:
    """Ask for `user`'s password (or enrolment code) to become the one hashed in `secret_hash`;
    nothing changes until a 领导 confirms. A newer request replaces a pending one."""
    if kind == GrantKind.ROLE:
        raise ValueError("a role is requested with role_grant_request")
    grant = (
        RoleGrantRequest.objects.select_for_update()
        .filter(user=user, kind=kind, status=GrantStatus.PENDING)
        .first()
    )
    if grant is None:
        try:
            with transaction.atomic():
                grant = RoleGrantRequest.objects.create(
                    user=user,
                    kind=kind,
                    secret_hash=secret_hash,
                    requested_by=by,
                    requested_at=timezone.now(),
                )
        except IntegrityError:  # the same request made at the same moment elsewhere
            grant = RoleGrantRequest.objects.select_for_update().get(
                user=user, kind=kind, status=GrantStatus.PENDING
            )
        else:
            _grant_event(grant, "requested", by)
            return grant
    grant.secret_hash, grant.requested_by, grant.requested_at = secret_hash, by, timezone.now()
    grant.save(update_fields=["secret_hash", "requested_by", "requested_at"])
    _grant_event(grant, "requested", by, replaces_earlier=True)
    return grant


@transaction.atomic
def role_grant_request(*, user: User, role: Role | str, by: User | None) -> RoleGrantRequest:
    """Ask for `user` to get `role`; nothing changes until a 领导 confirms. Idempotent per role."""
    role = Role(role)
    if user.groups.filter(name=str(role)).exists():
        raise GrantRefusedError(_("该用户已经具有此角色"))
    held_or_asked = [
        *user.groups.values_list("name", flat=True),
        *RoleGrantRequest.objects.filter(
            user=user, kind=GrantKind.ROLE, status=GrantStatus.PENDING
        ).values_list("role", flat=True),
    ]
    problem = three_admins_conflict(held_or_asked, [str(role)])
    if problem:
        raise GrantRefusedError(problem)
    pending = RoleGrantRequest.objects.filter(
        user=user, kind=GrantKind.ROLE, role=str(role), status=GrantStatus.PENDING
    ).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            grant = RoleGrantRequest.objects.create(
                user=user, role=str(role), requested_by=by, requested_at=timezone.now()
            )
    except IntegrityError:  # the same request made at the same moment elsewhere
        return RoleGrantRequest.objects.get(
            user=user, kind=GrantKind.ROLE, role=str(role), status=GrantStatus.PENDING
        )
    _grant_event(grant, "requested", by)
    return grant


def _locked_pending(grant_id: int) -> RoleGrantRequest:
    grant = (
        RoleGrantRequest.objects.select_for_update(of=("self",))
        .select_related("user__org")
        .filter(pk=grant_id, status=GrantStatus.PENDING)
        .first()
    )
    if grant is None:
        raise Http404(_("没有找到该授权申请"))
    return grant


@transaction.atomic
def role_grant_confirm(*, grant_id: int, by: User) -> RoleGrantRequest:
    """A 领导 of the user's commission confirms: the user joins the role group now."""
    grant = _locked_pending(grant_id)
    if not may_confirm(grant, by):
        raise GrantRefusedError(_("只有该用户所在纪委监委的领导（申请人和被授权人以外）可以确认"))
    return _decide(grant, GrantStatus.CONFIRMED, by)


@transaction.atomic
def role_grant_refuse(*, grant_id: int, by: User) -> RoleGrantRequest:
    grant = _locked_pending(grant_id)
    if not may_confirm(grant, by):
        raise GrantRefusedError(_("只有该用户所在纪委监委的领导（申请人和被授权人以外）可以确认"))
    return _decide(grant, GrantStatus.REFUSED, by)


def _decide(
    grant: RoleGrantRequest, status: GrantStatus, by: User | None, **extra: object
) -> RoleGrantRequest:
    secret_hash = grant.secret_hash
    if status == GrantStatus.CONFIRMED and grant.kind == GrantKind.ROLE:
        problem = three_admins_conflict(grant.user.groups.values_list("name", flat=True), [grant.role])
        if problem:
            raise GrantRefusedError(problem)
    grant.status = status
    grant.decided_by = by
    grant.decided_at = timezone.now()
    grant.secret_hash = ""  # applied or refused: no credential hash is kept beside the request
    grant.save(update_fields=["status", "decided_by", "decided_at", "secret_hash"])
    if status == GrantStatus.CONFIRMED:
        _grant_apply(grant, secret_hash)
    _grant_event(grant, str(status), by, **extra)
    return grant


def _grant_apply(grant: RoleGrantRequest, secret_hash: str) -> None:
    user = grant.user
    if grant.kind == GrantKind.ROLE:
        user.groups.add(Group.objects.get_or_create(name=grant.role)[0])
    elif grant.kind == GrantKind.PASSWORD:
        user.password = secret_hash  # the person's sessions end (their auth hash changes)
        user.must_change_password = True  # a password someone else chose is only a first one
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    else:
        from lianqing.core.otp import enrolment_code_store

        enrolment_code_store(user=user, code_hash=secret_hash, by=grant.requested_by)


@transaction.atomic
def role_grant_bootstrap(*, user: User, role: Role | str) -> RoleGrantRequest:
    """Command line only: grant at once while the commission has nobody who could confirm.

    A fresh installation has no 领导 yet; the operator at the server console creates the first
    ones. As soon as a confirming leader exists, the command line only files a request.
    """
    grant = role_grant_request(user=user, role=role, by=None)
    if confirmers_exist(user):
        return grant
    grant = _locked_pending(grant.pk)
    return _decide(grant, GrantStatus.CONFIRMED, None, via="command line, no confirming leader")


@transaction.atomic
def role_remove(*, user: User, role: Role | str, by: User | None) -> bool:
    """Take a role away at once (narrowing access needs no second person). True if removed."""
    group = Group.objects.filter(name=str(Role(role))).first()
    if group is None or not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        obj=user,
        details={"step": "role_removed", "user": user.username, "role": str(role)},
    )
    return True


def grant_pending_list(*, user: User) -> list[RoleGrantRequest]:
    """Pending requests this user may confirm (their commission's and those below, not their own)."""
    if not may_confirm_grants(user):
        return []
    pending = RoleGrantRequest.objects.filter(status=GrantStatus.PENDING).select_related(
        "user__org", "requested_by"
    )
    return [grant for grant in pending.order_by("requested_at") if may_confirm(grant, user)]
