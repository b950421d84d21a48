$env:AZURE_CLIENT_SECRET = "-pIzwtxqMx1qwd_0Ht4Q47~LCI-"
$cred = Get-Credential
$password = Read-Host -AsSecureString "Password"
