const createNextIntlPlugin = require('next-intl/plugin');

// The catalogue's request configuration (locale from the user or Accept-Language; no locale in URLs).
const withNextIntl = createNextIntlPlugin({
  requestConfig: './lib/access/intl-request.ts',
  // The catalogue compiled at build time (icu-minify): the browser gets no ICU parser.
  experimental: { messages: { path: './messages', format: 'json', locales: ['fr', 'en'], precompile: true } },
});

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder at run time:
  // bundling it would break those paths.
  serverExternalPackages: ['@electric-sql/pglite', 'drizzle-orm'],
  poweredByHeader: false,
};

module.exports = withNextIntl(nextConfig);
