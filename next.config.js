/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder at run time:
  // bundling it would break those paths.
  serverExternalPackages: ['@electric-sql/pglite'],
  poweredByHeader: false,
};

module.exports = nextConfig;
