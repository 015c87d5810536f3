"""Rate limits for what members and visitors repeat over HTTP.

One mechanism for every limit that pages enforce (the socket has its own, in
`realtime.ratelimit`). Uses are counted in Django's cache: Redis when
REDIS_URL is set, so every server process shares them, else this process.

Rates are written as allauth writes its own: "1/5s,20/d" allows one use in
any 5 seconds and 20 in any 24 hours (units s, m, h, d; "1/m" is one a
minute). An empty rate means no limit. The windows slide: each use is
remembered with its time until it no longer counts, so a refusal can say
exactly when the next use is allowed.

Limits per address key on `client_ip`, which believes `X-Forwarded-For` only
from the reverse proxies listed in TRUSTED_PROXIES.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# How long a use may wait for another process counting the same key.
_LOCK_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: float


@functools.lru_cache(maxsize=64)
def parse_rates(spec: str) -> tuple[Rate, ...]:
    """ "1/5s,20/d" -> (Rate(1, 5), Rate(20, 86400)); "" -> no limit."""
    rates = []
    for part in (spec or "").split(","):
        part = part.strip()
        if not part:
            continue
        amount, _slash, duration = part.partition("/")
        unit = duration[-1:]
        if unit not in _UNITS:
            raise ValueError(f"rate {part!r}: the duration needs a unit (s, m, h, d)")
        count = float(duration[:-1]) if duration[:-1] else 1
        rates.append(Rate(int(amount), count * _UNITS[unit]))
    return tuple(rates)


class RateLimited(ValidationError):
    """Refused by a rate limit; `retry_after` says in how many seconds the
    act is allowed again. A ValidationError, so a form shows its message."""

    def __init__(self, retry_after: float, message: str = "") -> None:
        # Whole seconds, rounded up (the float noise of a clock aside).
        self.retry_after = max(1, math.ceil(retry_after - 1e-6))
        text = message or _(
            "You have done this often in a short time. Please try again %(when)s."
        )
        super().__init__(
            text % {"when": try_again(self.retry_after)}, code="rate_limited"
        )


def try_again(seconds: float) -> str:
    """When the act is allowed again, as a German phrase fits after "again":
    "in 5 Sekunden", "in 3 Minuten", "am 12.03.2026 um 14:05 Uhr"."""
    seconds = max(1, round(seconds))
    if seconds < 90:
        return ngettext("in %(n)d second", "in %(n)d seconds", seconds) % {"n": seconds}
    if seconds < 90 * 60:
        minutes = round(seconds / 60)
        return ngettext("in %(n)d minute", "in %(n)d minutes", minutes) % {"n": minutes}
    when = timezone.localtime(timezone.now() + timedelta(seconds=seconds))
    return _("on %(date)s at %(time)s") % {
        "date": formats.date_format(when, "SHORT_DATE_FORMAT"),
        "time": when.strftime("%H:%M"),
    }


# --- Who is counted ---------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:443"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as far as it is known.

    The socket peer, unless that peer is a reverse proxy listed in
    TRUSTED_PROXIES: then the address the proxy reports in X-Forwarded-For,
    read from the right, skipping further trusted proxies. Whatever a client
    wrote into the header itself stands left of that and is never believed.
    """
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return request.META.get("REMOTE_ADDR", "")
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    client = peer
    for hop in reversed(forwarded):
        if not any(client in network for network in trusted):
            break
        address = _address(hop)
        if address is None:
            break  # the proxy reported nothing usable: count the proxy
        client = address
    return str(client)


def ip_key(request: HttpRequest) -> str:
    """`client_ip` as a rate-limit key: IPv6 clients by their /64 network,
    since one connection usually holds a whole /64."""
    text = client_ip(request)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:  # no IP peer (a Unix socket): all such share one count
        return f"ip:{text}"
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"ip:{address}"


def member_key(member) -> str:
    return f"member:{member.pk}"


# --- Counting ---------------------------------------------------------------


def _now() -> float:
    # Wall-clock time: every server process counts on the same clock.
    return time.time()


def _key(act: str, who: str) -> str:
    return f"limits:{act}:{who}"


@contextmanager
def _locked(key: str) -> Iterator[bool]:
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while not cache.add(f"{key}:lock", 1, timeout=10):
        if time.monotonic() > deadline:
            yield False
            return
        time.sleep(0.01)
    try:
        yield True
    finally:
        cache.delete(f"{key}:lock")


def _wait(history: list[float], rates: tuple[Rate, ...], now: float) -> float:
    """Seconds until one more use fits every rate (0: now). `history` holds
    the times of earlier uses, newest first."""
    wait = 0.0
    for rate in rates:
        if rate.amount <= 0:
            return float(rate.seconds)
        recent = [used for used in history if used > now - rate.seconds]
        if len(recent) >= rate.amount:
            wait = max(wait, recent[rate.amount - 1] + rate.seconds - now)
    return wait


@dataclass
class Use:
    """One counted use; `undo` takes it back (the act did not happen)."""

    key: str
    at: float
    keep: int = 0

    def undo(self) -> None:
        if not self.key:
            return
        with _locked(self.key) as locked:
            if locked:
                history = cache.get(self.key, [])
                if self.at in history:
                    history.remove(self.at)
                    cache.set(self.key, history, timeout=self.keep)


def take(act: str, who: str, rate: str, *, message: str = "") -> Use:
    """Count one use of `act` by `who` (a `member_key`, an `ip_key`, ...),
    or raise RateLimited with `message` (which may say "%(when)s")."""
    rates = parse_rates(rate)
    if not rates:
        return Use("", 0.0)
    key = _key(act, who)
    with _locked(key) as locked:
        if not locked:
            raise RateLimited(_LOCK_WAIT_SECONDS, message)
        now = _now()
        longest = max(r.seconds for r in rates)
        history = [used for used in cache.get(key, []) if used > now - longest]
        wait = _wait(history, rates, now)
        if wait > 0:
            raise RateLimited(wait, message)
        history.insert(0, now)
        del history[max(r.amount for r in rates) :]
        keep = int(longest) + 1
        cache.set(key, history, timeout=keep)
        return Use(key, now, keep)


def wait_for(act: str, who: str, rate: str) -> float:
    """Seconds until `who` may do `act` again (0: now), without counting."""
    rates = parse_rates(rate)
    if not rates:
        return 0.0
    return _wait(cache.get(_key(act, who), []), rates, _now())


@contextmanager
def limited(act: str, who: str, rate: str, *, message: str = "") -> Iterator[Use]:
    """Count a use of `act` for the block; an exception in it takes it back,
    so only what was done counts (a text the word filter refused does not)."""
    use = take(act, who, rate, message=message)
    try:
        yield use
    except BaseException:
        use.undo()
        raise


def too_many_requests(response: HttpResponse, limited: RateLimited) -> HttpResponse:
    """`response` (the page with the refusal on it) as HTTP 429 Too Many
    Requests, with the seconds to wait in Retry-After."""
    response.status_code = 429
    response["Retry-After"] = str(limited.retry_after)
    return response
