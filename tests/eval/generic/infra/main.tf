resource "aws_db_instance" "orders" {
  engine   = "postgres"
  username = "orders"
  password = "Maple!7585x"
}
resource "random_password" "db" {
  length  = 24
}
  master_password = random_password.db.result
  password = var.db_password
  api_key = "A8D5OrHGIxl7oVQp2POvp8jkWTZxIyysDmTcNr4V"
  kms_key_id = "alias/orders-prod"
