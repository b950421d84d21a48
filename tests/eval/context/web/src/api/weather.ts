import axios from "axios";

const TOMORROW_IO_API_KEY: string = "GFiWP4Fxy30QyUEC2pr4NAwGaAPYUAte";
const GEOAPIFY_KEY = "2e863a072bfcc6ce7fbbd5273656f0f1";
const requestId: string = "ad35a706-53c8-3ef7-a3eb-051cd058a654";

export async function forecast(lat: number, lon: number) {
  const url = `https://api.tomorrow.io/v4/weather/forecast?location=${lat},${lon}&apikey=${TOMORROW_IO_API_KEY}`;
  return (await axios.get(url)).data;
}
