// npm run demo:code: the six-digit code that admin@fiduciaire-lumiere.fr (the demo account with
// two-factor login on) types after its password right now, and how long it stays valid. The
// secret is the seed's, published like the demo password: never on a real account.
import { DEMO_TOTP_SECRET } from '@/db/seed';
import { codeAt } from '@/lib/two-factor/totp';

const now = new Date();
const left = 30 - (Math.floor(now.getTime() / 1000) % 30);
console.log(`Code de admin@fiduciaire-lumiere.fr : ${codeAt(DEMO_TOTP_SECRET, now)} (encore ${left} s)`);
console.log(`Ou ajoutez la clé ${DEMO_TOTP_SECRET} à une application d’authentification (TOTP, 6 chiffres, 30 s).`);
