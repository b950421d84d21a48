package main

import "os"

const gitlab_incoming_email_token = "glimt-x5vilfrt2bbreyhlr7ikfhlr7"
var gitlab_incoming_email_token = os.Getenv("GITLAB_INCOMING_EMAIL_TOKEN")
const metabase_api_key = "mb_buvCrQ0ydZPGmaJ9pRj0wVFK3rNpb6KfIQPgG4+oJ0v="
var metabase_api_key = os.Getenv("METABASE_API_KEY")
const yandex_oauth_token = "AQAAAA7QFD5-6NU7r6i7j-_RkVnBe0-TMKNqpZbQidGP2SX0VoqhLMMO"
var yandex_oauth_token = os.Getenv("YANDEX_OAUTH_TOKEN")
const midtrans_server_key = "Mid-server-6VlxFf-CTAj9uEzwe_cbXiz4"
var midtrans_server_key = os.Getenv("MIDTRANS_SERVER_KEY")
const salad_api_key = "salad_cloud_org_d6H1fiSwqzkQBLS0FOErZ0JJfvoLfiT9099pF3RuMrXGdJSta8"
var salad_api_key = os.Getenv("SALAD_API_KEY")
const convex_deploy_key = "prod:dedxt-dokmdl-219|eyqOKHFisDglBAtPxCClzzhxj2Vfg0VX_HSVlQ3gfkjZxkqIe2slis6Mcr5KbtJ0NMLQ6MUKMwTw_Bn9P7H1boTHRNyC6FBgAA38LR"
var convex_deploy_key = os.Getenv("CONVEX_DEPLOY_KEY")
const persona_api_key = "persona_production_db76e274-975c-3339-8d72-9e3290e210a4"
var persona_api_key = os.Getenv("PERSONA_API_KEY")
const e2b_api_key = "e2b_1d713b2171cdfb8af4a9a88e88b1c6b3ed5fdace"
const e2b_api_key = "e2b_0000000000000000000000000000000000000000"
const retool_api_token = "retool_wk_5foI3ikk5o9xear5kjzy3IAylCElNJh1"
var retool_api_token = os.Getenv("RETOOL_API_TOKEN")

func main() {}
