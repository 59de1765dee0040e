// Kubernetes label selectors (`app=web,tier!=db,env in (a,b),env notin (c),key,!key,n>3`), parsed
// once and matched against objects' labels, so lists and live views filter the way kubectl does.

export type LabelOperator = 'exists' | 'doesNotExist' | '=' | '!=' | 'in' | 'notin' | '>' | '<';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** One value for = != > <, one or more for in / notin, none for exists / doesNotExist. */
  values: readonly string[];
}

const keyName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const keyPrefix = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const value = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

const syntax = 'write key=value, key!=value, key in (a,b), key notin (a,b), key or !key';

function fail(message: string): never {
  throw new Error(message);
}

function checkKey(key: string, term: string): string {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefixOk = slash < 0 || (prefix.length <= 253 && keyPrefix.test(prefix));
  if (!prefixOk || name.length > 63 || !keyName.test(name)) {
    fail(`"${term}": "${key}" is not a label key (letters, digits, - _ . and an optional prefix/)`);
  }
  return key;
}

function checkValue(text: string, term: string): string {
  if (text.length > 63 || !value.test(text)) {
    fail(`"${term}": "${text}" is not a label value (up to 63 letters, digits, - _ .)`);
  }
  return text;
}

/** Splits at the commas outside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i += 1) {
    const char = selector[i];
    if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    if (depth < 0 || depth > 1) fail(`"${selector}" has unbalanced parentheses`);
    if (char === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) fail(`"${selector}" has unbalanced parentheses`);
  terms.push(selector.slice(start));
  return terms;
}

function parseTerm(raw: string): LabelRequirement {
  const term = raw.trim();
  if (term === '') fail(`a label selector has an empty requirement; ${syntax}`);
  if (term.startsWith('!')) {
    return { key: checkKey(term.slice(1).trim(), term), operator: 'doesNotExist', values: [] };
  }
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term);
  if (set !== null) {
    const [, key = '', operator = 'in', list = ''] = set;
    const values = list.split(',').map((v) => checkValue(v.trim(), term));
    if (list.trim() === '') fail(`"${term}": list at least one value in the parentheses`);
    return { key: checkKey(key, term), operator: operator === 'in' ? 'in' : 'notin', values };
  }
  const compare = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(term);
  if (compare !== null) {
    const [, key = '', op = '=', text = ''] = compare;
    const operator = op === '==' ? '=' : (op as '=' | '!=' | '>' | '<');
    if ((operator === '>' || operator === '<') && !/^-?\d+$/.test(text)) {
      fail(`"${term}": ${operator} compares with a whole number`);
    }
    return { key: checkKey(key, term), operator, values: [checkValue(text, term)] };
  }
  if (/^\S+$/.test(term)) return { key: checkKey(term, term), operator: 'exists', values: [] };
  return fail(`"${term}" is not a label requirement; ${syntax}`);
}

/** Parses a label selector; throws an Error naming the bad term. '' selects everything. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') return [];
  return splitTerms(selector).map(parseTerm);
}

export function matchesLabelSelector(
  labels: Readonly<Record<string, string>> | undefined,
  requirements: readonly LabelRequirement[],
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const present = labels !== undefined && Object.hasOwn(labels, key);
    const actual = present ? labels[key] : undefined;
    switch (operator) {
      case 'exists':
        return present;
      case 'doesNotExist':
        return !present;
      case '=':
        return actual === values[0];
      case '!=':
        return actual !== values[0];
      case 'in':
        return actual !== undefined && values.includes(actual);
      case 'notin':
        return actual === undefined || !values.includes(actual);
      case '>':
      case '<': {
        if (actual === undefined || !/^-?\d+$/.test(actual)) return false;
        const diff = Number(actual) - Number(values[0]);
        return operator === '>' ? diff > 0 : diff < 0;
      }
    }
  });
}
