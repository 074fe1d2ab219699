import { z } from 'zod';

/**
 * China's extent, Zengmu Ansha to Mohe and the Pamirs to the Wusuli: a mistyped coordinate, or
 * latitude and longitude swapped, falls outside it.
 */
export const chinaBounds = { minLat: 3.8, maxLat: 53.6, minLng: 73.4, maxLng: 135.1 } as const;

const within = (min: number, max: number, what: string) =>
  z
    .number()
    .min(min, `${what} within China: ${min}–${max}`)
    .max(max, `${what} within China: ${min}–${max}`);

/**
 * A point in GCJ-02, the datum of the Amap and Tencent maps operators read station positions from;
 * distances for routing are unaffected by the few hundred metres it differs from GPS (WGS-84).
 */
export const geoPointSchema = z
  .object({
    lat: within(chinaBounds.minLat, chinaBounds.maxLat, 'latitude'),
    lng: within(chinaBounds.minLng, chinaBounds.maxLng, 'longitude'),
  })
  .strict();
export type GeoPoint = z.infer<typeof geoPointSchema>;
