# Stage 1: the locked dependencies (hash-checked) and the bot, installed into /opt/venv.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
COPY requirements.txt ./
RUN pip install --require-hashes -r requirements.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
# The build backend is in the lock too: nothing unpinned is fetched to build the bot.
RUN pip install --no-deps --no-build-isolation .

# Stage 2: the runtime image holds the virtualenv only (no build files, no pip cache).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DATABASE_PATH=/data/bot.sqlite3

COPY --from=build /opt/venv /opt/venv
RUN useradd --create-home --uid 10001 bot \
    && mkdir -p /data && chown bot:bot /data

USER bot
WORKDIR /home/bot
# The database and the generated encryption key live here: keep them on a volume.
VOLUME ["/data"]
# /healthz and /metrics (Prometheus) of the process on 9100; the webhook (WEBHOOK_URL) on 8080.
ENV METRICS_PORT=9100
EXPOSE 9100 8080
# Healthy while the process's /healthz answers 200: the database answers, polling is recent and,
# on the process that sends, the outbox is not lagging (METRICS_PORT=0: the database alone).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]
CMD ["python", "-m", "bot"]
