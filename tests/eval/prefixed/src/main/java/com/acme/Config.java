package com.acme;

public final class Config {
    static final String UNLEASH_INSTANCE_ID = "glffct-k99neEC7C6JYMiznF6yt";
    static final String UNLEASH_INSTANCE_ID = "glffct-TTTTTTTTTTTTTTTTTTTT";
    static final String IONIC_TOKEN = "ion_1SAmG7sF1F7mLHibINrjTzHtXLsOCaVdDDqNzJCWEI";
    static final String IONIC_TOKEN = System.getenv("IONIC_TOKEN");
    static final String YC_API_KEY = "AQVN7XDNw804sR3un-8Vf1VtsoySjY7HXm8FMslG";
    static final String YC_API_KEY = "AQVNkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk";
    static final String XENDIT_SECRET_KEY = "xnd_production_Q2oA0dkjPatNdPgOQW9b0IErK18etqFot3nLdmH76zggyZmbRveBiRVjJNSmDPYl";
    static final String XENDIT_SECRET_KEY = System.getenv("XENDIT_SECRET_KEY");
    static final String MWS_AUTH_TOKEN = "amzn.mws.9a7cd080-1c5f-49dc-60eb-35443dad34f2";
    static final String MWS_AUTH_TOKEN = "amzn.mws.99999999-9999-0000-9999-222222222222";
    static final String ASTRA_DB_APPLICATION_TOKEN = "AstraCS:EVzkBTdiVQfYqtekYRlvkcbn:4f820358eaef5b80f85fae810aa1bea9d690b36128703a5b8757354b6951a88c";
    static final String ASTRA_DB_APPLICATION_TOKEN = "AstraCS:VVVVVVVVVVVVVVVVVVVVVVVV:0000000000000000000000000000000000000000000000000000000000000000";
    static final String SAMSARA_API_TOKEN = "samsara_api_6y0JDRYlmpSJQXofCxSP0kdJMOjd7B";
    static final String SAMSARA_API_TOKEN = System.getenv("SAMSARA_API_TOKEN");
    static final String DEEPL_AUTH_KEY = "e6f765df-05d8-609d-fdb7-84adc3c0c7b1:fx";
    static final String DEEPL_AUTH_KEY = System.getenv("DEEPL_AUTH_KEY");
    static final String APPSYNC_API_KEY = "da2-9rbgy3o14pm7xtd4jod3odqedy";
    static final String APPSYNC_API_KEY = "da2-cccccccccccccccccccccccccc";
}
