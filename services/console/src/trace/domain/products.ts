/**
 * What a buyer calls the produce of each cold-chain profile (services/coldchain's built-in profiles and the demo
 * county's produce). The parcel events carry the profile id only; a profile not listed shows as its id.
 */
const products: Readonly<Record<string, { zh: string; en: string }>> = {
  'yellow-peach': { zh: '黄桃', en: 'Yellow peach' },
  'navel-orange': { zh: '脐橙', en: 'Navel orange' },
  chilled: { zh: '冷藏农产品', en: 'Chilled produce' },
  frozen: { zh: '冷冻农产品', en: 'Frozen produce' },
};

export type Lang = 'zh' | 'en';

/** The product's name in the language, from the parcel's cold-chain profile; plain produce without one. */
export function productName(profileId: string | null, lang: Lang): string {
  if (profileId === null) return lang === 'zh' ? '农产品' : 'Farm produce';
  return products[profileId]?.[lang] ?? profileId;
}
