"""Everything the exchanger client raises. Nothing else escapes it (httpx errors included).

    ExchangerError                 base; `str()` never contains the api_key or a request URL
    ├── KeyRejected                the key is wrong, was regenerated, or API access is off for
    │                              the user ("Api disabled", "no partner id"): not transient
    ├── RequestRefused             the site answered an error for this request; `.text` holds the
    │   │                          site's own error_text (e.g. add_payout below the minimum)
    │   └── MethodNotSupported     "Method not supported": the method is not enabled for the user
    ├── ExchangerUnavailable       transient: timeout, connection error, HTTP 5xx/429, HTML page
    │   └── OutcomeUnknown         the request was sent but no clear answer came (read timeout,
    │                              dropped connection; for add_payout also 5xx or an unreadable
    │                              answer): a write may or may not have happened
    └── MalformedResponse          an answer that cannot be understood (bad JSON, wrong shape,
                                   too big)
"""

from __future__ import annotations


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
