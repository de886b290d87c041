import { describeThirdParty } from '@/lib/catalog/third-parties';
import type { UnlistedView } from '@/lib/view/tab-summary';
import { useTranslator } from './i18n';

/** Third parties the policy does not name: the host, and who is behind it when the directory knows. */
export function UnlistedList({ hosts, overflow }: { hosts: UnlistedView[]; overflow: number }) {
  const { t, plural, language } = useTranslator();
  if (hosts.length === 0) return <p class="empty">{t('unlistedEmpty')}</p>;
  return (
    <>
      <p class="explain">{t('unlistedExplain')}</p>
      <ul class="unlisted">
        {hosts.map(({ host, requests, platform, party }) => (
          <li key={host} class="unlisted__row" data-host={host} data-party={party?.id}>
            <span>
              <span class="unlisted__host">{host}</span>
              {platform ? (
                <span class="unlisted__platform">{t('consentPlatform', { name: platform })}</span>
              ) : (
                <span class="unlisted__who">{party ? describeThirdParty(party, language) : t('unlistedUnknown')}</span>
              )}
            </span>
            <span class="unlisted__requests">{plural('requests', requests)}</span>
          </li>
        ))}
        {overflow > 0 && <li class="unlisted__row">{t('unlistedOverflow', { count: overflow })}</li>}
      </ul>
    </>
  );
}
