locals {
  launchdarkly_mobile_key = "mob-63cf9e19-48de-0d45-278a-08569714e777"
  launchdarkly_mobile_key = var.launchdarkly_mobile_key
  facebook_access_token = "EAAJNSFa8ZlpKlSAqV9839DvgWcbnIe5K1WlotnTgsBggXusRrjHLtXKp0Eb7fpdXgEBZEBxMp1IHKbjqlQUInehmnjRxkrqAfSHJwBuQqntFMVcUxK8FIT5317lPx2w1YCqAOQ95CTaaF1qLpj8e3ClseJ74BykPZEoFqcYU8b4"
  facebook_access_token = var.facebook_access_token
  klaviyo_private_api_key = "pk_84e739be2cdd2afbd759d3eba09b6509c8"
  klaviyo_private_api_key = var.klaviyo_private_api_key
  posthog_key = "phc_kGUos3Vy6fYwYSTX4cio6wAepUxB3toWDToWyqhrN37"
  posthog_key = "phc_4444444444444444444444444444444444444444444"
  supabase_secret_key = "sb_secret_wmkkVdQ99sfkFO-puSchMN_3UdV-wFO"
  supabase_secret_key = "sb_secret_2222222222222222222222_IIIIIIII"
  fullstory_api_key = "na1.dtIDHhJHAV626C+efXNlpS98haJ1QWdhPve/95oQ9kfrtJ4Trpt1TiwByu3QRCz9y+RZ="
  fullstory_api_key = "na1.vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv="
  tavily_api_key = "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"
  tavily_api_key = var.tavily_api_key
  youtrack_token = "perm:G4LmFRgL==.dzPR==.5hhju0wKBtsP8ds4QGGeKc9X6TPLno"
  youtrack_token = var.youtrack_token
}
