"""Optional TOTP second factor for admins, with one-time recovery codes (stored as keyed hashes)."""

import secrets
import time

import pyotp
import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kohtaamo.organisations.models import Membership

from .models import RecoveryCode, TotpDevice

ISSUER = "Kohtaamo"
RECOVERY_CODE_COUNT = 10
STEP_S = 30


def second_factor_can_enrol(*, user) -> bool:
    """Django staff and organisation admins may turn on the second factor."""
    if not user.is_authenticated:
        return False
    return user.is_staff or Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists()


def second_factor_required(*, user) -> bool:
    return TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


def totp_enrolment_start(*, user: AbstractBaseUser) -> TotpDevice:
    """The login's device: a new secret on first use, the same one until it is confirmed or turned off."""
    device, _created = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def totp_provisioning_uri(*, device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def totp_qr_data_uri(*, device: TotpDevice) -> str:
    return segno.make(totp_provisioning_uri(device=device), error="m").svg_data_uri(scale=5)


def _accepted_step(*, device: TotpDevice, code: str, now: float) -> int | None:
    """The time step `code` belongs to (the current one or one either side for clock drift), else None."""
    code = code.strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(device.secret)
    current = int(now // STEP_S)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.at(step * STEP_S), code):
            return step
    return None


def _use_step(*, device: TotpDevice, step: int) -> bool:
    """Claim `step` atomically, so the same (or an older) code never works twice, even in parallel."""
    return bool(TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step))


def _recovery_hash(code: str) -> str:
    normalised = code.strip().replace("-", "").replace(" ", "").lower()
    return salted_hmac("kohtaamo.security.recovery-code", normalised, algorithm="sha256").hexdigest()


def _recovery_codes_issue(*, user) -> list[str]:
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_recovery_hash(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


@transaction.atomic
def totp_enrolment_confirm(*, device: TotpDevice, code: str, now: float | None = None) -> list[str] | None:
    """Confirm the device with a current code; returns the new recovery codes (shown once), or None."""
    now = time.time() if now is None else now
    step = _accepted_step(device=device, code=code, now=now)
    if step is None or not _use_step(device=device, step=step):
        return None
    TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
    return _recovery_codes_issue(user=device.user)


def second_factor_verify(*, user, code: str, now: float | None = None) -> bool:
    """A current, unused authenticator code, or an unused recovery code (which is then spent)."""
    device = TotpDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _accepted_step(device=device, code=code, now=time.time() if now is None else now)
    if step is not None:
        return _use_step(device=device, step=step)
    spent = RecoveryCode.objects.filter(user_id=user.pk, code_hash=_recovery_hash(code), used_at__isnull=True)
    return bool(spent.update(used_at=timezone.now()))


@transaction.atomic
def second_factor_disable(*, user) -> None:
    TotpDevice.objects.filter(user_id=user.pk).delete()
    RecoveryCode.objects.filter(user_id=user.pk).delete()
