provider "azurerm" {
  features {}
  tenant_id       = "425ea6a8-19bd-480c-9477-48196f2774f4"
  client_id       = "e92dc996-423e-4cb0-92b9-9c4e4a59f260"
  client_secret   = "qbZ8Q~_cadNM9MIoygEPleB9_-JTZbBXBj9Eh0GI"
  subscription_id = "f1ed68b8-a6ae-491b-97a8-537d43ec6521"
}

provider "aws" {
  region     = "us-east-1"
  access_key = "AKIADWSJJME3VB4HSODV"
  secret_key = "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"
}
