import { productName, type Lang } from './products.js';
import { localTime } from './time.js';
import type { ColdChain, JourneyKind, TraceView } from './trace.js';

/** The page's words, zh-CN by default (../shared/GLOSSARY.md: 揽收, 冷链, 溯源, 行政村, 乡镇, 县级物流配送中心). */
const words = {
  zh: {
    title: '农产品溯源',
    origin: '产地',
    village: '行政村',
    station: '村级电商服务站',
    town: '乡镇',
    county: '县',
    product: '产品',
    collectedAt: '揽收时间：',
    notCollected: '尚未揽收',
    journey: '物流轨迹',
    noSteps: '暂无记录',
    coldChain: '冷链记录',
    none: '常温运输，无冷链要求。',
    pending: '运输中：冷链记录将在交接时生成。',
    inRange: '温区内时长',
    outOfRange: '超标时长',
    min: '最低温度',
    max: '最高温度',
    mkt: '平均动力学温度 (MKT)',
    compliant: '全程合规',
    notCompliant: '存在温度超标',
    minutes: '分钟',
    other: 'English',
    notFound: '未找到该溯源码',
    notFoundText: '请检查二维码是否完整，或联系销售方。',
    tooMany: '请求过于频繁',
    tooManyText: '请稍后再试。',
    kinds: {
      booked: '预约揽件',
      collect: '揽收',
      center_arrival: '到达县级物流配送中心',
      linehaul_handover: '交接干线运输',
      damaged: '包裹破损',
      lost: '包裹丢失',
    } satisfies Record<JourneyKind, string>,
  },
  en: {
    title: 'Produce trace',
    origin: 'Origin',
    village: 'Village',
    station: 'Village station',
    town: 'Town',
    county: 'County',
    product: 'Product',
    collectedAt: 'Collected: ',
    notCollected: 'not collected yet',
    journey: 'Journey',
    noSteps: 'nothing recorded yet',
    coldChain: 'Cold chain record',
    none: 'Ambient transport: no cold chain required.',
    pending: 'In transit: the cold chain record is made at hand-over.',
    inRange: 'Time in range',
    outOfRange: 'Time out of range',
    min: 'Minimum',
    max: 'Maximum',
    mkt: 'Mean kinetic temperature (MKT)',
    compliant: 'Compliant throughout',
    notCompliant: 'Temperature excursion recorded',
    minutes: 'min',
    other: '中文',
    notFound: 'Trace code not found',
    notFoundText: 'Check that the QR code is whole, or ask the seller.',
    tooMany: 'Too many requests',
    tooManyText: 'Please try again in a minute.',
    kinds: {
      booked: 'Pickup booked',
      collect: 'Collected',
      center_arrival: 'Arrived at the county logistics center',
      linehaul_handover: 'Handed over for line-haul',
      damaged: 'Damaged',
      lost: 'Lost',
    } satisfies Record<JourneyKind, string>,
  },
} as const;

export function langOf(query: string | undefined): Lang {
  return query === 'en' ? 'en' : 'zh';
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const STYLE = `
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;background:#f4f6f3;color:#1d2a1f;line-height:1.5}
main{max-width:560px;margin:0 auto;padding:16px}
header{display:flex;justify-content:space-between;align-items:baseline}
h1{font-size:1.35rem;margin:.2rem 0 .8rem}
h2{font-size:1.05rem;margin:0 0 .5rem}
section{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}
dt{color:#5b6b5e}dd{margin:0;font-weight:500}
ol{list-style:none;margin:0;padding:0}
li{border-left:3px solid #6aa84f;padding:0 0 10px 12px;position:relative}
li:last-child{padding-bottom:0}
.when{color:#5b6b5e;font-size:.9rem}
.ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:600}.pending{color:#8a6d00}
a{color:#2e6b30}
.product{font-size:1.6rem;font-weight:700}
`;

function shell(lang: Lang, title: string, body: string, switchTo: string): string {
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
<header><h1>${escape(title)}</h1><a href="${escape(switchTo)}" hreflang="${lang === 'zh' ? 'en' : 'zh-CN'}">${words[lang].other}</a></header>
${body}
</main></body>
</html>
`;
}

function coldChainSection(lang: Lang, coldChain: ColdChain): string {
  const w = words[lang];
  if (coldChain.status === 'none') return `<p>${w.none}</p>`;
  if (coldChain.status === 'pending') return `<p class="pending" data-cold-chain="pending">${w.pending}</p>`;
  const celsius = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} °C`);
  return `<p class="${coldChain.compliant ? 'ok' : 'bad'}" data-cold-chain="${coldChain.compliant ? 'compliant' : 'not-compliant'}">${coldChain.compliant ? w.compliant : w.notCompliant}</p>
<dl>
<dt>${w.inRange}</dt><dd>${Math.round(coldChain.minutesInRange)} ${w.minutes}</dd>
<dt>${w.outOfRange}</dt><dd>${Math.round(coldChain.minutesOutOfRange)} ${w.minutes}</dd>
<dt>${w.min}</dt><dd>${celsius(coldChain.minC)}</dd>
<dt>${w.max}</dt><dd>${celsius(coldChain.maxC)}</dd>
<dt>${w.mkt}</dt><dd>${celsius(coldChain.mktC)}</dd>
</dl>`;
}

/** The trace page: a small HTML document, no script, readable at a phone's width. */
export function tracePage(view: TraceView, lang: Lang): string {
  const w = words[lang];
  const time = (instant: Date) => localTime(instant, view.timeZone);
  const villages = view.origin.villages.map((v) => v.name).join('、');
  const rows = [
    [w.village, villages],
    [w.station, view.origin.station?.name],
    [w.town, view.origin.town?.name],
    [w.county, view.origin.county],
  ]
    .filter((row): row is [string, string] => Boolean(row[1]))
    .map(([term, value]) => `<dt>${term}</dt><dd>${escape(value)}</dd>`)
    .join('\n');
  const steps = view.steps.length
    ? `<ol>${view.steps
        .map((s) => `<li><div>${w.kinds[s.kind]}${s.place ? ` · ${escape(s.place.name)}` : ''}</div><div class="when"><time datetime="${s.occurredAt.toISOString()}">${time(s.occurredAt)}</time></div></li>`)
        .join('\n')}</ol>`
    : `<p>${w.noSteps}</p>`;
  const body = `<section><div class="product">${escape(productName(view.profileId, lang))}</div>
<div class="when">${w.collectedAt}${view.collectedAt ? `<time datetime="${view.collectedAt.toISOString()}">${time(view.collectedAt)}</time>` : w.notCollected}</div></section>
<section><h2>${w.origin}</h2><dl>
${rows}
</dl></section>
<section><h2>${w.journey}</h2>${steps}</section>
<section><h2>${w.coldChain}</h2>${coldChainSection(lang, view.coldChain)}</section>`;
  return shell(lang, w.title, body, lang === 'zh' ? '?lang=en' : '?lang=zh');
}

/** The page for a code the console does not hold. */
export function notFoundPage(lang: Lang): string {
  const w = words[lang];
  return shell(lang, w.notFound, `<section><p>${w.notFoundText}</p></section>`, lang === 'zh' ? '?lang=en' : '?lang=zh');
}

/** The page for a client over its rate limit. */
export function tooManyPage(lang: Lang): string {
  const w = words[lang];
  return shell(lang, w.tooMany, `<section><p>${w.tooManyText}</p></section>`, lang === 'zh' ? '?lang=en' : '?lang=zh');
}
