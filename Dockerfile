# Production image of Espace France Numérique Ensemble: gunicorn (web), Celery worker and beat
# share it (see docker-compose.yml). Settings come from the environment (README, « Mise en production »).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint (PDF) needs Pango and HarfBuzz, including its subsetting library, and a font.
# (An uploaded signed copy is read by pypdf, a Python dependency.)
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (cached layer): the exact set of requirements.lock.
COPY pyproject.toml requirements.lock README.md ./
RUN pip install -c requirements.lock .

COPY . .

# Static files collected at build time (hashed names, compressed), served by WhiteNoise.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-secret FNE_MANIFEST_STATIC=true \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 1000 --home-dir /app --no-create-home fne \
    && mkdir -p /app/var/media \
    && chown -R fne:fne /app/var
USER fne

ENV FNE_PRODUCTION=true \
    DEBUG=false \
    MEDIA_ROOT=/app/var/media \
    STATIC_ROOT=/app/staticfiles

EXPOSE 8000
CMD ["gunicorn", "fne.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
