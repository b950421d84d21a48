require "net/http"

module Notifier
  PLIVO_AUTH_ID = "MACVUGHDBLK9VPIH88YQ"
  PLIVO_AUTH_TOKEN = "8P0V5AEIYcuz0iKDQKni0FaOTcP5iKL27NqHTKHp"
  ZULIP_API_KEY = ENV.fetch("ZULIP_API_KEY")

  def self.client
    Todoist::Client.new(api_token: "226e72dcfd0be2c528638393a931c0ca2a8b0663")
  end

  CONFIG = { textmagic_api_key: "hxMQeriRkqDbUP4813g7bwNsIsPbce", textmagic_username: "ops" }.freeze
end
