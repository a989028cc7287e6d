// The house's rules that a reviewer used to check by hand (CONTRIBUTING.md, « Les règles de la
// maison »), as ESLint rules run by `npm run lint`.

const directive = (program) =>
  program.body.find((node) => node.type === 'ExpressionStatement' && typeof node.directive === 'string')?.directive;

const ACTION_WRAPPERS = new Set(['createAction', 'createPublicAction', 'createScriptlessAction']);

/** In a 'use server' file, every export is an action made by one of the wrappers of lib/access/server-action.ts. */
const serverActionsWrapped = {
  meta: {
    type: 'problem',
    messages: {
      unwrapped:
        'A server action is made by createAction (or createPublicAction, createScriptlessAction) from lib/access/server-action.ts: it checks the session, the role and the form.',
    },
  },
  create(context) {
    let active = false;
    return {
      Program(program) {
        active = directive(program) === 'use server';
      },
      ExportDefaultDeclaration(node) {
        if (active) context.report({ node, messageId: 'unwrapped' });
      },
      ExportNamedDeclaration(node) {
        if (!active || node.exportKind === 'type') return;
        const declaration = node.declaration;
        if (!declaration) {
          context.report({ node, messageId: 'unwrapped' });
          return;
        }
        if (declaration.type === 'TSTypeAliasDeclaration' || declaration.type === 'TSInterfaceDeclaration') return;
        if (declaration.type !== 'VariableDeclaration') {
          context.report({ node, messageId: 'unwrapped' });
          return;
        }
        for (const variable of declaration.declarations) {
          const init = variable.init;
          const ok =
            init?.type === 'CallExpression' &&
            init.callee.type === 'Identifier' &&
            ACTION_WRAPPERS.has(init.callee.name);
          if (!ok) context.report({ node: variable, messageId: 'unwrapped' });
        }
      },
    };
  },
};

/** Components and client modules never import the database. */
const noDatabaseInClient = {
  meta: {
    type: 'problem',
    messages: {
      database:
        'The database is read on the server, in lib/: a component or a client module receives data, it does not import @/db.',
    },
  },
  create(context) {
    const file = context.filename.replaceAll('\\', '/');
    let active = /\/components\//.test(file);
    return {
      Program(program) {
        if (directive(program) === 'use client') active = true;
      },
      ImportDeclaration(node) {
        if (!active || node.importKind === 'type') return;
        const source = String(node.source.value);
        if (source === '@/db' || source.startsWith('@/db/')) context.report({ node, messageId: 'database' });
      },
    };
  },
};

/** An instant in raw SQL is a parameter made by timestamptz() (db/index.ts), not a hand-written cast. */
const timestamptzHelper = {
  meta: {
    type: 'problem',
    messages: {
      cast: 'Pass the instant through timestamptz(date) from @/db rather than writing ::timestamptz after it.',
    },
  },
  create(context) {
    return {
      TaggedTemplateExpression(node) {
        if (node.tag.type !== 'Identifier' || node.tag.name !== 'sql') return;
        node.quasi.quasis.forEach((quasi, index) => {
          if (index === 0 || !/^\s*::\s*timestamp(tz)?\b/i.test(quasi.value.cooked ?? quasi.value.raw)) return;
          // A Date written out by hand (`${date.toISOString()}::timestamptz`); a string that is
          // already PostgreSQL's own text (the Journal's microsecond cursor) may be cast.
          const before = node.quasi.expressions[index - 1];
          const isoString =
            before?.type === 'CallExpression' &&
            before.callee.type === 'MemberExpression' &&
            before.callee.property.type === 'Identifier' &&
            before.callee.property.name === 'toISOString';
          if (isoString) context.report({ node: quasi, messageId: 'cast' });
        });
      },
    };
  },
};

/** Raw SQL lives in db/ and lib/ (server code), never in pages, components or e-mail templates. */
const rawSqlLocation = {
  meta: {
    type: 'problem',
    messages: {
      location: 'Raw SQL is written in db/ or in a feature folder of lib/ (CONTRIBUTING.md), and called from here.',
    },
  },
  create(context) {
    const file = context.filename.replaceAll('\\', '/');
    if (!/\/(app|components|emails)\//.test(file)) return {};
    return {
      ImportDeclaration(node) {
        if (node.source.value !== 'drizzle-orm') return;
        for (const specifier of node.specifiers)
          if (specifier.type === 'ImportSpecifier' && specifier.imported.name === 'sql')
            context.report({ node: specifier, messageId: 'location' });
      },
    };
  },
};

/**
 * The rooms of lib/ (ARCHITECTURE.md): lib/server/ is plumbing and imports no other room of lib/;
 * lib/access/ (who is asking, what they may see) imports only lib/server/ and next-auth's options;
 * the feature folders import both, never the reverse.
 */
const LAYERS = [
  { room: 'lib/server/', may: ['lib/server/'] },
  { room: 'lib/access/', may: ['lib/server/', 'lib/access/', 'lib/auth/options'] },
];
const layers = {
  meta: {
    type: 'problem',
    messages: {
      upward: '{{room}} may not import {{target}}: plumbing and access never import a feature (ARCHITECTURE.md).',
    },
  },
  create(context) {
    const file = context.filename.replaceAll('\\', '/');
    const at = file.lastIndexOf('/lib/');
    if (at < 0) return {};
    const here = file.slice(at + 1);
    const layer = LAYERS.find((l) => here.startsWith(l.room));
    if (!layer) return {};
    const check = (node, source) => {
      let target;
      if (source.startsWith('@/lib/')) target = source.slice(2);
      else if (source.startsWith('.')) {
        const parts = here.split('/').slice(0, -1);
        for (const part of source.split('/')) {
          if (part === '..') parts.pop();
          else if (part !== '.') parts.push(part);
        }
        target = parts.join('/');
      }
      if (!target || !target.startsWith('lib/')) return;
      if (!layer.may.some((allowed) => target.startsWith(allowed)))
        context.report({ node, messageId: 'upward', data: { room: layer.room, target } });
    };
    return {
      ImportDeclaration(node) {
        check(node, String(node.source.value));
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, String(node.source.value));
      },
    };
  },
};

const plugin = {
  meta: { name: 'portail' },
  rules: {
    'server-actions-wrapped': serverActionsWrapped,
    'no-database-in-client': noDatabaseInClient,
    'timestamptz-helper': timestamptzHelper,
    'raw-sql-location': rawSqlLocation,
    layers,
  },
};

export default plugin;
