import requests
r = requests.get(url, auth=HTTPBasicAuth("svc", "Copper#6265z"))
conn = psycopg2.connect(host="db", user="app", password="Maple@617x")
SECRET = "please-change-this-secret-in-production"
token = "Bearer " + get_token()
API_KEY = "your-api-key"
jwt_secret = os.environ.get("JWT_SECRET", "9VmVY9ofFMe4x1CMP75NE8lM")
password = input("Password: ")
raise ValueError("invalid token: expired")
