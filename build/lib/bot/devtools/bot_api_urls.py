"""URL checks of the fake Bot API, worded like Telegram's ("Wrong HTTP URL", ...)."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_HOST_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")  # internationalized names too
_LINK_SCHEMES = ("http", "https", "tg", "ton")


def url_problem(
    url: str, *, require_scheme: bool = True, schemes: tuple[str, ...] = _LINK_SCHEMES
) -> str | None:
    """Why Telegram would refuse ``url`` as a link, or None when it is fine.

    Without a scheme Telegram assumes ``http://``; ``require_scheme`` makes the fake stricter and
    refuses such links (inline keyboard buttons must be ``http(s)://`` or ``tg://`` links).
    """
    if not url.strip():
        return "URL host is empty"
    if any(char.isspace() for char in url):
        return "Wrong HTTP URL"
    if "://" not in url and not url.lower().startswith(("tg:", "ton:")):
        if require_scheme:
            return "Wrong HTTP URL"
        url = "http://" + url
    scheme = url.split(":", 1)[0].lower()
    if scheme not in schemes:
        return "Unsupported URL protocol"
    if scheme in ("tg", "ton"):
        return None if len(url) > len(scheme) + 3 else "Wrong HTTP URL"
    return _http_problem(url)


def _http_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return "Wrong HTTP URL"
    host = parts.hostname or ""
    if not host:
        return "URL host is empty"
    if _is_ip(host):
        return None
    labels = host.rstrip(".").split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
        return "Wrong HTTP URL"
    if labels[-1].isdigit():
        return "Wrong HTTP URL"
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True
