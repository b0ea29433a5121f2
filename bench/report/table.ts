const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** A Markdown table: the header, its alignment row (`---:` aligns a column right), the rows, a blank line. */
export const table = (header: string[], alignment: string[], rows: (string | number)[][]): string[] => [
  row(header),
  row(alignment),
  ...rows.map(row),
  '',
];
