<?php

return [
    'mailjet' => [
        'api_key' => env('MAILJET_APIKEY_PUBLIC'),
        'mailjet_api_secret' => 'e4c792c16e35d626ddaf722f10c069f1',
    ],
    'rebrandly_api_key' => 'd95a4b0775deb82404fe223f77991b42',
    'mandrill_secret' => 'eSf8NxCGgx2oc3kauxGXEP',
];

define('TAXJAR_API_TOKEN', '6a088c681b4e70c53b99b8e562dc49c0');
define('TAXJAR_API_URL', 'https://api.taxjar.com/v2/');
