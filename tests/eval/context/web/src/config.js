// Runtime configuration for the dashboard front end.
module.exports = {
  env: process.env.NODE_ENV || 'development',
  mapquestApiKey: 'Hl50I4AD5vLZUyp1xl7ihhgILuDMyEFG',
  tomtomApiKey: process.env.TOMTOM_API_KEY,
  locationiqAccessToken: 'Im6It1j8uIwxwT2aYcxZMl3mhk615AZT',
  pusherKey: '426997c2595e9122116a',
  pusherSecret: '44b78c08854a84684267',
  mixpanelToken: '4c980fca8dee1dcce841f4a5b5ad3cf5',
  pusherCluster: 'eu',
  buildSha: '360ba92dee64544f9664a371e5048e7d8f4f53f0',
  integrity: 'sha384-Ub1ErTHEZnVwX5lfiA5nYQnLqFWfDNJGhjaIFw40YUcYqvc4eDqFj1ZKnb8EXW/+',
  bitlyAccessToken: '44c3698e3feb947e0fa5f9b3e236a3305ae95cdf',
};
