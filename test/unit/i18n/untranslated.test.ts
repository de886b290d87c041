import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every word the UI shows comes from the locale files. This reads the pages' and components' JSX
 * with the TypeScript parser and lists text that would reach the screen untranslated: JSX text, and
 * string literals in child expressions or in the attributes a person sees or hears (title,
 * aria-label, placeholder, alt). Text without a letter (punctuation, symbols, digits) is fine.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const SCANNED = ['components', 'entrypoints'];
const VISIBLE_ATTRIBUTES = new Set(['title', 'aria-label', 'placeholder', 'alt', 'aria-description', 'aria-roledescription', 'aria-valuetext']);

/** Deliberate exceptions, each with its reason: `file: text`. */
const ALLOWED: Record<string, string> = {
  // The letter-language picker names each language in that language, as language pickers do
  // (a reader who cannot read the page's language still finds their own).
  'entrypoints/request/Composer.tsx: Nederlands': 'endonym in the letter-language picker',
  'entrypoints/request/Composer.tsx: English': 'endonym in the letter-language picker',
};

/** Exceptions met during the scan: one no longer met is stale and goes. */
const exceptionsMet = new Set<string>();

const hasWords = (text: string) => /\p{L}/u.test(text);

function tsxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsxFiles(path);
    return entry.name.endsWith('.tsx') ? [path] : [];
  });
}

/** The string literals an expression can evaluate to and show: not conditions, not call arguments. */
function shownLiterals(expression: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return [expression];
  if (ts.isTemplateExpression(expression)) return [expression.head, ...expression.templateSpans.map((span) => span.literal)];
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) return shownLiterals(expression.expression);
  if (ts.isConditionalExpression(expression)) return [...shownLiterals(expression.whenTrue), ...shownLiterals(expression.whenFalse)];
  if (ts.isBinaryExpression(expression)) {
    const operator = expression.operatorToken.kind;
    if (operator === ts.SyntaxKind.AmpersandAmpersandToken) return shownLiterals(expression.right);
    if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.PlusToken) {
      return [...shownLiterals(expression.left), ...shownLiterals(expression.right)];
    }
  }
  return [];
}

function literalText(node: ts.Node): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) return node.text;
  return node.getText();
}

export interface Untranslated {
  where: string;
  text: string;
}

/** Untranslated text in one TSX source; exported for the test of the scanner itself. */
export function findUntranslated(source: string, fileName: string): Untranslated[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: Untranslated[] = [];
  const report = (node: ts.Node, text: string) => {
    const trimmed = text.replace(/\s+/g, ' ').trim();
    if (!hasWords(trimmed)) return;
    if (ALLOWED[`${fileName}: ${trimmed}`]) return void exceptionsMet.add(`${fileName}: ${trimmed}`);
    // JSX text starts right after the tag before it: count from its first word, not its line break.
    const start = node.getStart() + (ts.isJsxText(node) ? text.search(/\S/) : 0);
    found.push({ where: `${fileName}:${file.getLineAndCharacterOfPosition(start).line + 1}`, text: trimmed });
  };
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      for (const literal of shownLiterals(node.expression)) report(literal, literalText(literal));
    } else if (ts.isJsxAttribute(node) && VISIBLE_ATTRIBUTES.has(node.name.getText()) && node.initializer) {
      const value = node.initializer;
      if (ts.isStringLiteral(value)) report(value, value.text);
      else if (ts.isJsxExpression(value) && value.expression) for (const literal of shownLiterals(value.expression)) report(literal, literalText(literal));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('untranslated text in the UI', () => {
  it('finds none in components/ and entrypoints/', () => {
    const found = SCANNED.flatMap((dir) => tsxFiles(join(ROOT, dir))).flatMap((path) => findUntranslated(readFileSync(path, 'utf8'), relative(ROOT, path)));
    expect(found.map((f) => `${f.where}: "${f.text}"`).join('\n')).toBe('');
    expect(Object.keys(ALLOWED).filter((exception) => !exceptionsMet.has(exception))).toEqual([]);
  });

  it('would find text, visible attributes and shown literals, and lets symbols and translated text pass', () => {
    const source = [
      'export const A = () => (',
      '  <p title="Close" aria-label={t("close")} placeholder={`Search ${x}`}>',
      '    Hello {name} · {ok ? "Yes" : t("no")} {" · "} {count > 1 && "many"} {t("fine")}',
      '    <img alt="" /> {status === "sent" ? t("sent") : ""} ×',
      '  </p>',
      ');',
    ].join('\n');
    expect(findUntranslated(source, 'x.tsx')).toEqual([
      { where: 'x.tsx:2', text: 'Close' },
      { where: 'x.tsx:2', text: 'Search' },
      { where: 'x.tsx:3', text: 'Hello' },
      { where: 'x.tsx:3', text: 'Yes' },
      { where: 'x.tsx:3', text: 'many' },
    ]);
  });
});
