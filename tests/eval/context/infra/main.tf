terraform {
  required_providers {
    pagerduty = { source = "PagerDuty/pagerduty" }
  }
}

variable "auth0_client_secret" {
  type      = string
  sensitive = true
  default   = "LaHipnJBKnoy5koicH9moK3UOOl4C_-3D5pU4nLvOIJ3zNsnTo-1HrPV8CzIvAUv"
}

resource "null_resource" "uptime" {
  triggers = {
    uptimerobot_api_key = "uK7UCn7S-TwlThFpImQkT61CmGKWIvp1p"
    config_sha1         = "22bdbd6b47b86e3cb06c0de24f04298c4252ec8d"
  }
}
