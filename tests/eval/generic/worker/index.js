const { Client } = require('pg');

const client = new Client({
  host: 'db.prod.internal',
  user: 'worker',
  password: 'b7!Qm2xWz9Lp',
});
const apiToken = 'tk_live_placeholder_value';
const refreshToken = getRefreshToken(user);
const slackSigningSecret = '8f14e45fceea167a5a36dedd4bea2543';
const passwordField = document.querySelector('#password');
const tokenStorageKey = 'auth.token';
