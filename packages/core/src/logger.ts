export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** The logger every fleet package accepts. Implementations must pass fields through `redact()`. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Field names that hold secrets: their values are replaced before anything is written. */
export const SECRET_FIELD = /pass(word|wd|phrase)?|secret|token|api[-_]?key|private[-_]?key|encrypt|authorization|cookie|credential|^key$/i;
export const REDACTED = '[redacted]';

/** A deep copy of `fields` with every value under a secret-looking key replaced by `[redacted]`. */
export function redact<T>(fields: T, depth = 0): T {
  if (depth > 8 || fields === null || typeof fields !== 'object') return fields;
  if (Array.isArray(fields)) return fields.map((item) => redact(item, depth + 1)) as T;
  if (fields instanceof Error) return { name: fields.name, message: fields.message } as T;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
    out[key] = SECRET_FIELD.test(key) && value !== undefined && value !== null ? REDACTED : redact(value, depth + 1);
  }
  return out as T;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface ConsoleLoggerOptions {
  level?: LogLevel;
  /** Write JSON lines instead of `level message key=value`. */
  json?: boolean;
  write?: (line: string) => void;
  /** Fields added to every line (component, node …). */
  base?: LogFields;
}

/** A logger writing one line per entry to stderr (or `write`), with secrets redacted. */
export function createLogger(options: ConsoleLoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = options.base ?? {};
  const emit = (level: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[level] < min) return;
    const safe = redact({ ...base, ...fields });
    if (options.json) {
      write(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...safe }));
    } else {
      const pairs = Object.entries(safe)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      write(`${level} ${message}${pairs ? ` ${pairs}` : ''}`);
    }
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export interface LogEntry {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

/** A logger that keeps redacted entries in memory: for tests and for reports. */
export function createMemoryLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const push = (level: LogLevel) => (message: string, fields?: LogFields) => {
    entries.push({ level, message, fields: redact(fields ?? {}) });
  };
  return { entries, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}
