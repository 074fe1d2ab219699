/**
 * The console's shell: sign-in with an API key, the menu of the pages the key's role may open, the language
 * switch, the services' status, and the page at `#/<id>`.
 */
import type { ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, createApi } from './api';
import { Field, FormError, Loading, useAsync } from './components';
import { defineMessages, initialLang, LangContext, storeLang, useLang, useT, type Lang } from './i18n';
import { pages, pagesFor, type PageDef } from './pages/index';
import { SessionContext, signIn, signOut, storedKey, type Role, type Session } from './session';
import './shell.css';

const m = defineMessages(
  {
    product: '县域物流协同平台',
    signInTitle: '使用 API 密钥登录',
    keyLabel: 'API 密钥',
    keyHint: '密钥只保存在本次浏览器会话中，关闭标签页即失效。',
    signIn: '登录',
    signOut: '退出',
    invalidKey: '密钥无效或已吊销',
    refused: '当前密钥的角色（{role}）无权打开“{page}”页面。',
    notFound: '没有这个页面。',
    down: '服务不可用：{services}',
    role_admin: '管理员',
    role_operator: '调度员',
    role_station: '服务站',
    role_driver: '司机',
    role_courier: '快递公司',
    role_bureau: '商务局',
    menu: '菜单',
    rolesTitle: '各角色可打开的页面：',
    emptyKey: '请输入 API 密钥',
  },
  {
    product: 'County Logistics',
    signInTitle: 'Sign in with an API key',
    keyLabel: 'API key',
    keyHint: 'The key is kept for this browser session only; closing the tab forgets it.',
    signIn: 'Sign in',
    signOut: 'Sign out',
    invalidKey: 'The key is not valid or has been revoked',
    refused: 'This key’s role ({role}) may not open the “{page}” page.',
    notFound: 'There is no such page.',
    down: 'Not answering: {services}',
    role_admin: 'admin',
    role_operator: 'operator',
    role_station: 'station',
    role_driver: 'driver',
    role_courier: 'courier',
    role_bureau: 'bureau',
    menu: 'Menu',
    rolesTitle: 'What each role opens:',
    emptyKey: 'Enter an API key',
  },
);

function useHash(): string {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

/** The roles the sign-in page lists, with the pages each opens (from the page registry, so it never drifts). */
const ROLE_GROUPS: readonly (readonly Role[])[] = [['admin'], ['operator'], ['station'], ['driver'], ['courier'], ['bureau']];

function SignIn({ onSession }: { onSession: (s: Session) => void }) {
  const t = useT(m);
  const { lang } = useLang();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    if (!key.trim()) return setError(new ApiError(400, 'VALIDATION_FAILED', t('emptyKey'), [{ path: 'key', reason: t('emptyKey') }], 'intake'));
    setError(undefined);
    setBusy(true);
    try {
      onSession(await signIn(key));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? new ApiError(401, 'UNAUTHENTICATED', t('invalidKey'), [{ path: 'key', reason: t('invalidKey') }], 'intake') : err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="card signin" onSubmit={submit} noValidate>
      <h1>{t('signInTitle')}</h1>
      <p class="product">{t('product')}</p>
      <Field label={t('keyLabel')} name="key" error={error}>
        <input name="key" type="password" autoComplete="off" autoFocus value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} required />
      </Field>
      <p class="muted small">{t('keyHint')}</p>
      <FormError error={error} fields={['key']} />
      <button type="submit" disabled={busy}>
        {t('signIn')}
      </button>
      <ul class="roles" aria-label={t('rolesTitle')}>
        {ROLE_GROUPS.map((group) => (
          <li key={group.join()}>
            {group.map((role) => t(`role_${role}` as 'role_admin')).join(lang === 'en' ? ', ' : '、')}
            {lang === 'en' ? ': ' : '：'}
            {pagesFor(group[0]!)
              .map((p) => p.title[lang])
              .join(lang === 'en' ? ', ' : '、')}
          </li>
        ))}
      </ul>
    </form>
  );
}

function ServicesStatus() {
  const t = useT(m);
  const status = useAsync((signal) => createApi('').get<{ services: Record<string, string> }>('console', '/status', { signal }), [], 15_000);
  const down = Object.entries(status.data?.services ?? {}).filter(([, s]) => s !== 'up');
  if (down.length === 0) return null;
  return (
    <div class="note note-unavailable" role="alert" data-testid="services-down">
      {t('down', { services: down.map(([name, s]) => `${name} (${s})`).join(', ') })}
    </div>
  );
}

function PageView({ def }: { def: PageDef }) {
  const [Component, setComponent] = useState<ComponentType | null>(null);
  useEffect(() => {
    let live = true;
    setComponent(null);
    void def.load().then((mod) => live && setComponent(() => mod.default));
    return () => {
      live = false;
    };
  }, [def]);
  return Component ? <Component /> : <Loading />;
}

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const langState = useMemo(() => ({ lang, setLang: (l: Lang) => (storeLang(l), setLangState(l)) }), [lang]);
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(() => storedKey() !== null);
  const hash = useHash();

  useEffect(() => {
    document.documentElement.lang = lang;
    const key = storedKey();
    if (!key) return;
    signIn(key)
      .then(setSession)
      .catch(() => signOut())
      .finally(() => setRestoring(false));
  }, []);

  return (
    <LangContext.Provider value={langState}>
      <Shell session={session} restoring={restoring} hash={hash} onSession={setSession} />
    </LangContext.Provider>
  );
}

function Shell({ session, restoring, hash, onSession }: { session: Session | null; restoring: boolean; hash: string; onSession: (s: Session | null) => void }) {
  const t = useT(m);
  const { lang, setLang } = useLang();
  const allowed = session ? pagesFor(session.principal.role) : [];
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] || allowed[0]?.id || '';
  const def = pages.find((p) => p.id === id);
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          {t('product')}
        </a>
        <nav class="menu" aria-label={t('menu')}>
          {allowed.map((p) => (
            <a key={p.id} href={`#/${p.id}`} class={p.id === id ? 'active' : undefined}>
              {p.title[lang]}
            </a>
          ))}
        </nav>
        <div class="topbar-end">
          <button type="button" class="link" data-testid="lang-switch" onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}>
            {lang === 'zh-CN' ? 'English' : '中文'}
          </button>
          {session ? (
            <>
              <span class="muted small" data-testid="whoami">
                {t(`role_${session.principal.role}` as 'role_admin')}
                {session.principal.stationId ? ` · ${session.principal.stationId}` : ''}
              </span>
              <button type="button" class="link" onClick={() => (signOut(), onSession(null))}>
                {t('signOut')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <ServicesStatus />
      <main>
        {restoring ? (
          <Loading />
        ) : !session ? (
          <SignIn onSession={onSession} />
        ) : !def ? (
          <p class="note note-error">{t('notFound')}</p>
        ) : !def.roles.includes(session.principal.role) ? (
          <p class="note note-error" role="alert" data-testid="refused">
            {t('refused', { role: t(`role_${session.principal.role}` as 'role_admin'), page: def.title[lang] })}
          </p>
        ) : (
          <SessionContext.Provider value={session}>
            <PageView def={def} />
          </SessionContext.Provider>
        )}
      </main>
    </div>
  );
}
