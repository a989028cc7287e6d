import { XMLParser } from 'fast-xml-parser';
import {
  decodePDFRawStream,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  PDFString,
  PDFHexString,
} from 'pdf-lib';

// Factur-X (ZUGFeRD 2): a PDF/A-3 invoice carrying its data as an embedded CII XML file named
// « factur-x.xml » (FNFE-MPE / FeRD, Factur-X 1.0, § 6: the file's name and its AFRelationship),
// the e-invoicing format French companies receive from 2026. What the XML says is read exactly —
// no reading of the printed page, no rounding: the amounts are decimal strings turned into cents.
//
// pdf-lib parses the PDF (cross-reference streams, object streams, the stream filters), and
// fast-xml-parser the XML: a regular expression over a PDF's bytes misses every file whose
// dictionaries sit in a compressed object stream, which is how most generators write them.

/** The embedded file names Factur-X and ZUGFeRD 2 use (Factur-X 1.0, § 6.2.2). */
const INVOICE_FILES = new Set(['factur-x.xml', 'zugferd-invoice.xml']);
/** An invoice's XML is a few to a few hundred kilobytes; past this it is not one we read. */
const MAX_XML_BYTES = 2 * 1024 * 1024;

export type FacturXVat = { rateBp: number; basisCents: number; vatCents: number };

export type FacturX = {
  /** BT-1 (ExchangedDocument/ID). */
  number: string;
  /** BT-3: 380 an invoice, 381 a credit note (whose amounts the expense carries negative). */
  typeCode: string;
  creditNote: boolean;
  /** BT-2, « 20261103 » (format 102) as « 2026-11-03 ». */
  issuedOn: string;
  /** BT-27 and BT-30 (SIREN when schemeID is 0002), BT-31 (VAT number). */
  sellerName: string;
  sellerSiren: string | null;
  sellerVatNumber: string | null;
  /** BT-5. */
  currency: string;
  /** BT-109, BT-110, BT-112: net, VAT and total, in cents of `currency`. */
  netCents: number;
  vatCents: number;
  totalCents: number;
  /** BG-23: one line per VAT rate. */
  vat: FacturXVat[];
};

export type FacturXResult =
  | { kind: 'none' }
  | { kind: 'invalid'; reason: 'pdf' | 'xml' | 'fields' | 'amounts' | 'totals' }
  | { kind: 'invoice'; invoice: FacturX };

/** « 123.4 » → 12340; « 20.00 » (a rate) → 2000. Exact: more than two decimals that are not zeros is no amount. */
export function hundredths(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^\s*(-?)(\d{1,13})(?:\.(\d+))?\s*$/.exec(text);
  if (!match) return undefined;
  const decimals = match[3] ?? '';
  if (/[1-9]/.test(decimals.slice(2))) return undefined;
  const value = Number(match[2]) * 100 + Number(decimals.slice(0, 2).padEnd(2, '0'));
  return match[1] === '-' && value !== 0 ? -value : value;
}

function nameOf(value: unknown): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText();
  return undefined;
}

/** The embedded file named factur-x.xml (or ZUGFeRD's name), decoded; undefined when there is none. */
async function embeddedInvoiceXml(bytes: Uint8Array): Promise<Uint8Array | undefined> {
  const pdf = await PDFDocument.load(bytes, {
    ignoreEncryption: true,
    updateMetadata: false,
    throwOnInvalidObject: false,
  });
  const context = pdf.context;
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Filespec')) continue;
    const name = nameOf(object.get(PDFName.of('UF'))) ?? nameOf(object.get(PDFName.of('F')));
    if (!name || !INVOICE_FILES.has(name.toLowerCase())) continue;
    const files = context.lookup(object.get(PDFName.of('EF')));
    if (!(files instanceof PDFDict)) continue;
    const ref = files.get(PDFName.of('UF')) ?? files.get(PDFName.of('F'));
    const stream = ref instanceof PDFRef ? context.lookup(ref) : ref;
    if (!(stream instanceof PDFRawStream)) continue;
    const xml = stream.getContentsSize() > MAX_XML_BYTES ? undefined : decodePDFRawStream(stream).decode();
    if (xml && xml.length <= MAX_XML_BYTES) return xml;
  }
  return undefined;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'ApplicableTradeTax' || name === 'TaxTotalAmount' || name === 'ID',
});

type Node = Record<string, unknown>;
const child = (node: unknown, name: string): unknown =>
  node && typeof node === 'object' && Object.hasOwn(node, name) ? (node as Node)[name] : undefined;
const text = (node: unknown): string | undefined =>
  typeof node === 'string'
    ? node
    : typeof child(node, '#text') === 'string'
      ? (child(node, '#text') as string)
      : undefined;
const list = (node: unknown): unknown[] => (Array.isArray(node) ? node : node === undefined ? [] : [node]);

