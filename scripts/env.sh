# Shared settings for the scripts; every value can be overridden from the environment.
export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export WIDGET_PORT="${WIDGET_PORT:-8080}"
export WIDGET_ORIGIN="${WIDGET_ORIGIN:-http://localhost:$WIDGET_PORT}"
export RASA_PUBLIC_URL="${RASA_PUBLIC_URL:-http://localhost:$RASA_PORT}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export RASA_ENDPOINTS="${RASA_ENDPOINTS:-endpoints.yml}"  # deploy/endpoints.postgres.yml for PostgreSQL
export REVIEW_PORT="${REVIEW_PORT:-8081}"

# Rasa's HTTP API is never open without a token: take RASA_AUTH_TOKEN, or make
# one on first use and keep it in var/rasa_token (readable by this user only).
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  mkdir -p var
  if [ ! -s var/rasa_token ]; then
    (umask 077; .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))' > var/rasa_token)
  fi
  RASA_AUTH_TOKEN="$(cat var/rasa_token)"
fi
export RASA_AUTH_TOKEN
