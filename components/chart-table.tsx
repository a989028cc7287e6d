import { formatRate } from '@/lib/bookkeeping/vat';

type Account = {
  number: string;
  label: string;
  defaultVatRateBp: number;
  defaultDeductiblePct: number;
  active: boolean;
};
type Labels = { number: string; label: string; vat: string; share: string; active: string; yes: string; no: string };

/** A chart of accounts as a table: the firm's defaults, or a client's. */
export function ChartTable({ chart, labels }: { chart: Account[]; labels: Labels }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{labels.number}</th>
            <th scope="col">{labels.label}</th>
            <th scope="col">{labels.vat}</th>
            <th scope="col">{labels.share}</th>
            <th scope="col">{labels.active}</th>
          </tr>
        </thead>
        <tbody>
          {chart.map((a) => (
            <tr key={a.number}>
              <td>{a.number}</td>
              <td>{a.label}</td>
              <td>{formatRate(a.defaultVatRateBp)}</td>
              <td>{`${a.defaultDeductiblePct}\u202F%`}</td>
              <td>{a.active ? labels.yes : labels.no}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
