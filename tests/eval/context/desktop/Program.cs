using System;

namespace Acme.Desktop
{
    internal static class Secrets
    {
        public const string BrowserStackAccessKey = "zNDyhGxtIYi4JC543hz6";
        public const string BrowserStackUserName = "acme_qa";
        public static readonly string SpotifyClientSecret = "a381feb693b81c47cf4b9bda118bd2b1";
        public static readonly string SpotifyClientId = "ddd4280d8d73d18f71f52842fff5e1f8";
        public static readonly Guid SnykOrgId = Guid.Parse("ff4ea705-cd46-bc04-1aad-f0d366c48c6a");
    }
}
