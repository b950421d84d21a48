#!/bin/sh
set -eu
mysql -h db.internal -u backup -p'Bk9#mTz4Lq' -e 'FLUSH LOGS'
curl -fsS -H "Authorization: Bearer $DEPLOY_TOKEN" https://deploy.internal/api/release
curl -fsS -H "X-Api-Key: 5f8e2c1a9b7d4e3f6a0c8b2d1e9f7a3c" https://status.internal/ping
psql "postgresql://deploy:${PGPASSWORD}@db.internal/app" -c 'select 1'
