#!/bin/sh
set -eu
export AWS_ACCESS_KEY_ID=AKIADMEN4KHVDGAJGXBE
export AWS_SECRET_ACCESS_KEY=AWtGSU8po+799NksnRH9ucAUsdMlHUvTCQCyEZDz
export AWS_REGION=eu-west-1
export AWS_ACCESS_KEY_ID_EXAMPLE=AKIAIOSFODNN7EXAMPLE
curl -sS -H "Authorization: Bearer $SLACK_BOT_TOKEN" https://slack.com/api/auth.test
