# fincoach: one image for the web (daphne, ASGI: HTTP + WebSockets), the Celery worker and Celery beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files with hashed names for whitenoise. Production settings refuse to load without real secrets, so the
# build passes throwaway ones; the running containers get theirs from the environment (.env).
RUN DEBUG=0 \
    SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    ALLOWED_HOSTS=build.invalid \
    FIELD_ENCRYPTION_KEYS=build-only-not-a-key \
    python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 fincoach \
    && mkdir -p /app/var /app/ml/artifacts \
    && chown -R fincoach:fincoach /app/var /app/ml/artifacts
USER fincoach

EXPOSE 8000
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "--proxy-headers", "fincoach.asgi:application"]
