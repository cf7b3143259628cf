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

function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return value.length === 0;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}

// Mapping keys are the same few words in every document: decide each once (bounded).
const keyMemo = new Map<string, string>();

function yamlKey(key: string): string {
  let out = keyMemo.get(key);
  if (out === undefined) {
    out = yamlScalar(key);
    if (keyMemo.size >= 1024) keyMemo.clear();
    keyMemo.set(key, out);
  }
  return out;
}

/**
 * Every line starts with `indent`, except the first, which starts with `first` (same length): a mapping or
 * sequence inside a sequence puts its first line on the dash line (`- key: value`), the rest aligned under it.
 */
function emit(value: YamlValue, indent: string, out: string[], first: string): void {
  if (Array.isArray(value)) {
    const items = value as readonly YamlValue[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const dash = `${i === 0 ? first : indent}- `;
      if (isFlowLeaf(item)) out.push(`${dash}${yamlScalar(item as string)}\n`);
      else if (isEmpty(item as object)) out.push(`${dash}${Array.isArray(item) ? '[]' : '{}'}\n`);
      else emit(item, `${indent}  `, out, dash);
    }
    return;
  }
  const map = value as Record<string, YamlValue>;
  const keys = Object.keys(map);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = map[key]!;
    const line = `${i === 0 ? first : indent}${yamlKey(key)}:`;
    if (isFlowLeaf(item)) out.push(`${line} ${yamlScalar(item as string)}\n`);
    else if (isEmpty(item as object)) out.push(`${line} ${Array.isArray(item) ? '[]' : '{}'}\n`);
    else {
      out.push(`${line}\n`);
      emit(item, `${indent}  `, out, `${indent}  `);
    }
  }
}

export function toYaml(value: YamlValue): string {
  const out: string[] = [];
  emit(value, '', out, '');
  return out.join('');
}
