"""`GET /paccount/`: the sandbox's stand-in for a site's affiliate dashboard.

The bot's /start tells users the key is at `<site>/paccount/`, line "REST API key"; this page
shows that line, with the sandbox's demo keys (a real site shows the logged-in user's key).
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.sandbox.state import SandboxState

MAX_ROWS = 20

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Affiliate account — sandbox</title>
<style>body{{font:15px system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.4rem .7rem;text-align:left}}
code{{background:#f3f3f3;padding:.1rem .3rem}}</style></head>
<body><h1>Affiliate account</h1>
<p>This is the sandbox exchanger. On a real Premium Exchanger site this page
(<code>/paccount/</code>) is the affiliate dashboard of the logged-in user, and the key is on the
line <b>REST API key</b> (the button <b>Change REST API key</b> issues a new one).
Here: every account of the sandbox.</p>
<table><tr><th>REST API key</th><th>Balance</th><th>API access</th></tr>{rows}</table>
<p>Send the bot <code>/link</code> followed by a key.</p></body></html>
"""


def create_paccount_handler(
    state: SandboxState,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def paccount(request: web.Request) -> web.Response:
        rows = []
        partners = [p for p in state.partners.values() if not p.api_key.startswith("bench-key")]
        for partner in partners[:MAX_ROWS]:
            rows.append(
                f"<tr><td><code>{html.escape(partner.api_key)}</code></td>"
                f"<td>{html.escape(str(partner.balance))}</td>"
                f"<td>{'on' if partner.api_enabled else 'off'}</td></tr>"
            )
        body = _PAGE.format(rows="".join(rows) or "<tr><td colspan=3>no accounts</td></tr>")
        return web.Response(text=body, content_type="text/html")

    return paccount
