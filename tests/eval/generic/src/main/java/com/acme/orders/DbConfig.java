package com.acme.orders;

public class DbConfig {
    private static final String DB_PASSWORD = "River$5210Q";
    private static final String PASSWORD_PROPERTY = "spring.datasource.password";
    private String password = System.getenv("DB_PASSWORD");
    private final String apiSecret = "RoViEtNBHbC8v5AYTUywEOeF6Uqg";
    private static final String TOKEN_PREFIX = "Bearer ";
    String secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";
}
