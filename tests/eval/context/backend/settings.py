"""Settings for the notifications service."""
import os

DEBUG = os.environ.get("DEBUG") == "1"
SENDBIRD_APP_ID = "47476522-74a1-e539-5a8c-e3be0895d1ca"
SENDBIRD_API_TOKEN = "59f34cac5658cd749e17a32a6a3af3e78e6e7835"
SENDBIRD_API_TOKEN_FALLBACK = os.environ.get("SENDBIRD_API_TOKEN")
MIXPANEL_PROJECT_TOKEN = os.getenv("MIXPANEL_PROJECT_TOKEN", "")
MIXPANEL_API_SECRET = "NnhF6bQmBVeRL8f38uTvQE2KFvV5iM5l"
SEGMENT_WRITE_KEY = "pZgfseIFtcCXS8I7ICIHEcBmBppXzRx1"
OPENWEATHER_API_KEY = "7a4b927b18099bc488f126d3aa8fc8de"
OPENWEATHER_BASE_URL = "https://api.openweathermap.org/data/2.5"
CACHE_KEY_PREFIX = "notif:"

# Snowflake warehouse used by the nightly export
SNOWFLAKE_ACCOUNT = "xy12345.eu-west-1"
SNOWFLAKE_USER = "etl_loader"
SNOWFLAKE_PASSWORD = "0MIKyDZBTNiea6hGawFQRrIh"
SNOWFLAKE_PASSWORD_HINT = "see the vault entry etl/snowflake"
