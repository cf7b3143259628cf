/** The YAML subset the renderers emit: block mappings and sequences of plain or double-quoted scalars. */
export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./+@,=-]*$/;
// YAML 1.1 readers (netplan's libyaml, PyYAML in cloud-init) turn these into booleans, nulls or numbers.
const AMBIGUOUS = /^(?:y|n|yes|no|true|false|on|off|null|~|[-+]?(?:[0-9][0-9_:]*)?\.?[0-9_]*(?:e[-+]?[0-9]+)?)$/i;

/**
 * A scalar as YAML: plain when unambiguous, else double-quoted with JSON escapes (valid YAML double-quoted
 * syntax). This is serialisation, not sanitising: inputs were validated before they got here.
 */
export function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  // Fleets repeat most values (mirrors, gateways, keywords): decide each distinct string once.
  if (value.length > 128) return PLAIN.test(value) && !AMBIGUOUS.test(value) ? value : JSON.stringify(value);
  let out = scalarMemo.get(value);
  if (out === undefined) {
    out = PLAIN.test(value) && !AMBIGUOUS.test(value) ? value : JSON.stringify(value);
    if (scalarMemo.size >= 8192) scalarMemo.clear();
    scalarMemo.set(value, out);
  }
  return out;
}

const scalarMemo = new Map<string, string>();

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
