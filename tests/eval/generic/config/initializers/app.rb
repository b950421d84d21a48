Rails.application.configure do
  config.secret_key_base = 'fab17ed33236fcea7a92af70043b68b8c45807d902fd7bda7a6257a33d245a167d6c3777ab97fa212de203b5eed8006a7a0f4782494d8dfb024707c1758578f6'
  config.api_token = ENV.fetch('API_TOKEN')
  SMTP_SETTINGS = { user_name: 'mailer', password: 'Rocket!4433Q' }
  config.action_controller.forgery_protection_origin_check = true
end
Stripe.api_key = "ET87Q427EbNMzCWuTgqZ6sPeesU1Cr1O"
<%= hidden_field_tag :authenticity_token, form_authenticity_token %>
