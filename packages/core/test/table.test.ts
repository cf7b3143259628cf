import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/index.js';

describe('formatTable', () => {
  it('pads every column but the last to its widest cell, two spaces apart', () => {
    expect(
      formatTable(
        ['NAME', 'STATE', 'NOTE'],
        [
          ['cmp-0001', 'deployed', 'rack r1'],
          ['db1', 'new', ''],
        ],
      ),
    ).toBe(['NAME      STATE     NOTE', 'cmp-0001  deployed  rack r1', 'db1       new'].join('\n'));
  });

  it('counts the header in the width and trims trailing spaces of empty last cells', () => {
    expect(formatTable(['LONG HEADER', 'X'], [['a', ''], ['b', 'y']])).toBe(
      ['LONG HEADER  X', 'a', 'b            y'].join('\n'),
    );
  });

  it('right-aligns number columns, padded on the left even when last', () => {
    const table = formatTable(
      ['group', { header: 'ops', align: 'right' }, { header: 'ops/s', align: 'right' }],
      [
        ['get', '12345', '9.5'],
        ['put-large', '7', '1234.0'],
      ],
    );
    expect(table).toBe(['group        ops   ops/s', 'get        12345     9.5', 'put-large      7  1234.0'].join('\n'));
  });

  it('renders a missing cell as empty and only the header for no rows', () => {
    expect(formatTable(['A', 'B', 'C'], [['x']])).toBe('A  B  C\nx');
    expect(formatTable(['KIND', 'NODE'], [])).toBe('KIND  NODE');
  });
});
