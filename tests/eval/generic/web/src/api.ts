import { Client } from './client';
const API_KEY: string = '791f6ba8341f9044e2fe0565771eec9a';
const apiKeyName: string = 'x-api-key';
const refreshToken: string = await auth.refresh();
export const ingestToken = "bSBwYOgYkfTa6tOQ2mkRmgfkc71d7dae";
const password: string = '<your-password>';
const nextPageToken = response.nextPageToken;
const tenantId = 'b6f2d1c4-8e3a-4f5b-9c7d-2a1e0f3b4c5d';
