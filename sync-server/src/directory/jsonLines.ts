/**
 * A small JSON parser that remembers the line on which each object starts, so an import can name the line of a
 * bad record (DIR-2). Accepts exactly JSON (RFC 8259).
 */
export interface JsonWithLines {
  value: unknown;
  lineOf: WeakMap<object, number>;
}

export class JsonSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'JsonSyntaxError';
    this.line = line;
  }
}

export function parseJsonWithLines(text: string): JsonWithLines {
  let i = 0;
  let line = 1;
  const lineOf = new WeakMap<object, number>();
  const fail = (msg: string): never => {
    throw new JsonSyntaxError(msg, line);
  };
  const ws = () => {
    for (;;) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      i++;
    }
  };
  const expect = (c: string) => {
    if (text[i] !== c) fail(`expected '${c}'`);
    i++;
  };
  const str = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      const c = text[i++];
      if (c === undefined) return fail('unterminated string');
      if (c === '"') return out;
      if (c === '\n' || c < ' ') fail('control character in string');
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple: Record<string, string> = {
        '"': '"',
        '\\': '\\',
        '/': '/',
        b: '\b',
        f: '\f',
        n: '\n',
        r: '\r',
        t: '\t',
      };
      if (e !== undefined && e in simple) out += simple[e];
      else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) {
        out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
        i += 4;
      } else fail('bad escape in string');
    }
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      const obj: Record<string, unknown> = {};
      lineOf.set(obj, line);
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        const k = str();
        ws();
        expect(':');
        obj[k] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      const arr: unknown[] = [];
      lineOf.set(arr, line);
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return Number(m[0]);
  };
  const v = value();
  ws();
  if (i < text.length) fail('unexpected text after the JSON value');
  return { value: v, lineOf };
}
