// The accounts a client's chart starts with: the Plan comptable général (règlement ANC 2014-03)
// accounts a card's spend goes to, each with the VAT rate and deductible share an expense coded to
// it starts with (the accountant changes them per expense). Numbers as firms write them in their
// software (four to six digits); labels as the PCG's list of accounts has them.

type PcgAccount = { number: string; label: string; vatRateBp: number; deductiblePct: number };

const PCG_EXPENSE_ACCOUNTS: PcgAccount[] = [
  { number: '2183', label: 'Matériel de bureau et matériel informatique', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6061', label: 'Fournitures non stockables (eau, énergie)', vatRateBp: 2000, deductiblePct: 100 },
  { number: '60614', label: 'Carburants', vatRateBp: 2000, deductiblePct: 80 },
  { number: '6063', label: "Fournitures d'entretien et de petit équipement", vatRateBp: 2000, deductiblePct: 100 },
  { number: '6064', label: 'Fournitures administratives', vatRateBp: 2000, deductiblePct: 100 },
  { number: '606', label: 'Achats non stockés de matières et fournitures', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6132', label: 'Locations immobilières', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6135', label: 'Locations mobilières', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6155', label: 'Entretien et réparations sur biens mobiliers', vatRateBp: 2000, deductiblePct: 100 },
  { number: '616', label: "Primes d'assurances", vatRateBp: 0, deductiblePct: 0 },
  { number: '6181', label: 'Documentation générale', vatRateBp: 550, deductiblePct: 100 },
  { number: '6185', label: 'Frais de colloques, séminaires, conférences', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6226', label: 'Honoraires', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6231', label: 'Annonces et insertions', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6234', label: 'Cadeaux à la clientèle', vatRateBp: 2000, deductiblePct: 0 },
  { number: '6241', label: 'Transports sur achats', vatRateBp: 2000, deductiblePct: 100 },
  { number: '6251', label: 'Voyages et déplacements', vatRateBp: 1000, deductiblePct: 100 },
  { number: '6256', label: 'Missions', vatRateBp: 1000, deductiblePct: 100 },
  { number: '6257', label: 'Réceptions', vatRateBp: 1000, deductiblePct: 100 },
  { number: '626', label: 'Frais postaux et de télécommunications', vatRateBp: 2000, deductiblePct: 100 },
  { number: '627', label: 'Services bancaires et assimilés', vatRateBp: 0, deductiblePct: 0 },
  { number: '6281', label: 'Concours divers (cotisations)', vatRateBp: 0, deductiblePct: 0 },
  { number: '6354', label: "Droits d'enregistrement et de timbre", vatRateBp: 0, deductiblePct: 0 },
  {
    number: '651',
    label: 'Redevances pour concessions, brevets, licences, logiciels',
    vatRateBp: 2000,
    deductiblePct: 100,
  },
];

/** The other accounts an entry uses: deductible VAT, the card's bank, the suppliers. */
const PCG_OTHER_ACCOUNTS: PcgAccount[] = [
  { number: '44566', label: 'TVA déductible sur autres biens et services', vatRateBp: 0, deductiblePct: 0 },
  { number: '44562', label: 'TVA déductible sur immobilisations', vatRateBp: 0, deductiblePct: 0 },
  { number: '401', label: 'Fournisseurs', vatRateBp: 0, deductiblePct: 0 },
  { number: '512100', label: 'Banque — carte', vatRateBp: 0, deductiblePct: 0 },
];

export const PCG_ACCOUNTS = [...PCG_EXPENSE_ACCOUNTS, ...PCG_OTHER_ACCOUNTS];

/**
 * An account number as the PCG writes them: digits only, three to ten, the first one a class from
 * 1 to 7 (8 and 9 are special and analytic accounts, never a card's spend).
 */
export function isAccountNumber(value: string): boolean {
  return /^[1-7][0-9]{2,9}$/.test(value);
}

/** Where an expense line can go: a charge (class 6) or a fixed asset (class 2). */
export function isExpenseAccount(value: string): boolean {
  return isAccountNumber(value) && (value.startsWith('6') || value.startsWith('2'));
}

export function isVatAccount(value: string): boolean {
  return isAccountNumber(value) && value.startsWith('445');
}

/** The counterpart of a card's spend: a bank account (512…), suppliers (401…) or an associate's account (455…). */
export function isCounterpartAccount(value: string): boolean {
  return isAccountNumber(value) && /^(512|401|455|467)/.test(value);
}
