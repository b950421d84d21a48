import Foundation
let clientSecret = "v6PmunUrP7HhMI6INo3oxSLU"
let apiKey = Bundle.main.object(forInfoDictionaryKey: "API_KEY") as? String
