/** The YAML subset the renderers emit: block mappings and sequences of plain or double-quoted scalars. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

// Words YAML 1.1 readers (PyYAML in cloud-init and subiquity, libyaml-based netplan) turn into booleans or
// null; `y`/`n` too for readers that follow the 1.1 spec's boolean list to the letter.
const WORDS = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
// A string that starts with a digit can be an int (0x10, 0o7, 0b101, 010, 1_000, 1:30), a float (1e3, 1.5),
// a date (2024-01-15) or a base-60 number in YAML 1.1 or 1.2. Only dotted IPv4 addresses and prefixes
// are certainly strings in both; anything else digit-led is quoted. So, in one regex: plain scalars are
// [A-Za-z0-9_/][A-Za-z0-9_./+@,=-]*, and those starting with a digit only as a dotted quad (or prefix).
const PLAIN_SAFE = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?:\/[0-9]{1,2})?|[A-Za-z_/][A-Za-z0-9_./+@,=-]*)$/;

function plainIsSafe(value: string): boolean {
  // Every word in WORDS has at most 5 letters (and none starts with a digit).
  return PLAIN_SAFE.test(value) && (value.length > 5 || !WORDS.test(value));
}

/**
 * A scalar as YAML: plain when every YAML 1.1 and 1.2 reader reads it back as the same string, else
 * double-quoted with JSON escapes (valid YAML double-quoted syntax). This is serialisation, not
 * sanitising: inputs were validated before they got here.
 */
export function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  return plainIsSafe(value) ? value : JSON.stringify(value);
}

function isFlowLeaf(value: YamlValue): boolean {
  return value === null || typeof value !== 'object';
}

function emit(value: YamlValue, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) {
      if (isFlowLeaf(item)) out.push(`${indent}- ${yamlScalar(item as string)}\n`);
      else if (Array.isArray(item) ? item.length === 0 : Object.keys(item as object).length === 0) {
        out.push(`${indent}- ${Array.isArray(item) ? '[]' : '{}'}\n`);
      } else {
        // First key on the dash line, the rest aligned under it.
        const inner: string[] = [];
        emit(item, `${indent}  `, inner);
        const first = inner[0] ?? '';
        inner[0] = `${indent}- ${first.slice(indent.length + 2)}`;
        out.push(...inner);
      }
    }
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, YamlValue>)) {
    const k = yamlScalar(key);
    if (isFlowLeaf(item)) out.push(`${indent}${k}: ${yamlScalar(item as string)}\n`);
    else if (Array.isArray(item) ? item.length === 0 : Object.keys(item as object).length === 0) {
      out.push(`${indent}${k}: ${Array.isArray(item) ? '[]' : '{}'}\n`);
    } else {
      out.push(`${indent}${k}:\n`);
      emit(item, `${indent}  `, out);
    }
  }
}

export function toYaml(value: YamlValue): string {
  const out: string[] = [];
  emit(value, '', out);
  return out.join('');
}
