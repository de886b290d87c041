/**
 * robots.txt as RFC 9309 reads it: the group whose user-agent names this crawler (matched as a
 * case-insensitive product token), else the `*` group; within it the longest matching rule wins, and
 * `allow` wins a tie. Patterns may hold `*` (any characters) and end in `$` (end of the path).
 */
export interface RobotsRules {
  allows(pathAndQuery: string): boolean;
}

interface Rule {
  allow: boolean;
  pattern: string;
  test: RegExp;
}

export const ALLOW_ALL: RobotsRules = { allows: () => true };
export const DISALLOW_ALL: RobotsRules = { allows: () => false };

export function parseRobots(text: string, crawler: string): RobotsRules {
  const groups: { agents: string[]; rules: Rule[] }[] = [];
  let current: { agents: string[]; rules: Rule[] } | null = null;
  let lastWasAgent = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      // Consecutive user-agent lines open one group together.
      if (!lastWasAgent || !current) groups.push((current = { agents: [], rules: [] }));
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
    } else if ((key === 'allow' || key === 'disallow') && current) {
      lastWasAgent = false;
      // An empty disallow allows everything: no rule.
      if (value === '') continue;
      current.rules.push({ allow: key === 'allow', pattern: value, test: patternToRegExp(value) });
    } else lastWasAgent = false;
  }
  const token = crawler.toLowerCase();
  const own = groups.filter((g) => g.agents.some((agent) => agent !== '*' && token.includes(agent.split('/')[0]!)));
  const chosen = own.length ? own : groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  return {
    allows(pathAndQuery) {
      const path = normalisePath(pathAndQuery);
      let best: Rule | null = null;
      for (const rule of rules) {
        if (!rule.test.test(path)) continue;
        if (!best || rule.pattern.length > best.pattern.length || (rule.pattern.length === best.pattern.length && rule.allow)) best = rule;
      }
      return best === null || best.allow;
    },
  };
}

function patternToRegExp(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = normalisePath(anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** Percent-encoding made the same on both sides (RFC 9309 §2.2.2): unreserved characters decoded, the rest upper case. */
function normalisePath(path: string): string {
  return path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}
