// Imported first by the tests that need a public URL: lib/server/env reads the environment once, when it
// is first imported.
process.env.APP_URL = 'https://portail.example.fr';
process.env.PLATFORM_WEBHOOK_SECRET = 'secret-partage-plateforme-123';
