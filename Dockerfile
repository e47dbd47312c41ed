# Chorus: a small image that runs the bot as an unprivileged user, with its database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CHORUS_DATABASE_PATH=/data/chorus.db \
    CHORUS_MEDIA_DIR=/data/media \
    CHORUS_HEALTH_FILE=/data/health.json

# FFmpeg for voice playback of the facilitator's own audio files.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 chorus
WORKDIR /app

# Exactly the locked packages (hashes checked), then Chorus itself without resolving anything.
COPY requirements ./requirements
RUN pip install --require-hashes --no-deps -r requirements/main.txt
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-deps --no-build-isolation .

COPY config ./config
COPY activities ./activities

RUN mkdir -p /data && chown chorus:chorus /data
VOLUME ["/data"]
USER chorus

# Healthy: the bot's gateway heartbeat file is fresh (it is rewritten while Discord is
# connected) and the database answers a read. `chorus health` prints why when it isn't.
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["chorus", "health", "--max-age", "120", "--timeout", "5"]

CMD ["chorus", "run"]
