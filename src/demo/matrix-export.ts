// The matrix as CSV: a header row of column sentences, then one row per sentence.
// Cells a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with
// a quote (OWASP's CSV-injection advice): the sentences are untrusted text.
const FORMULA = /^[=+\-@\t\r]/;

function field(text: string): string {
  const safe = FORMULA.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function matrixCsv(values: Float32Array, rows: number, cols: number, rowLabels: readonly string[], colLabels: readonly string[]): string {
  const lines = [['', ...colLabels].map(field).join(',')];
  for (let i = 0; i < rows; i++) {
    const cells = Array.from(values.subarray(i * cols, (i + 1) * cols), (v) => v.toFixed(4));
    lines.push([field(rowLabels[i]!), ...cells].join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
