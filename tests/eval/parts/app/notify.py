import os
from twilio.rest import Client

ACCOUNT_SID = "AC5636c5d69e573afd6310f4ffcf19209f"
AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]

client = Client(ACCOUNT_SID, AUTH_TOKEN)

