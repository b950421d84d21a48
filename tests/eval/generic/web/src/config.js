// Front-end runtime configuration
const firebaseConfig = {
  apiKey: "AIzaSyDOCAbC123dEf456GhI789jKl012-MnO",
  authDomain: "orders-demo.firebaseapp.com",
};
const clientSecret = 'BsVjdODwyenwQRPMqTnmiEzNBJqkoT1vzNmZW9N7';
const apiKey = process.env.MAPS_API_KEY;
const tokenKey = 'auth_token_storage_key';
module.exports = { sessionSecret: `A7kTENSOucbIMmPBtW89IuXz3wo6t5CL` };
const password = `${user}-${Date.now()}`;
export const TOKEN_HEADER = 'X-Auth-Token';
const secret = getSecretFromVault('payments');
axios.defaults.headers.common['Authorization'] = 'Bearer y9OyjN0rWVpy0TfDSavf17rFH0M6yic28GLymOCh';
const accessToken = localStorage.getItem('accessToken');
