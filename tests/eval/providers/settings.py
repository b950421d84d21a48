"""Deployment settings for the billing worker."""
import os

DEBUG = os.environ.get("DEBUG", "0") == "1"
GITHUB_TOKEN = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d"
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
STRIPE_SECRET_KEY = "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"
STRIPE_PUBLISHABLE_KEY = "pk_live_UhJduRHHJEYXg4JdpmrcXgGCJbW56eCuNGMGmSrCGIZEG8pSH4487q7J58m1CiAhzCueQpBenQtYh5Xj8TPQxjq4i9DoV8gz4Fk"
GITHUB_TOKEN_HELP = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
