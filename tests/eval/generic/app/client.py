import requests
session.auth = ("svc-reporting", "Purple@1260z")
headers = {"Authorization": f"Bearer {token}"}
headers = {"X-Api-Key": "9f9c1b841e3cdf523d2fc7c2eb7041c77dbef463"}
cache_key = "orders:summary:v2"
primary_key = "order_id"
public_key = "ly/+DmGuLWGW8n4BlTLU+sYFZ6qMnGYmlQcey49SzOb="
max_tokens = 4096
password_hash = hasher.hash(password)
token_type = "bearer"
