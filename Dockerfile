# A small image for the bot: slim Python, dependencies pinned with hashes, a non-root user, the
# database on a /data volume, /metrics and /healthz on port 9464, a health check and a clean stop.
# Python 3.11, as requirements.lock was resolved for and as CI tests.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////data/bot.db \
    MPLCONFIGDIR=/tmp/matplotlib \
    METRICS_HOST=0.0.0.0 \
    METRICS_PORT=9464

# Dependencies first, exactly as locked (versions and hashes); this layer changes only with the lock.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes -r /tmp/requirements.lock && rm /tmp/requirements.lock

# Then the bot itself, resolving nothing again.
COPY pyproject.toml README.md /tmp/src/
COPY bot /tmp/src/bot
COPY cogs /tmp/src/cogs
RUN pip install --no-deps /tmp/src && rm -rf /tmp/src \
    && useradd --system --uid 10001 --create-home --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /data && chown bot:bot /data

WORKDIR /app
USER bot
VOLUME ["/data"]
EXPOSE 9464
# Unhealthy while the gateway is down or a job worker died: `python -m bot health` asks /healthz.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["python", "-m", "bot", "health"]
# docker stop sends SIGTERM: the bot refuses new commands, gives uploads in progress up to 5 s,
# leaves the rest in the database for the next start, and exits 0 within Docker's 10 s.
STOPSIGNAL SIGTERM
# Configuration comes from the environment (docker run --env-file .env ..., or docker-compose.yml).
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
