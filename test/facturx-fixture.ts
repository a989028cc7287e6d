import { AFRelationship, PDFDocument, StandardFonts } from 'pdf-lib';

// Factur-X invoices for the tests, written as the standard has them: a CII XML (EN 16931 profile)
// embedded in a PDF as « factur-x.xml » with its AFRelationship, the PDF saved with object streams.

export type FixtureLine = { rate: string; basis: string; vat: string };
export type FixtureInvoice = {
  number?: string;
  typeCode?: string;
  issued?: string;
  seller?: string;
  siren?: string;
  currency?: string;
  lines: FixtureLine[];
  net: string;
  vat: string;
  total: string;
  /** A second TaxTotalAmount in the accounting currency (BT-111). */
  accountingVat?: { currency: string; amount: string };
};

const escape = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function facturXml(invoice: FixtureInvoice): string {
  const currency = invoice.currency ?? 'EUR';
  const taxes = invoice.lines
    .map(
      (
        l,
      ) => `<ram:ApplicableTradeTax><ram:CalculatedAmount>${l.vat}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>
        <ram:BasisAmount>${l.basis}</ram:BasisAmount><ram:CategoryCode>S</ram:CategoryCode>
        <ram:RateApplicablePercent>${l.rate}</ram:RateApplicablePercent></ram:ApplicableTradeTax>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>
    <ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument><ram:ID>${escape(invoice.number ?? 'F2026-0042')}</ram:ID><ram:TypeCode>${invoice.typeCode ?? '380'}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">${invoice.issued ?? '20261103'}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:SellerTradeParty><ram:Name>${escape(invoice.seller ?? 'SNCF Voyageurs')}</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${invoice.siren ?? '519037584'}</ram:ID></ram:SpecifiedLegalOrganization>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR13519037584</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty><ram:Name>Boulangerie Soleil</ram:Name></ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>${currency}</ram:InvoiceCurrencyCode>
      ${taxes}
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>${invoice.net}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>${invoice.net}</ram:TaxBasisTotalAmount>
        ${invoice.accountingVat ? `<ram:TaxTotalAmount currencyID="${invoice.accountingVat.currency}">${invoice.accountingVat.amount}</ram:TaxTotalAmount>` : ''}
        <ram:TaxTotalAmount currencyID="${currency}">${invoice.vat}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>${invoice.total}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>${invoice.total}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`;
}

/** A one-page PDF carrying `xml` as its Factur-X file (or under another name, or none). */
export async function facturXPdf(xml: string | undefined, fileName = 'factur-x.xml'): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText('Facture', { x: 50, y: 780, size: 24, font: await pdf.embedFont(StandardFonts.Helvetica) });
  if (xml !== undefined) {
    await pdf.attach(new TextEncoder().encode(xml), fileName, {
      mimeType: 'text/xml',
      description: 'Factur-X',
      afRelationship: AFRelationship.Data,
    });
  }
  return pdf.save({ useObjectStreams: true });
}
