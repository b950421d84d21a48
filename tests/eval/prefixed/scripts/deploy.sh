#!/usr/bin/env bash
set -euo pipefail

export DENO_DEPLOY_TOKEN="ddp_tOZEqThxXlvQLYDPbr7D1YtQHBEbxgXE1Jdh"
export DENO_DEPLOY_TOKEN="ddp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
export TABLEAU_PAT_SECRET="FY/wyZAnrT5gBVo21gRRcu==:vobKsj1iF16CUXtYmjyf0odVmMKQ5NAK"
export TABLEAU_PAT_SECRET="${TABLEAU_PAT_SECRET:?set it in CI}"
export ADAFRUIT_IO_KEY="aio_WEmcTpLTH0Yv9rAlPP6TGOJ3c8sU"
export ADAFRUIT_IO_KEY="aio_RRRRRRRRRRRRRRRRRRRRRRRRRRRR"
export LOB_API_KEY="live_62287a72e4c94080cacc2e310429d05c5ae"
export LOB_API_KEY="${LOB_API_KEY:?set it in CI}"
export GOOGLE_REFRESH_TOKEN="1//09qYds8Vkok16hxqWx-WdtD2OKMHoFywUI_VzRrbf87sKuIHpwKfL8hCWwAx1O7fgArIBb2-t9qs1zz2Q3OaahY3UfUz8UAJzStJ"
export GOOGLE_REFRESH_TOKEN="${GOOGLE_REFRESH_TOKEN:?set it in CI}"
export MANDRILL_API_KEY="md-XeREjuHKj1cAux2HuU4Adl"
export MANDRILL_API_KEY="${MANDRILL_API_KEY:?set it in CI}"
export LOCATIONIQ_TOKEN="pk.66ef5eff6157a50100072a2716792b60"
export LOCATIONIQ_TOKEN="pk.dddddddddddddddddddddddddddddddd"
export CHROMATIC_PROJECT_TOKEN="chpt_7d9a8c2c534943"
export CHROMATIC_PROJECT_TOKEN="${CHROMATIC_PROJECT_TOKEN:?set it in CI}"

./bin/release "$@"
