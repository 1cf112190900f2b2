// `$(VAR)` expansion in env values, command and args, with the semantics of upstream's
// third_party/forked/golang/expansion: `$(NAME)` becomes the value when NAME is known and
// stays literally `$(NAME)` when not; `$$` is an escaped `$`; an unterminated `$(` and a `$`
// before any other character are kept as written.

export type Mapping = (name: string) => string;

/** A lookup over maps tried in order; unknown names expand to themselves, wrapped again. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const ctx of contexts) {
      const v = ctx.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

/** What follows a `$`: the text to emit, whether it named a variable, and how much was consumed. */
function readReference(rest: string): { text: string; isVar: boolean; consumed: number } {
  const first = rest[0];
  if (first === '$') return { text: '$', isVar: false, consumed: 1 };
  if (first === '(') {
    const close = rest.indexOf(')', 1);
    if (close >= 0) return { text: rest.slice(1, close), isVar: true, consumed: close + 1 };
    return { text: '$(', isVar: false, consumed: 1 };
  }
  return { text: `$${first}`, isVar: false, consumed: 1 };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) continue;
    out += input.slice(checkpoint, i);
    const ref = readReference(input.slice(i + 1));
    out += ref.isVar ? mapping(ref.text) : ref.text;
    i += ref.consumed;
    checkpoint = i + 1;
  }
  return out + input.slice(checkpoint);
}
