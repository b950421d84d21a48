package com.acme.orders;
        ds.setPassword("River#2726z");
        ds.setPassword(System.getenv("DB_PASSWORD"));
        char quote = '"';
