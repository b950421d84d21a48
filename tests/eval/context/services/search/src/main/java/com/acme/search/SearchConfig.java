package com.acme.search;

public final class SearchConfig {
    private static final String SHODAN_API_KEY = "JdhJdVLnP0VK7h6lz1pkJGcW3ALRUn54";
    private static final String VIRUSTOTAL_API_KEY = "c9c2af4f71fc7865ecb34867db276aa63565bfbeac7f1c489c62d7b7c37c3deb";
    private static final String SERIAL_VERSION = "aa1a1201d6486c8216eb9071bcd17f41";
    private final String etherscanApiKey = System.getenv("ETHERSCAN_API_KEY");
    private final String infuraProjectSecret = "ad2f01987ca126c4a3f09d20391bbd6f";
    private final String zerobounceApiKey = "5fafd29b6f5437c2a9a57c3aa1db2156";

    private SearchConfig() {}
}
