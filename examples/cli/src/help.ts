import type { OptionDef, OptionSpec } from './command.js';

/** `--limit N` / `-h, --help`: the left column of an option's help line. */
function optionName(name: string, def: OptionDef): string {
  const flag = `${def.short ? `-${def.short}, ` : ''}--${name}`;
  return def.type === 'boolean' ? flag : `${flag} ${def.arg ?? 'VALUE'}`;
}

/** One line per option with its meaning and default, from the same table the parser reads. */
export function renderOptions(spec: OptionSpec): string[] {
  const entries = Object.entries(spec);
  const width = Math.max(0, ...entries.map(([name, def]) => optionName(name, def).length));
  return entries.map(([name, def]) => {
    const text = [
      def.description ?? '',
      def.multiple ? '(repeatable)' : '',
      def.default !== undefined ? `(default: ${def.default})` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return `  ${optionName(name, def).padEnd(width)}  ${text}`.trimEnd();
  });
}

/** The `node:util` parseArgs view of an option table. */
export function parserOptions(
  spec: OptionSpec,
): Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string }> {
  const out: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; default?: string }> = {};
  for (const [name, def] of Object.entries(spec)) {
    out[name] = {
      type: def.type,
      ...(def.short ? { short: def.short } : {}),
      ...(def.multiple ? { multiple: true } : {}),
      ...(def.default !== undefined && def.type === 'string' && !def.multiple ? { default: def.default } : {}),
    };
  }
  return out;
}
