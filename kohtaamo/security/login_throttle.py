"""Failed logins counted per username and per client address in the shared DB counters.

After LIMIT failures in a window the login (or second-factor step) is refused until the window ends,
even with the right password. A success clears only that username's own count."""

from dataclasses import dataclass

from .ratelimit import rate_count, rate_limit_hit, rate_reset, rate_retry_after

WINDOW_S = 15 * 60


@dataclass(frozen=True)
class FailureLimit:
    kind: str
    limit: int


PER_USERNAME = FailureLimit("login:user", 5)
PER_ADDRESS = FailureLimit("login:address", 20)
PER_SECOND_FACTOR = FailureLimit("login:second-factor", 5)


def _keys(*, username: str, address: str) -> list[tuple[str, FailureLimit]]:
    return [
        (f"{PER_USERNAME.kind}:{username.strip().casefold()}", PER_USERNAME),
        (f"{PER_ADDRESS.kind}:{address}", PER_ADDRESS),
    ]


def login_lockout_s(*, username: str, address: str, now: float | None = None) -> int:
    """Seconds until a login for `username` from `address` is accepted again; 0 when it is now."""
    for key, rule in _keys(username=username, address=address):
        if rate_count(key=key, window_s=WINDOW_S, now=now) >= rule.limit:
            return rate_retry_after(window_s=WINDOW_S, now=now)
    return 0


def login_failure_record(*, username: str, address: str, now: float | None = None) -> None:
    for key, rule in _keys(username=username, address=address):
        rate_limit_hit(key=key, limit=rule.limit, window_s=WINDOW_S, now=now)


def login_success_record(*, username: str) -> None:
    rate_reset(key=f"{PER_USERNAME.kind}:{username.strip().casefold()}")


def second_factor_lockout_s(*, user_id: int, now: float | None = None) -> int:
    key = f"{PER_SECOND_FACTOR.kind}:{user_id}"
    if rate_count(key=key, window_s=WINDOW_S, now=now) >= PER_SECOND_FACTOR.limit:
        return rate_retry_after(window_s=WINDOW_S, now=now)
    return 0


def second_factor_failure_record(*, user_id: int, now: float | None = None) -> None:
    rate_limit_hit(key=f"{PER_SECOND_FACTOR.kind}:{user_id}", limit=PER_SECOND_FACTOR.limit, window_s=WINDOW_S, now=now)
