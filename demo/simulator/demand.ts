/**
 * How much the county's actors do in a day: the one place the simulator takes its demand figures from. Until the
 * generated demand file lands (branch `demo`: courier daily volumes, produce in season), these are defaults from
 * docs/domain-figures.md, each with its row; `demandOf(county)` is what the simulator calls, so switching to the
 * generated file is a change here only.
 */
import type { DemoCounty, DemoDemand } from '../demo-types.js';

export interface CourierDemand {
  courierId: string;
  /** Downstream parcels a day at scale 1. */
  parcelsPerDay: number;
}

export interface ProduceInSeason {
  /** What villagers ship, as a booking names it. */
  product: string;
  /** coldchain's seeded profile id (services/coldchain/src/catalogue/domain/profiles.ts). */
  coldChainProfileId: string;
  /** Box sizes, kg. */
  boxKg: number[];
}

export interface Demand {
  couriers: CourierDemand[];
  /** Upstream parcels (bookings) as a share of the downstream ones. */
  upstreamShare: number;
  /** Share of upstream bookings that are produce in season (cold chain); the rest ambient goods. */
  coldProduceShare: number;
  produce: ProduceInSeason;
  /** Ambient upstream goods. */
  ambientProducts: string[];
  /** Share of downstream parcels that are chilled goods (coldchain's `chilled` profile). */
  chilledShare: number;
  /** Downstream parcel weights, kg. */
  downstreamWeightKg: { min: number; max: number };
  /** Share of a day's downstream volume that reaches the center by the night line-haul (the rest mid-morning). */
  nightShare: number;
  /** Share of parcels handed over at a station that their recipients collect the same day. */
  collectedSameDay: number;
}

/**
 * docs/domain-figures.md, "Volumes": between the small network of 7 townships and 94 villages (4,000 parcels a day
 * downstream) and a Yanling-sized county (10,000–20,000), what the demo county's fleet carries: 8,000 here, split over the couriers by a falling share (assumption:
 * the franchise with the largest network carries most; the generated demand file gives each courier's figure).
 */
export const DOWNSTREAM_PER_DAY = 8_000;

/** "upstream 20–40 % of that, more in fruit season" (assumption row): 30 %. */
export const UPSTREAM_SHARE = 0.3;

/**
 * Produce in season: Yanling yellow peach, 21 Jul – 20 Aug ("fruit seasons"); boxes of 1.0, 2.5 and 5.0 kg ("produce
 * parcel sizes", the plum brand's). A quarter of upstream parcels in season is an assumption.
 */
export const PRODUCE: ProduceInSeason = { product: '黄桃', coldChainProfileId: 'yellow-peach', boxKg: [1, 2.5, 5] };
export const COLD_PRODUCE_SHARE = 0.25;

/** Assumption: a small share of downstream parcels are chilled goods (fresh food bought online). */
export const CHILLED_SHARE = 0.02;

/** packages/routing's generated county and bench/dispatch-plan.ts: downstream parcels of 0.3–4 kg. */
export const DOWNSTREAM_WEIGHT_KG = { min: 0.3, max: 4 };

/** Assumption: most parcels come on the night line-haul, so the first wave carries most of the day. */
export const NIGHT_SHARE = 0.7;

/** Assumption: nine in ten recipients collect at the station the day it arrives. */
export const COLLECTED_SAME_DAY = 0.9;

/** The produce in season on `day` (MM-DD ranges, across the new year too), else the file's first. */
export function produceInSeason(generated: DemoDemand, day: string): ProduceInSeason {
  const md = day.slice(5);
  const inSeason = (from: string, to: string) => (from <= to ? md >= from && md <= to : md >= from || md <= to);
  const produce = generated.produce.find((p) => inSeason(p.season.from, p.season.to)) ?? generated.produce[0];
  if (!produce) return PRODUCE;
  return { product: produce.nameZh, coldChainProfileId: produce.profileId, boxKg: produce.boxWeightsKg };
}

/**
 * The day's demand: the generated demand file's (demo/county/demand.json: each courier's volume, the upstream share,
 * the produce in season on `day`) when given, the defaults above otherwise.
 */
export function demandOf(county: DemoCounty, generated?: DemoDemand, day?: string): Demand {
  if (generated) {
    const active = new Set(county.couriers.filter((c) => c.active).map((c) => c.id));
    return {
      ...demandOf(county),
      couriers: generated.couriers.filter((c) => active.has(c.courierId)).map((c) => ({ courierId: c.courierId, parcelsPerDay: c.parcelsPerDay })),
      upstreamShare: generated.upstreamShare,
      produce: day ? produceInSeason(generated, day) : PRODUCE,
    };
  }
  const couriers = county.couriers.filter((c) => c.active);
  const weights = couriers.map((_, i) => 1 / (i + 1.5));
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    couriers: couriers.map((c, i) => ({ courierId: c.id, parcelsPerDay: Math.round((DOWNSTREAM_PER_DAY * weights[i]!) / total) })),
    upstreamShare: UPSTREAM_SHARE,
    coldProduceShare: COLD_PRODUCE_SHARE,
    produce: PRODUCE,
    ambientProducts: ['土鸡蛋', '茶叶', '笋干', '腊肉', '蜂蜜'],
    chilledShare: CHILLED_SHARE,
    downstreamWeightKg: DOWNSTREAM_WEIGHT_KG,
    nightShare: NIGHT_SHARE,
    collectedSameDay: COLLECTED_SAME_DAY,
  };
}
