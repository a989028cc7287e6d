/**
 * The catalogue check (`npm run check:messages`, run by CI):
 * 1. messages/fr.json and messages/en.json have the same keys, and each key the same ICU arguments;
 * 2. every key is used by the code, and every key the code names exists;
 * 3. client components only read the namespaces sent to the browser (CLIENT_NAMESPACES);
 * 4. no user-facing text is written in place in app/, components/, emails/ or lib/ (the exceptions
 *    are listed, with their reason, in scripts/literal-exceptions.json);
 * 5. the French catalogue follows French typography (’, narrow no-break spaces before ; : ! ? and inside « »).
 * It prints every problem and exits 1 if there is one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { CLIENT_NAMESPACES } from '../lib/server/i18n/messages';

const root = path.join(__dirname, '..');
const problems: string[] = [];

type Tree = { [key: string]: string | Tree };
const load = (locale: string) =>
  JSON.parse(readFileSync(path.join(root, 'messages', `${locale}.json`), 'utf8')) as Tree;

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

// ICU arguments: "{name}", "{count, plural, …}" (the words inside plural branches are not arguments).
function icuArguments(message: string): string[] {
  const names = new Set<string>();
  let depth = 0;
  for (let i = 0; i < message.length; i++) {
    if (message[i] === '{') {
      depth++;
      const match = /^\{\s*([A-Za-z_]\w*)\s*[,}]/.exec(message.slice(i));
      // Only an argument when at the top level or directly inside a branch's text.
      if (match && (depth === 1 || depth % 2 === 1)) names.add(match[1]!);
    } else if (message[i] === '}') depth--;
  }
  return [...names].sort();
}

const fr = leaves(load('fr'));
const en = leaves(load('en'));
for (const key of fr.keys()) if (!en.has(key)) problems.push(`messages/en.json lacks "${key}"`);
for (const key of en.keys()) if (!fr.has(key)) problems.push(`messages/fr.json lacks "${key}"`);
for (const [key, message] of fr) {
  const other = en.get(key);
  if (other !== undefined && icuArguments(message).join() !== icuArguments(other).join()) {
    problems.push(
      `"${key}" has arguments {${icuArguments(message)}} in French and {${icuArguments(other)}} in English`,
    );
  }
}

// 5. French typography.
for (const [key, raw] of fr) {
  // ICU's own syntax (a number skeleton such as `{delta, number, ::+!}`) is not French text.
  const message = raw.replace(/,\s*::[^}]*/g, '');
  if (message.includes("'")) problems.push(`fr "${key}": a straight apostrophe (write ’)`);
  if (/[ \u00a0][;:!?]/.test(message))
    problems.push(`fr "${key}": a plain space before ; : ! ? (write a narrow no-break space, U+202F)`);
  if (/«(?!\u202f)|(?<!\u202f)»/.test(message)) problems.push(`fr "${key}": « » need narrow no-break spaces inside`);
}

// The source files, read with the TypeScript parser.
const SCANNED = ['app', 'components', 'emails', 'lib'];
const files = ts.sys
  .readDirectory(
    root,
    ['.ts', '.tsx'],
    undefined,
    SCANNED.map((d) => `${d}/**/*`),
  )
  .filter((f) => !/\.test\.tsx?$/.test(f));

type Exception = { file: string; text: string; why: string };
const exceptions = JSON.parse(
  readFileSync(path.join(root, 'scripts', 'literal-exceptions.json'), 'utf8'),
) as Exception[];
const usedExceptions = new Set<Exception>();

const usedKeys = new Set<string>();
const usedPrefixes = new Set<string>();
const keysNamed: { key: string; where: string; client: boolean }[] = [];

// Attributes whose value a person reads or hears.
const TEXT_ATTRIBUTES = new Set([
  'aria-label',
  'title',
  'placeholder',
  'alt',
  'label',
  'submitLabel',
  'pendingLabel',
  'backLabel',
  'hint',
]);
const HAS_LETTERS = /\p{L}{2,}/u;
// Prose: two words, or a letter outside ASCII (accents, typographic apostrophes and quotes).
const LOOKS_LIKE_PROSE = /\p{L}{2,}[ \u00a0\u202f]+\p{L}{2,}|[À-ÿ’«»]/u;

// Style values in objects (`borderBottom: '1px solid …'`) and class names are not text.
const STYLE_PROPERTY =
  /^(border|margin|padding|font|background|color|text|white|line|width|height|max|min|display|align)/;

/** Not text a person reads: directives, class names, inline styles, and e-mail preview data. */
function isMachineText(node: ts.Node, source: ts.SourceFile): boolean {
  if (ts.isExpressionStatement(node.parent)) return true; // 'use client', 'use server'
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isJsxAttribute(at) && ['className', 'style'].includes(at.name.getText(source))) return true;
    if (ts.isPropertyAssignment(at) && STYLE_PROPERTY.test(at.name.getText(source))) return true;
    // `Template.PreviewProps = {…}`: sample data for `npm run email:dev`, not the product's text.
    if (ts.isBinaryExpression(at) && at.left.getText(source).endsWith('.PreviewProps')) return true;
    if (ts.isSourceFile(at)) break;
  }
  return false;
}

