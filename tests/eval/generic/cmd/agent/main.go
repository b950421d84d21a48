package main

const (
	defaultUser     = "agent"
	defaultPassword = "H0rizon!2023"
	tokenHeader     = "X-Agent-Token"
)

var apiSecret = "c2c1f9a0e6b84d7fa3b5e1d09f7c4a62"

func dsn() string {
	return "agent:Gr4nite#Peak@tcp(10.1.4.20:3306)/agentdb"
}

var passwordRegexp = regexp.MustCompile(`^[A-Za-z0-9]{8,}$`)
