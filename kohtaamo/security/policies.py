"""Rate limits of the public (no-login) pages, per URL namespace. Real respondents stay far below them;
they stop scripts that flood a survey or guess tokens. Override in settings: KOHTAAMO_PUBLIC_RATE_LIMITS."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RatePolicy:
    limit: int  # requests per client address (and token, where per_token) in one window
    window_s: int
    per_token: bool = False
    methods: tuple[str, ...] = ("POST",)


PUBLIC_RATE_POLICIES: dict[str, RatePolicy] = {
    # /r/<token>/ and /t/<token>/: every answer is saved as it is given, so a long survey makes many POSTs.
    "respond": RatePolicy(limit=300, window_s=600, per_token=True),
    "followup_public": RatePolicy(limit=20, window_s=3600, per_token=True),  # follow-up contact form
    "selftest": RatePolicy(limit=30, window_s=3600),
    "roleplay_rating": RatePolicy(limit=60, window_s=600, per_token=True),
}


def public_rate_policy(namespace: str) -> RatePolicy | None:
    policies = getattr(settings, "KOHTAAMO_PUBLIC_RATE_LIMITS", None) or PUBLIC_RATE_POLICIES
    return policies.get(namespace)
