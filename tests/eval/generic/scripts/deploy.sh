#!/usr/bin/env bash
set -euo pipefail
export REGISTRY_PASSWORD="Maple!6157z"
export DB_PASSWORD="${DB_PASSWORD:?missing}"
curl -fsS -u deploy:zysOaxUyJXu1 https://nexus.corp.local/service/rest/v1/status
curl -H "Authorization: Bearer HA0zgb4rsJSgiVW4EVNAOtu2i1gbeymgYVfd" https://api.corp.local/v1/deploy
curl -H "Authorization: Bearer $TOKEN" https://api.corp.local/v1/deploy
mysql -h db.local -u backup -pLA-#JymdFq orders < dump.sql
mysql -h db.local -u backup -p orders < dump.sql
sshpass -p 'Tiger!1561z' ssh ops@10.0.4.12 uptime
vault write auth/userpass/users/ci --password c#bSHQHqvWfj4u
docker run -u 1000:1000 --rm alpine id
git clone https://ci:qt8kOlhsGftkq8IIIox9@git.corp.local/platform/infra.git
git clone https://git.corp.local/platform/infra.git
redis-cli -h cache.local -a 87bELBPpIPacfmTK ping
