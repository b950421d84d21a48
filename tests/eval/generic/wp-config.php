<?php
define( 'DB_PASSWORD', 'Purple!6356x' );
define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );
define( 'AUTH_KEY',         '&yz:e|oF+*HHGQw|z4)!rksnm37g*ZjV#a2hX]hXC.2P.^H*GOy7fw%{sP4~Cej(' );
define( 'NONCE_SALT',       'p{ewrWR-S%o}D/532<NWxE/R}sVIBMzRr,O.(63i#EA.-JxZJBUCq0B1i3A4=u6h' );
define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );
$config['smtp_pass'] = 'ac4I3qIExRq+';
$password = $_POST['password'];
