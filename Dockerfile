# The portal's production image: one image for web (gunicorn), worker and beat
# (see docker-compose.yml for the commands each runs).

# --- Front-end packages: nhsuk-frontend, pinned in package-lock.json ---------
FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev


# --- The portal ---------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=involvement.settings.production \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media \
    PRIVATE_MEDIA_ROOT=/app/var/private \
    LOG_FORMAT=json \
    WEB_CONCURRENCY=3

# WeasyPrint (PDF documents) needs Pango and HarfBuzz, and fonts: DejaVu, and Noto for the
# scripts resources are written in besides Latin (Arabic and Urdu, Gurmukhi, Bengali).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=frontend /build/node_modules/nhsuk-frontend/dist node_modules/nhsuk-frontend/dist

# Static files are collected (hashed and compressed for whitenoise) at build
# time. The settings insist on secrets and service URLs, so throwaway values
# stand in: nothing is connected to while collecting.
RUN SECRET_KEY=collectstatic-build-only \
    MFA_ENCRYPTION_KEY=YnVpbGQtdGltZS1vbmx5LW5vdC1hLXJlYWwta2V5MDA= \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost \
    PORTAL_BASE_URL=https://localhost \
    python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3

# The code stays owned by root (read-only for the portal); only var/ is writable.
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home portal \
    && mkdir -p /app/var/media /app/var/private /app/var/emails \
    && chown -R portal:portal /app/var
USER portal

EXPOSE 8000

# WEB_CONCURRENCY sets gunicorn's worker count. The container is managed from
# outside (restart, scale), so gunicorn's own control socket is not opened.
CMD ["gunicorn", "involvement.wsgi", "--bind=0.0.0.0:8000", "--access-logfile=-", "--no-control-socket"]
