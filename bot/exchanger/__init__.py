"""The exchanger's affiliate API: typed models, typed errors, the client and its HTTP setup."""

from .client import ExchangerApi, OldApiClient
from .errors import (
    ExchangerError,
    ExchangerUnavailable,
    KeyRejected,
    MalformedResponse,
    MethodNotSupported,
    OutcomeUnknown,
    RequestRefused,
)
from .http import make_http_client
from .models import (
    Click,
    Credentials,
    Exchange,
    PartnerInfo,
    Payout,
    PayoutMethod,
    PayoutStatus,
)
from .reads import make_read_session

__all__ = [
    "Click",
    "Credentials",
    "Exchange",
    "ExchangerApi",
    "ExchangerError",
    "ExchangerUnavailable",
    "KeyRejected",
    "MalformedResponse",
    "MethodNotSupported",
    "OldApiClient",
    "OutcomeUnknown",
    "PartnerInfo",
    "Payout",
    "PayoutMethod",
    "PayoutStatus",
    "RequestRefused",
    "make_http_client",
    "make_read_session",
]
