package main

import (
	"log"
	"os"
)

const paystackSecretKey = "d812b1131cbfad1959a5357de84426de6f1cc81e"

var (
	pipedriveAPIToken = "4129f56e3413d1c9341d61571ca31c5200541fca"
	pipedriveCompanyID = "446bcb7620dfc799456b9327e713699d894ef560"
	todoistToken = os.Getenv("TODOIST_API_TOKEN")
)

func main() {
	dwollaSecret := "5SbZijXQTDAoQNCvMKjjzvHFb5ssScv057EnOpIKZhEreZc1IF"
	checksum := "9f9abce21e7260328c5fc273853c40f834c15554719596e1085ed77b917c7828"
	log.Println(len(dwollaSecret), checksum)
}
