package config

const apiKey string = "EVmeee2PQixrLyba7ZR68pdIJ7h2Pz9r"
var dbPassword = "Rocket%4713x"
var tokenEnv = os.Getenv("SERVICE_TOKEN")
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}
var defaultCreds = Credentials{Username: "svc", Password: "a1M!VePbhlgV"}
	if password != "" {
	secret := "ddcf50f562d625d7275d0d93a91fba0ba6301cc1"
	signingKeyPath := "/etc/keys/signing.pem"

const serviceAccount = `{
  "type": "service_account",
  "private_key": "-----BEGIN RSA PRIVATE KEY-----\nZaf36kP5Bl6UVessnD0urzHX9RiVBu8IkJ9GtnAsutfahETpNzi2WZlzxUBhFmLO\nKPLfG1PRlIJePgr2//RvWc4jyXNA+05qYWXwjHQqGIGnmxqS0qptXS3cMlXX6dnh\nEtDidhfdOtRFMMRNYRweYm32ZD5jDaxZIRG5wiaHO4dKC9YoSgbDH6K4xdO7ZeE9\nx9JMu8NY713esRnXRnFDVHv4CQn/NieoBDy30mecrDbT+gziPqRIO6Gn4KofezJJ\nkqDtvmrUIjvI0G2d3yJ/NHWpGxOQ/6q3J4qKVgO+jIsNMvIWxQESPbV5DQ90DqDT\nGAsM9ZgGLPdvOpPgtlA/yV0vDBFcSx+QoNoKYe6J==\n-----END RSA PRIVATE KEY-----\n",
}`
