/** "Château Saint-Émilion & Fils" → "chateau-saint-emilion-fils" (file names, demo e-mails). */
export function slugify(text: string, max = 60): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, max)
    .replace(/-$/, '');
}
