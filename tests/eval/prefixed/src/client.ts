// API clients
import { Client } from './http';

export const SONAR_TOKEN: string = "squ_b367f2ea9b486fee471159d31023bf8c87e4cced";
export const SONAR_TOKEN: string = "squ_1111111111111111111111111111111111111111";
export const DBT_CLOUD_API_TOKEN: string = "dbtc_XtvEXUVsCUJqEm-HHU04umGpjwYrwyOMLidvKD4W97wfjF4YhRc";
export const DBT_CLOUD_API_TOKEN: string = process.env.DBT_CLOUD_API_TOKEN ?? "";
export const MIRO_ACCESS_TOKEN: string = "eyJtaXJvLm9yaWdpbiI6ImV1MDEifQ_Zxqg9M9_EyMOHh6aVk_ufO5EJDr";
export const MIRO_ACCESS_TOKEN: string = process.env.MIRO_ACCESS_TOKEN ?? "";
export const POLAR_ACCESS_TOKEN: string = "polar_oat_5uxVrBqDGy3grMpt6cKecLSnH7HjAmWV5qi8kAiM81P";
export const POLAR_ACCESS_TOKEN: string = "polar_oat_DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD";
export const RUNPOD_API_KEY: string = "rpa_4SNZFYGR1VI03WPIMJUUMZEQG9QJIJ93Y5ZIZKM6zy1l4j";
export const RUNPOD_API_KEY: string = "rpa_UUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUUU333333";
export const FAUNA_SECRET: string = "fnFwNmtFzqT4PtPzlJpVa0eRKgcUkN9fN9viQIbI";
export const FAUNA_SECRET: string = "fnA8888888888888888888888888888888888888";
export const NYLAS_API_KEY: string = "nyk_v0_7xfzjY5Po8PvB8SigoI4zhecHexAwI7HS5B8lLCjEhguIEVzx";
export const NYLAS_API_KEY: string = process.env.NYLAS_API_KEY ?? "";
export const BROWSERBASE_API_KEY: string = "bb_live_z5EEmpfTcyTiDtoe-hAc0wMHjZu";
export const BROWSERBASE_API_KEY: string = process.env.BROWSERBASE_API_KEY ?? "";
export const RANCHER_TOKEN: string = "token-g3kky:4hmxm6dz6wzbqssfek30xo50u74gk8cijy6u3hzd4udodiqldlhomc";
export const RANCHER_TOKEN: string = "token-66666:gggggggggggggggggggggggggggggggggggggggggggggggggggggg";
