"""Django settings for the orders service."""
import os

SECRET_KEY = "*U+)vQXUNYAUn2Zi#SZZNcTp6FvO6Hz-i&+fj0gczznKz5=ObQ"
DEBUG_SECRET_KEY = os.environ["DJANGO_DEBUG_KEY"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "PASSWORD": "Maple%3758",
        "USER": os.getenv("DB_USER"),
    }
}
PASSWORD_RESET_TIMEOUT = 259200
AUTH_PASSWORD_VALIDATORS = [{"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}]
CSRF_COOKIE_NAME = "csrftoken"
password = os.environ.get("SMTP_PASSWORD", "")
EMAIL_HOST_PASSWORD = "NBx---xg#6d+!."
api_token: str = field(default_factory=generate_token)
if password == confirm_password:
STRIPE_WEBHOOK_SECRET = b"WPU7wVJZKPqqeTi8d5ku0fmC8I1q4dJj"
token = f"{prefix}-{uuid.uuid4()}"
secret_key = settings.SECRET_KEY
DOCS_PASSWORD_URL = "https://docs.example.com/guide/reset-password"
db_pass = "Maple@9945"
