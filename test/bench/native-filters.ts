import { ruleHosts, type Catalog, type EntryId } from '../../lib/catalog';

/**
 * The catalog's host rules in the adblock filter syntax, as a filter list's author would write them
 * for @ghostery/adblocker: `||host^` for a whole host, `||host/path` for a path rule, `*` and `^` where
 * the path rule needs them. Written this way the engine takes its token-indexed fast path; `/regex/`
 * filters are the syntax's escape hatch and the engine's slow path.
 *
 * A catalog path is a regular expression, tested case-insensitively on the path and query once the
 * host matched (see HostRule in lib/catalog/schema.ts). The translation understands the subset the
 * catalog uses: a leading `^`, literal characters, `\.`-style escapes, groups with `|` and an optional
 * `?`, a single optional character, a class of a few characters (`[gjr]`, `\d`), `$`, and `\d+` or
 * `[^/]+`. An alternation or a class becomes one filter per branch; `$` the `|` end anchor. `\d+` and
 * `[^/]+` have no native equivalent and become `*`, which also matches other characters, slashes and
 * nothing at all: such filters are listed as approximations. A pattern outside the subset is written as
 * a `/regex/` filter and listed as inexpressible.
 *
 * One narrowing remains everywhere: in `||host/path` the path must follow the host name, so a URL with
 * an explicit port misses it. Browsers drop a default port from the URLs webRequest reports.
 */
export interface NativeFilter {
  text: string;
  /** The entry of the first rule that gave this filter. */
  entryId: EntryId;
}

export interface TranslatedRule {
  entryId: EntryId;
  host: string;
  path: string | undefined;
  filters: string[];
  /** Why the native filters match more than the rule, if they do. */
  approximation?: string;
  /** Why the rule had to stay a regular expression, if it had to. */
  inexpressible?: string;
}

export interface NativeFilterList {
  filters: NativeFilter[];
  /** One row per host of every host rule. */
  rules: TranslatedRule[];
}

export function catalogAsNativeFilters(catalog: Catalog): NativeFilterList {
  const filters: NativeFilter[] = [];
  const seen = new Set<string>();
  const rules: TranslatedRule[] = [];
  for (const entry of catalog.entries) {
    for (const rule of entry.hosts) {
      for (const host of ruleHosts(rule)) {
        const translated = translateRule(host, rule.path);
        rules.push({ entryId: entry.id, host, path: rule.path, ...translated });
        for (const text of translated.filters) {
          if (seen.has(text)) continue;
          seen.add(text);
          filters.push({ text, entryId: entry.id });
        }
      }
    }
  }
  return { filters, rules };
}

