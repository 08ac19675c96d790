"""Start-up of the real `python -m bot` when Telegram is not there yet or refuses the token:
one log line per getMe attempt and no traceback; a rejected token is one line and exit code 2."""

from __future__ import annotations

import socket

from bot.devtools.bot_api import FakeBotApi
from tests.fakes.fixtures import MakeBot


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_unreachable_telegram_is_retried_until_it_answers(make_bot: MakeBot) -> None:
    port = free_port()
    bot = make_bot(TELEGRAM_API_URL=f"http://127.0.0.1:{port}", log_level="INFO")
    await bot.start()
    await bot.wait_for_output("getMe attempt 2", timeout=30)
    assert "Notifications started" in bot.output()  # the exchanger side does not wait
    late = FakeBotApi(port=port)
    await late.start()
    try:
        await bot.wait_for_output("Start polling", timeout=30)
        assert await bot.terminate() == 0
    finally:
        await late.stop()
    output = bot.output()
    attempts = [line for line in output.splitlines() if "getMe attempt" in line]
    assert len(attempts) >= 2
    assert all("Telegram Bot API unreachable" in line for line in attempts)
    assert "Traceback" not in output
    assert late.token.split(":", 1)[1] not in output


async def test_sigterm_while_waiting_for_telegram_exits_cleanly(make_bot: MakeBot) -> None:
    bot = make_bot(TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}", log_level="INFO")
    await bot.start()
    await bot.wait_for_output("getMe attempt 1", timeout=30)
    assert await bot.terminate() == 0
    assert "Traceback" not in bot.output()


async def test_a_rejected_token_is_one_line_and_exit_code_2(
    make_bot: MakeBot, bot_api: FakeBotApi
) -> None:
    bot = make_bot(bot_token="42:not-the-token-the-server-knows", log_level="INFO")
    await bot.start()
    assert await bot.wait_exit(30) == 2
    output = bot.output()
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1] == (
        "Configuration error: BOT_TOKEN was rejected by the Telegram Bot API; check it"
    )
    assert "not-the-token" not in output
