<?php

return [
    'harness_platform_api_key' => 'pat.ke-BSDv2iFeuS0HOkJ9C1h.de7FFCC8dbFf4F1fEad1BA92.qfETVd5j1N7eWPFlRX0c',
    'harness_platform_api_key' => env('HARNESS_PLATFORM_API_KEY'),
    'lichess_token' => 'lip_uuHxYA6dvg9hIZ0qFNDs',
    'lichess_token' => 'lip_JJJJJJJJJJJJJJJJJJJJ',
    'yc_secret_access_key' => 'YCM8aqs92XjpxLOdurh5S0l-bNO_Muwg1qdp62Et',
    'yc_secret_access_key' => 'YCMQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
    'asaas_api_key' => '$aact_hmlg_Mc7hgAq3H4MiZct+XUkVYVmre5bSDCrLSrZz9hGciE5ragHIc9hJa+j6w40pYgTMDMkeSyRDHrrQEWvDfUHnUtIwNFFd8S4xFKUZE10bZDyCph4X4fJHf2pJ/uvx7f7KRshtH+jvmSooGnNkzAts7tEuv0C9DSqMCCJUojfw==',
    'asaas_api_key' => env('ASAAS_API_KEY'),
    'azure_search_admin_key' => 'oqbFgn9cdWFijNJXvfwvAlVQEwNP7rDYi4E6KGxmbXAzSeADiOAG',
    'azure_search_admin_key' => env('AZURE_SEARCH_ADMIN_KEY'),
    'clickhouse_key_secret' => '4b1di3ah0vbD3cThzOpzQMzH0onBLgrgRSg9tkxFLO',
    'clickhouse_key_secret' => env('CLICKHOUSE_KEY_SECRET'),
    'zuplo_api_key' => 'zpka_229839c8b0285efaf73b30973587f5b9_80d97d1a',
    'zuplo_api_key' => env('ZUPLO_API_KEY'),
    'nomic_api_key' => 'nk-A67ZyoSdpqmV_6OI5iWS3QCw_RXSSvXKEjJqv9L0zvc',
    'nomic_api_key' => 'nk-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'sp_api_refresh_token' => 'Atza|IwEBxFoSYuNgJkZPpSTWJ0J2lWEUuiQ8SqMvUi-HoEpIG-TNP0DwPcdTaXEtoYckkqQ6VtW0pwnBC3NrpvkMkpzzuYuRsaPFJAV34x1p_nD8VDBW_nYv5i24G8ehl-izailnk_YZKqFY2Fvf3iDnfLv5gMd1erHBSawIe-rxAAeEjOWpPuhF9tCEwsu3fcqnMlooH9ncFboGj1O0Fytynkk58BfGrz0LmZMv4YDykxPDC452JoWKNGRrxteNDU-B5yRy5GvqFj01hCdwLUEdcmLX4KrBT-7_Mby3ONOxRVyJIUJv',
    'sp_api_refresh_token' => env('SP_API_REFRESH_TOKEN'),
];