function isDeveloperText(node: ts.Node): boolean {
  // Arguments of `new Error(…)`, `console.*(…)` and `logger.*(…)` are for developers, not users.
  const call = node.parent;
  if (ts.isNewExpression(call) && ts.isIdentifier(call.expression) && /Error$/.test(call.expression.text)) return true;
  if (ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) {
    const target = call.expression.expression;
    if (ts.isIdentifier(target) && ['console', 'logger', 'log'].includes(target.text)) return true;
  }
  return false;
}

function report(file: string, node: ts.Node, text: string, source: ts.SourceFile) {
  const relative = path.relative(root, file);
  const exception = exceptions.find((e) => e.file === relative && text.includes(e.text));
  if (exception) {
    usedExceptions.add(exception);
    return;
  }
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
  problems.push(
    `${relative}:${line + 1}: text written in place, not in the catalogue: ${JSON.stringify(text.trim().slice(0, 80))}`,
  );
}

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const isClient = /^['"]use client['"]/.test(text.trimStart());
  const where = path.relative(root, file);
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      const value = node.text;
      if (fr.has(value)) {
        usedKeys.add(value);
        keysNamed.push({ key: value, where, client: isClient });
      }
      // `invalid('nameRequired')` names "validation.nameRequired".
      const call = node.parent;
      if (ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === 'invalid') {
        usedKeys.add(`validation.${value}`);
        if (!fr.has(`validation.${value}`))
          problems.push(`${where}: invalid('${value}') names no key of the catalogue`);
      }
      const inTaggedTemplate = ts.isTaggedTemplateExpression(node.parent);
      const inImport =
        ts.isImportDeclaration(node.parent) ||
        ts.isExportDeclaration(node.parent) ||
        ts.isExternalModuleReference(node.parent);
      const isJsxAttribute = ts.isJsxAttribute(node.parent);
      if (isJsxAttribute) {
        const name = (node.parent as ts.JsxAttribute).name.getText(source);
        if (TEXT_ATTRIBUTES.has(name) && HAS_LETTERS.test(value)) report(file, node, value, source);
      } else if (
        !inTaggedTemplate &&
        !inImport &&
        !fr.has(value) &&
        LOOKS_LIKE_PROSE.test(value) &&
        !isDeveloperText(node) &&
        !isMachineText(node, source)
      ) {
        report(file, node, value, source);
      }
    } else if (ts.isTemplateExpression(node)) {
      // `clients.tabs.${tab}`: every key under that prefix may be used.
      const head = node.head.text;
      if (/^[a-zA-Z]+(\.[a-zA-Z-]+)*\.$/.test(head) && [...fr.keys()].some((k) => k.startsWith(head))) {
        usedPrefixes.add(head);
        keysNamed.push({ key: head, where, client: isClient });
      } else if (
        !ts.isTaggedTemplateExpression(node.parent) &&
        LOOKS_LIKE_PROSE.test(head + node.templateSpans.map((s) => s.literal.text).join(' ')) &&
        !isDeveloperText(node) &&
        !isMachineText(node, source)
      ) {
        report(file, node, head, source);
      }
    } else if (ts.isJsxText(node)) {
      const value = node.text.trim();
      if (HAS_LETTERS.test(value)) report(file, node, value, source);
    } else if (ts.isPropertyAccessExpression(node) && node.expression.getText(source).startsWith('messagesFor(')) {
      // messagesFor(locale).csv.header[column]: the namespace is read as a whole.
      usedPrefixes.add(`${node.getText(source).replace(/^messagesFor\([^)]*\)\./, '')}.`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

for (const key of fr.keys()) {
  if (!usedKeys.has(key) && ![...usedPrefixes].some((p) => key.startsWith(p)))
    problems.push(`"${key}" is in the catalogue but no code uses it`);
}
const clientNamespaces = new Set<string>(CLIENT_NAMESPACES);
for (const { key, where, client } of keysNamed) {
  if (client && !clientNamespaces.has(key.split('.')[0]!)) {
    problems.push(
      `${where}: a client component reads "${key}", outside CLIENT_NAMESPACES (lib/server/i18n/messages.ts)`,
    );
  }
}
for (const exception of exceptions) {
  if (!usedExceptions.has(exception))
    problems.push(`scripts/literal-exceptions.json: "${exception.text}" in ${exception.file} matches nothing any more`);
}

if (problems.length > 0) {
  console.error(
    `The catalogue check found ${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(
  `Catalogue: ${fr.size} keys in French and English, all used; no text written in place in ${files.length} files.`,
);
