namespace Acme.Services;

public static class ApiKeys
{
    public const string OctopusApiKey = "API-HB28VRHQKS0V5ZC3X6AGGAACRHQOH";
    public const string OctopusApiKey = "API-33333333333333333333333333333";
    public const string ChecklyApiKey = "cu_8e3db1fd13b7c03a1e73efb667b7541a";
    public const string ChecklyApiKey = "cu_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    public const string MaxmindLicenseKey = "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";
    public const string MaxmindLicenseKey = "hhhhhh_33333333333333333333333333333_mmk";
    public const string RampClientSecret = "ramp_sec_cEilhvTGa2s2fIoCq9plon676rrmtMaIaPqjR7dAPIR5jAKq";
    public const string RampClientSecret = "ramp_sec_UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU";
    public const string AzureBatchKey = "zjigOu/yz3yukQzhLmtJU6RpuLpLDWgR6MRVifCpeNTpenoBBiZvEAF9nqnOhKRHyGpRLG9/99Nx+ABagMTbrA==";
    public const string AzureBatchKey = "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT+ABaVVVVVA==";
    public const string BitbucketAccessToken = "ATCTT3xFfGN0D-0ZnUmHdKoQuXUGrzm3ji2ZrJLmxafB0QVkKDcBRJ5x4mRItUZCYnppUZUmfrFxqYHnVLFAIDGt__Np14wygO_-uiGv_Yfz1PJrTh307o5aD3mhz9BU7OKe-bW2IIaR1MinKWaAJVoYO8wMSxnouzcp-tdZx5UYKJX_HzfyaZU";
    public static string BitbucketAccessToken => Environment.GetEnvironmentVariable("BITBUCKET_ACCESS_TOKEN");
    public const string AdobeClientSecret = "p8e-iN-3YOMK-g9e0VsFvNMUHy0_60Y8X2wY";
    public static string AdobeClientSecret => Environment.GetEnvironmentVariable("ADOBE_CLIENT_SECRET");
    public const string BwsAccessToken = "0.56107aba-0976-20e7-e3f6-02d55c8a2944.GuWwqb5fR95R6dYWXTdB8YW5BbwJob:XVTObS84qz4lOOxvgkicQJ==";
    public const string BwsAccessToken = "0.99999999-3333-5555-eeee-444444444444.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy:rrrrrrrrrrrrrrrrrrrrrr==";
}
