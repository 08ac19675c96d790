"""The payout world (a real SQLite file, the in-process sandbox, PayoutService) for every
payout test module of this package."""

from tests.services.test_payouts import sandbox, world  # noqa: F401
