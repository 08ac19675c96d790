"""A fake Premium Exchanger affiliate API (ppapi, old version) for tests, demos and benchmarks.

Standalone: imports nothing else from `bot`. Start it with `python -m bot.sandbox`, or in
tests with `create_app(SandboxState())`. The control API is documented in `app.py`.
"""

from bot.sandbox.app import create_app
from bot.sandbox.seed import DEMO_KEYS, add_bench_accounts, seed_demo
from bot.sandbox.state import SandboxState

__all__ = ["DEMO_KEYS", "SandboxState", "add_bench_accounts", "create_app", "seed_demo"]
