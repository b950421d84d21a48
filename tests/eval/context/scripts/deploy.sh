#!/usr/bin/env bash
set -euo pipefail

export SNYK_TOKEN=6c3f0aca-c275-493a-e4ce-4f80884331dc
export SNYK_ORG=acme-platform
export RAPIDAPI_KEY="qRfkDEW8kCiVID2Su9cQaHE3fvQ1GmhnqzZDFlMnybmO7XiTn6"
export FASTLY_API_TOKEN='XjSuEaRrpTnOfFUyyZMcj8nlHmN27lsm'
export FASTLY_SERVICE_ID=${FASTLY_SERVICE_ID:?}

mvn -B verify sonar:sonar -Dsonar.projectKey=acme_api -Dsonar.login=ddb409f938bc77f41928a4e758432dfea5d5e696
curl -s -H "x-rapidapi-key: $RAPIDAPI_KEY" https://weatherapi-com.p.rapidapi.com/current.json
git rev-parse HEAD  # e68033ecacc4bc64b4b3153e30e3338777df8afb
