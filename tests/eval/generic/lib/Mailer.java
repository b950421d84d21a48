package com.acme.notify;

public class Mailer {
    private static final String SMTP_USER = "notify@acme.io";
    private static final String SMTP_PASSWORD = "Wq9#tLm4Vz";
    private static final String PASSWORD_PROPERTY = "mail.smtp.password";
    private String authToken = System.getProperty("notify.token");
    private static final String SIGNING_KEY = "9d4b7e2a6c1f8e3b5a0d7c4f1e8b2a6d";
}