/** The CII XML's figures, checked as EN 16931 checks them (BR-CO-14, BR-CO-15). */
export function parseInvoiceXml(xml: string): FacturXResult {
  // A Factur-X file has no document type declaration: one that does is not read (no entity tricks).
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return { kind: 'invalid', reason: 'xml' };
  let root: unknown;
  try {
    root = child(parser.parse(xml, true), 'CrossIndustryInvoice');
  } catch {
    return { kind: 'invalid', reason: 'xml' };
  }
  if (!root) return { kind: 'invalid', reason: 'xml' };
  const document = child(root, 'ExchangedDocument');
  const transaction = child(root, 'SupplyChainTradeTransaction');
  const seller = child(child(transaction, 'ApplicableHeaderTradeAgreement'), 'SellerTradeParty');
  const settlement = child(transaction, 'ApplicableHeaderTradeSettlement');
  const sums = child(settlement, 'SpecifiedTradeSettlementHeaderMonetarySummation');

  const number = text(list(child(document, 'ID'))[0]);
  const typeCode = text(child(document, 'TypeCode'));
  const issued = text(child(child(document, 'IssueDateTime'), 'DateTimeString'));
  const currency = text(child(settlement, 'InvoiceCurrencyCode'));
  const sellerName = text(child(seller, 'Name'));
  if (!number || !typeCode || !issued || !/^\d{8}$/.test(issued) || !currency || !/^[A-Z]{3}$/.test(currency)) {
    return { kind: 'invalid', reason: 'fields' };
  }
  const issuedOn = `${issued.slice(0, 4)}-${issued.slice(4, 6)}-${issued.slice(6, 8)}`;
  const day = new Date(`${issuedOn}T12:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== issuedOn || issuedOn < '1900-01-01') {
    return { kind: 'invalid', reason: 'fields' };
  }
  const legal = list(child(child(seller, 'SpecifiedLegalOrganization'), 'ID'))[0];
  const siren = child(legal, '@schemeID') === '0002' ? text(legal) : undefined;
  const vatId = list(child(seller, 'SpecifiedTaxRegistration'))
    .flatMap((registration) => list(child(registration, 'ID')))
    .find((id) => child(id, '@schemeID') === 'VA');

  // The VAT total in the invoice's currency (a second one may be in the accounting currency).
  const taxTotal = list(child(sums, 'TaxTotalAmount')).find((amount) => {
    const unit = child(amount, '@currencyID');
    return unit === undefined || unit === currency;
  });
  const netCents = hundredths(text(child(sums, 'TaxBasisTotalAmount')));
  const vatCents = hundredths(text(taxTotal) ?? '0');
  const totalCents = hundredths(text(child(sums, 'GrandTotalAmount')));
  const vat: FacturXVat[] = [];
  for (const tax of list(child(settlement, 'ApplicableTradeTax'))) {
    const rateBp = hundredths(text(child(tax, 'RateApplicablePercent')) ?? '0');
    const basisCents = hundredths(text(child(tax, 'BasisAmount')));
    const lineVat = hundredths(text(child(tax, 'CalculatedAmount')));
    if (rateBp === undefined || basisCents === undefined || lineVat === undefined) {
      return { kind: 'invalid', reason: 'amounts' };
    }
    vat.push({ rateBp, basisCents, vatCents: lineVat });
  }
  if (netCents === undefined || vatCents === undefined || totalCents === undefined || vat.length === 0) {
    return { kind: 'invalid', reason: 'amounts' };
  }
  const sum = (pick: (line: FacturXVat) => number) => vat.reduce((n, line) => n + pick(line), 0);
  // BR-CO-14: the VAT total is the sum of the VAT per rate; BR-CO-15: total = net + VAT; and the
  // bases add up to the net (BR-CO-13 with no document-level allowance left over).
  if (
    sum((l) => l.vatCents) !== vatCents ||
    netCents + vatCents !== totalCents ||
    sum((l) => l.basisCents) !== netCents
  ) {
    return { kind: 'invalid', reason: 'totals' };
  }
  return {
    kind: 'invoice',
    invoice: {
      number,
      typeCode,
      creditNote: typeCode === '381',
      issuedOn,
      sellerName: sellerName ?? '',
      sellerSiren: siren && /^\d{9}$/.test(siren) ? siren : null,
      sellerVatNumber: text(vatId) ?? null,
      currency,
      netCents,
      vatCents,
      totalCents,
      vat,
    },
  };
}

/** A PDF's Factur-X invoice, if it carries one. Never throws: a broken file is `invalid`. */
export async function readFacturX(bytes: Uint8Array): Promise<FacturXResult> {
  let xml: Uint8Array | undefined;
  try {
    xml = await embeddedInvoiceXml(bytes);
  } catch {
    return { kind: 'invalid', reason: 'pdf' };
  }
  if (!xml) return { kind: 'none' };
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(xml);
  } catch {
    return { kind: 'invalid', reason: 'xml' };
  }
  return parseInvoiceXml(decoded.replace(/^\uFEFF/, ''));
}
