package com.acme
val apiSecret = "sfp5KXsqVNQRoWqJ3PY2TD4y"
private const val DB_PASS = "Silver!3060z"
val password = BuildConfig.DB_PASSWORD
val tokenKey = "com.acme.auth.TOKEN"
