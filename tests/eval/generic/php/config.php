<?php
return [
    'db_password' => 'Qp7!xRm2Wk',
    'mail_password' => env('MAIL_PASSWORD'),
    'jwt_secret' => 'Jf83kLq0Zx7Vn2Bt5Ym9Wc4Rd1Hs6Pa',
    'password_hash_algo' => PASSWORD_BCRYPT,
    'api_key_name' => 'X-API-KEY',
];
