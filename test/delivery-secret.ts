// Imported first: lib/server/env reads the environment when it is first imported.
export const SECRET = `whsec_${Buffer.from('secret-de-test-des-webhooks-resend').toString('base64')}`;
process.env.RESEND_WEBHOOK_SECRET = SECRET;
