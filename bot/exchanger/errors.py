"""Everything the exchanger client raises. Nothing else escapes it (httpx errors included).

ExchangerError                 base; `str()` never contains the api_key or a request URL
├── KeyRejected                the key is wrong, was regenerated, or API access is off for
│                              the user: ONLY the site's own texts in KEY_REJECTED_TEXTS
├── RequestRefused             the site answered an error for this request; `.text` holds the
│   │                          site's own error_text (e.g. add_payout below the minimum)
│   └── MethodNotSupported     "Method not supported": the method is not enabled for the user
├── ExchangerUnavailable       transient: timeout, connection error, HTTP 5xx/429, HTML page,
│                              401/403 without the site's own error, "temporarily" texts
│   └── OutcomeUnknown         the request was sent but no clear answer came (read timeout,
│                              dropped connection; for add_payout also 5xx or an unreadable
│                              answer): a write may or may not have happened
└── MalformedResponse          an answer that cannot be understood (bad JSON, wrong shape,
                               too big)
"""

from __future__ import annotations

# The only error texts that mean "this key is rejected" (matched case-insensitively as whole
# words, also inside "Error! Api disabled."). Premium Exchanger answers these when the key is
# unknown or was regenerated, or the user's API access / the API module is off:
#   "Api disabled"   the reference's documented answer for bad credentials or API not allowed
#   "no partner id"  seen in the exchanger's public PHP: the key matches no affiliate
#   "Api отключен"   the same answer on a site whose interface language is Russian (the script
#                    translates its texts; the v1 API has API-LANG for it)
# Anything else (firewall pages, "Access temporarily limited", unknown texts) is never a
# rejected key: a wrong guess would pause every account of a site and message every chat.
KEY_REJECTED_TEXTS: tuple[str, ...] = ("Api disabled", "no partner id", "Api отключен")
# Words in a site's error text that mean "try later": the site is unavailable, not refusing.
TRANSIENT_WORDS: tuple[str, ...] = (
    "temporarily",
    "try again later",
    "try later",
    "временно",
    "попробуйте позже",
)


class ExchangerError(Exception):
    """Base class. Messages are safe to log: no key, no URL with a query string."""


class KeyRejected(ExchangerError):
    pass


class RequestRefused(ExchangerError):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class MethodNotSupported(RequestRefused):
    pass


class ExchangerUnavailable(ExchangerError):
    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class OutcomeUnknown(ExchangerUnavailable):
    pass


class MalformedResponse(ExchangerError):
    pass