function translateRule(host: string, path: string | undefined): Pick<TranslatedRule, 'filters' | 'approximation' | 'inexpressible'> {
  if (path === undefined) return { filters: [`||${host}^`] };
  try {
    const anchored = path.startsWith('^');
    const source = anchored ? path.slice(1) : path;
    const cursor = { at: 0 };
    const branches = parseAlternation(source, cursor);
    if (cursor.at !== source.length) throw new Inexpressible(`unbalanced ')' at ${cursor.at}`);
    const approximations = new Set<string>();
    const filters: string[] = [];
    for (const branch of branches) {
      const body = branchAsPattern(branch, approximations);
      if (anchored) {
        // The tested text always starts with '/': a branch that does not can never match.
        if (body.startsWith('/')) filters.push(`||${host}${body}`);
      } else {
        // `^` takes the character after the host ('/', or ':' before a port), `*` whatever comes
        // before the pattern. At the very start of the path only the plain form matches.
        filters.push(`||${host}^*${body}`);
        if (body.startsWith('/')) filters.push(`||${host}${body}`);
      }
    }
    if (filters.length === 0) throw new Inexpressible('no branch can match a path');
    return { filters: [...new Set(filters)], approximation: approximations.size ? [...approximations].join('; ') : undefined };
  } catch (error) {
    if (!(error instanceof Inexpressible)) throw error;
    // The syntax's escape hatch: the whole URL, so the host is spelt out in the expression.
    const hostPart = `^https?:\\/\\/([^/?#]*\\.)?${host.replace(/\./g, '\\.')}(:\\d+)?`;
    const slashes = (source: string) => source.replace(/\//g, '\\/');
    const pathPart = path.startsWith('^/') ? `\\/?${slashes(path.slice(2))}` : `[/?].*?${slashes(path)}`;
    return { filters: [`/${hostPart}${pathPart}/`], inexpressible: error.message };
  }
}

class Inexpressible extends Error {}

type Atom = { literal: string } | { end: true } | { wildcard: string };
type Branch = Atom[];

/** Every branch the expression from `cursor` to its closing ')' (or its end) can take. */
function parseAlternation(source: string, cursor: { at: number }): Branch[] {
  const branches: Branch[] = [];
  let current: Branch[] = [[]];
  while (cursor.at < source.length && source[cursor.at] !== ')') {
    if (source[cursor.at] === '|') {
      branches.push(...current);
      current = [[]];
      cursor.at++;
      continue;
    }
    const piece = parsePiece(source, cursor);
    current = current.flatMap((head) => piece.map((tail) => [...head, ...tail]));
  }
  branches.push(...current);
  return branches;
}

/** One element with its quantifier, as the branches it expands to. */
function parsePiece(source: string, cursor: { at: number }): Branch[] {
  const c = source[cursor.at]!;
  let piece: Branch[];
  let repeatable: string | null = null;
  if (c === '(') {
    cursor.at++;
    if (source.startsWith('?:', cursor.at)) cursor.at += 2;
    piece = parseAlternation(source, cursor);
    if (source[cursor.at] !== ')') throw new Inexpressible(`unclosed group in ${source}`);
    cursor.at++;
  } else if (c === '\\') {
    const escaped = source[cursor.at + 1];
    cursor.at += 2;
    if (escaped === 'd') {
      piece = [];
      repeatable = '\\d';
    } else if (escaped !== undefined && /[.?/\-+*()[\]{}|^$\\]/.test(escaped)) piece = [[{ literal: escaped }]];
    else throw new Inexpressible(`escape \\${escaped ?? ''}`);
  } else if (c === '[') {
    const close = source.indexOf(']', cursor.at + 1);
    if (close < 0) throw new Inexpressible(`unclosed class in ${source}`);
    repeatable = source.slice(cursor.at, close + 1);
    piece = [];
    cursor.at = close + 1;
  } else if (c === '$') {
    piece = [[{ end: true }]];
    cursor.at++;
  } else if ('.*+?{}^'.includes(c)) {
    throw new Inexpressible(`'${c}' at ${cursor.at} of ${source}`);
  } else {
    piece = [[{ literal: c }]];
    cursor.at++;
  }
  const quantifier = source[cursor.at];
  if (repeatable !== null) {
    // "One or more" of a class has one native stand-in, `*`; a single character of a short list
    // ([gjr], \d) is one branch per character.
    if (quantifier === '+') {
      cursor.at++;
      return [[{ wildcard: `${repeatable}+ written as *` }]];
    }
    piece = classMembers(repeatable).map((member) => [{ literal: member }]);
  }
  if (quantifier === '?') {
    cursor.at++;
    return [[], ...piece];
  }
  if (quantifier === '*' || quantifier === '+' || quantifier === '{') throw new Inexpressible(`'${quantifier}' after a group or character`);
  return piece;
}

/** The characters of `[abc]` or `\d`; anything wider (negated, ranges, escapes) is inexpressible. */
function classMembers(characterClass: string): string[] {
  if (characterClass === '\\d') return [...'0123456789'];
  const inside = characterClass.slice(1, -1);
  if (inside === '' || !/^[a-z0-9_/.]+$/i.test(inside)) throw new Inexpressible(`character class ${characterClass}`);
  return [...new Set(inside)];
}

function branchAsPattern(branch: Branch, approximations: Set<string>): string {
  let pattern = '';
  branch.forEach((atom, index) => {
    if ('end' in atom) {
      if (index !== branch.length - 1) throw new Inexpressible("'$' before the end of a branch");
      pattern += '|';
    } else if ('wildcard' in atom) {
      approximations.add(atom.wildcard);
      pattern += '*';
    } else {
      // The syntax's own metacharacters ('$' starts the options) have no escape.
      if ('*^|$'.includes(atom.literal)) throw new Inexpressible(`literal '${atom.literal}'`);
      pattern += atom.literal;
    }
  });
  return pattern;
}
