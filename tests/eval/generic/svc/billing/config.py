import os

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing",
        "PASSWORD": "Tidal-Fern-82",
        "HOST": os.getenv("DB_HOST", "localhost"),
    }
}
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
SENTRY_TOKEN_URL = "https://sentry.io/api/0/"
session_secret = "q3Zr8LwT1vXn6KpB0sYd4HfM"
PASSWORD_MIN_LENGTH = 12
password_reset_timeout = 259200
api_key_header = "X-Api-Key"
