import { describe, expect, it } from 'vitest';
import { DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL, FALLBACK_DEFAULT_PROFILE_ID, profileBodySchema, seededProfiles } from '../src/catalogue/domain/profiles.js';

describe('the seeded product profiles', () => {
  it('are yellow peach, crisp plum, navel orange, chilled and frozen, each a valid profile', () => {
    expect(seededProfiles.map((p) => p.id)).toEqual(['yellow-peach', 'crisp-plum', 'navel-orange', 'chilled', 'frozen']);
    for (const { id: _id, ...body } of seededProfiles) expect(profileBodySchema.safeParse(body).success, _id).toBe(true);
    expect(seededProfiles.map((p) => p.id)).toContain(FALLBACK_DEFAULT_PROFILE_ID);
  });

  it('name a source or an assumption for every figure', () => {
    const figures = ['minC', 'maxC', 'toleratedMinutes', 'mktLimitC', 'activationEnergyKjPerMol', 'silenceGapMinutes'];
    for (const profile of seededProfiles) {
      const cited = profile.sources.flatMap((s) => s.field.split(',').map((f) => f.trim()));
      for (const figure of figures) expect(cited, `${profile.id}.${figure}`).toContain(figure);
      if (profile.precooling) expect(cited, `${profile.id}.precooling`).toContain('precooling');
      for (const s of profile.sources) expect(s.source).toMatch(/domain-figures|assumption|USP|Codex|GB 31605|#11|floor/);
    }
  });

  it('carry the figures of docs/domain-figures.md: stone fruit 0–4 °C, 30 min, below 4 °C within 12 h; navel orange 3–8 °C; frozen at most −18 °C', () => {
    const byId = new Map(seededProfiles.map((p) => [p.id, p]));
    for (const id of ['yellow-peach', 'crisp-plum']) {
      expect(byId.get(id)).toMatchObject({ minC: 0, maxC: 4, toleratedMinutes: 30, precooling: { targetC: 4, withinHours: 12 } });
    }
    expect(byId.get('navel-orange')).toMatchObject({ minC: 3, maxC: 8, precooling: null });
    expect(byId.get('frozen')).toMatchObject({ maxC: -18 });
    for (const p of seededProfiles) expect(p.activationEnergyKjPerMol).toBe(DEFAULT_ACTIVATION_ENERGY_KJ_PER_MOL);
  });

  it('refuse a body whose range is upside down, naming the field, and default the activation energy', () => {
    const body = { name: 'x', minC: 5, maxC: 2, toleratedMinutes: 10, mktLimitC: 4, silenceGapMinutes: 10 };
    const result = profileBodySchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['maxC']);
    expect(profileBodySchema.parse({ ...body, maxC: 8 })).toMatchObject({ activationEnergyKjPerMol: 83.144, precooling: null, nameZh: null, sources: [] });
  });
});
