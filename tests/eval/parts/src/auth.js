export const okta = {
  issuer: "https://dev-7731952.okta.com/oauth2/default",
  apiToken: process.env.OKTA_API_TOKEN,
};

export const auth0 = {
  domain: "acme-shop.eu.auth0.com",
  auth0ClientId: "cTS4IiAG3raYnIdky2vkAzUWexkaIVTZ",
  audience: "https://api.acme-shop.io",
};
