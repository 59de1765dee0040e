// Reads an untyped YAML tree into typed fields, collecting every problem with its field path, so
// one upload gets one complete answer instead of a fix-one-retry loop. Messages name fields, never
// values: a kubeconfig is mostly credentials.
import { KubeError } from '../errors.ts';

export interface Problem {
  /** Field path, e.g. `clusters[1].cluster.server`. */
  field: string;
  message: string;
}

/** Past this many, a message says how many more: a hostile file should not make a huge answer. */
const maxProblems = 20;

/** The one error this folder throws for a bad or refused kubeconfig. */
export function invalidConfig(problems: readonly Problem[]): KubeError {
  const shown = problems.slice(0, maxProblems);
  const more = problems.length - shown.length;
  const messages = shown.map((p) => p.message);
  if (more > 0) messages.push(`and ${more} more ${more === 1 ? 'problem' : 'problems'}`);
  return new KubeError({
    code: 0,
    reason: 'InvalidConfig',
    message: messages.join('; '),
    details: {
      causes: shown.map((p) => ({
        reason: 'FieldValueInvalid',
        field: p.field,
        message: p.message,
      })),
    },
  });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Quotes a name for a message; names are not credentials, but they can be long or odd. */
export function quote(name: string): string {
  const short = name.length > 100 ? `${name.slice(0, 100)}…` : name;
  return JSON.stringify(short);
}

// Go's base64.StdEncoding (what client-go decodes *-data fields with), ignoring line breaks.
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function quotingHint(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return ' (put it in quotes)';
  return '';
}

/** One object of the tree at a path; absent, null and "" read as "not set", as in client-go. */
export class FieldReader {
  readonly path: string;
  readonly #problems: Problem[];
  readonly #value: Record<string, unknown>;

  constructor(init: { problems: Problem[]; value: Record<string, unknown>; path: string }) {
    this.#problems = init.problems;
    this.#value = init.value;
    this.path = init.path;
  }

  field(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  /** Records a problem with `key`, or with this object itself when `key` is ''. */
  problem(key: string, message: string): void {
    const field = key === '' ? this.path : this.field(key);
    this.#problems.push({ field, message: `${field} ${message}` });
  }

  #raw(key: string): unknown {
    const value = this.#value[key];
    return value === null || value === '' ? undefined : value;
  }

  /** Whether `key` is set, valid or not; pairing checks use this so one bad value reports once. */
  has(key: string): boolean {
    return this.#raw(key) !== undefined;
  }

  string(key: string): string | undefined {
    const value = this.#raw(key);
    if (value === undefined || typeof value === 'string') return value;
    this.problem(key, `must be a string${quotingHint(value)}`);
    return undefined;
  }

  requiredString(key: string): string | undefined {
    if (this.#raw(key) === undefined) {
      this.problem(key, 'is missing');
      return undefined;
    }
    return this.string(key);
  }

  boolean(key: string): boolean {
    const value = this.#raw(key);
    if (value === undefined || typeof value === 'boolean') return value ?? false;
    this.problem(key, 'must be true or false');
    return false;
  }

  stringList(key: string): string[] | undefined {
    const value = this.#raw(key);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.problem(key, 'must be a list of strings');
      return undefined;
    }
    const items: unknown[] = value;
    const bad = items.findIndex((item) => typeof item !== 'string');
    if (bad >= 0) {
      this.problem(`${key}[${bad}]`, `must be a string${quotingHint(items[bad])}`);
      return undefined;
    }
    return items.filter((item) => typeof item === 'string');
  }

  /** A `*-data` field, decoded to text (PEM). */
  base64(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    const compact = value.replace(/[\r\n]/g, '');
    if (!base64Pattern.test(compact)) {
      this.problem(key, 'is not valid base64');
      return undefined;
    }
    return Buffer.from(compact, 'base64').toString('utf8');
  }

  /** A nested object; absent reads as `undefined` unless `required`. */
  object(key: string, options: { required: boolean }): FieldReader | undefined {
    const value = this.#raw(key);
    if (value === undefined && !options.required) return undefined;
    if (!isRecord(value)) {
      this.problem(key, value === undefined ? 'is missing' : 'must be an object');
      return undefined;
    }
    return new FieldReader({ problems: this.#problems, value, path: this.field(key) });
  }

  /** A list of objects (a missing or null list is empty). */
  objectList(key: string): FieldReader[] {
    const value = this.#raw(key);
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.problem(key, 'must be a list');
      return [];
    }
    const items: unknown[] = value;
    const readers: FieldReader[] = [];
    items.forEach((item, index) => {
      const path = `${this.field(key)}[${index}]`;
      if (isRecord(item)) {
        readers.push(new FieldReader({ problems: this.#problems, value: item, path }));
      } else {
        this.#problems.push({ field: path, message: `${path} must be an object` });
      }
    });
    return readers;
  }

  /** Every key of a map whose values must pass `read`. */
  map<T>(
    key: string,
    options: { read: (value: unknown) => T | undefined; map: string; item: string },
  ): Record<string, T> | undefined {
    const value = this.#raw(key);
    if (value === undefined) return undefined;
    if (!isRecord(value)) {
      this.problem(key, `must be ${options.map}`);
      return undefined;
    }
    const entries: [string, T][] = [];
    for (const [name, item] of Object.entries(value)) {
      const parsed = options.read(item);
      if (parsed === undefined) {
        this.problem(`${key}.${name}`, `must be ${options.item}`);
        return undefined;
      }
      entries.push([name, parsed]);
    }
    // fromEntries defines own properties, so a `__proto__` key stays a plain key
    return Object.fromEntries(entries);
  }
}
