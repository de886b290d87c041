import { useTranslator } from './i18n';

export function UnlistedList({ hosts, overflow }: { hosts: { host: string; requests: number; platform: string | null }[]; overflow: number }) {
  const { t, plural } = useTranslator();
  if (hosts.length === 0) return <p class="empty">{t('unlistedEmpty')}</p>;
  return (
    <>
      <p class="explain">{t('unlistedExplain')}</p>
      <ul class="unlisted">
        {hosts.map(({ host, requests, platform }) => (
          <li key={host} class="unlisted__row" data-host={host}>
            <span>
              <span class="unlisted__host">{host}</span>
              {platform && <span class="unlisted__platform">{t('consentPlatform', { name: platform })}</span>}
            </span>
            <span class="unlisted__requests">{plural('requests', requests)}</span>
          </li>
        ))}
        {overflow > 0 && <li class="unlisted__row">{t('unlistedOverflow', { count: overflow })}</li>}
      </ul>
    </>
  );
}
