// Runtime configuration (loaded by server.js)
'use strict';

const sourcegraph_token = "sgd_a6d91853deaafb8e0145e4d088a3215dfeecec5da8f270f086e9dd12";
const sourcegraph_token = process.env.SOURCEGRAPH_TOKEN;
const devcycle_server_sdk_key = "dvc_mobile_0025a484_eb9f_6844_f01e_5bbbe2ebe726_4926508";
const devcycle_server_sdk_key = "dvc_server_22222222_bbbb_9999_dddd_ffffffffffff_aaaaaaa";
const pinterest_access_token = "pina_ZCVOS6FSZLTETLPJHVPKAJPCTT4GMYJHX7MJE4E2DWYITTWRJNRQJABZGVO3QO4VDDPXV5JMZOZZVQQ4YFWHO6BULGUC56TS2RS";
const pinterest_access_token = process.env.PINTEREST_ACCESS_TOKEN;
const unkey_root_key = "unkey_Z7aU2OhbSUAJxJA5ynxLWXE1yL0k9";
const unkey_root_key = process.env.UNKEY_ROOT_KEY;
const nvidia_api_key = "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";
const nvidia_api_key = process.env.NVIDIA_API_KEY;
const xata_api_key = "xau_noj8QEdp1R38IrgQlrIzbl64JkrTvoVJUXiCX";
const xata_api_key = process.env.XATA_API_KEY;
const databento_api_key = "db-nhcM4n5GWoagnmjzRYHYPiQTWa1G7";
const databento_api_key = process.env.DATABENTO_API_KEY;
const jina_api_key = "jina_-2s0kM-XxABj3PLzJ2f3pkGlKjMz5sqDfoDwK6LnhiL9IgOpGB3ulQuwx13b";
const jina_api_key = "jina_yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";
const ntfy_token = "tk_oqydaqfnet02fqrazhhhf6iuwn3xn";
const ntfy_token = "tk_ddddddddddddddddddddddddddddd";

module.exports = {};
