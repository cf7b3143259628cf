/** One column of a {@link formatTable} table: its header and how its cells line up. */
export interface TableColumn {
  readonly header: string;
  /** `left` (default): text columns; `right`: numbers. */
  readonly align?: 'left' | 'right';
}

/**
 * A plain-text table for terminals: a header row, then one line per row, columns two spaces apart, each as
 * wide as its widest cell. Left-aligned cells are padded on the right (the last column is not padded),
 * right-aligned cells on the left; trailing spaces are trimmed from every line. A missing cell is empty.
 * Returns the lines joined by `\n`, without a final newline.
 */
export function formatTable(
  columns: ReadonlyArray<string | TableColumn>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c, align: 'left' as const } : c));
  const widths = cols.map((c, i) => Math.max(c.header.length, ...rows.map((r) => (r[i] ?? '').length)));
  const last = cols.length - 1;
  const line = (cells: ReadonlyArray<string>): string =>
    cols
      .map((c, i) => {
        const cell = cells[i] ?? '';
        if (c.align === 'right') return cell.padStart(widths[i] ?? 0);
        return i === last ? cell : cell.padEnd(widths[i] ?? 0);
      })
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.header)), ...rows.map(line)].join('\n');
}
