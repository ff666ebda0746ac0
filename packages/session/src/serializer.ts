/** Turns one session field's value into stored text and back. */
export interface SessionSerializer {
  stringify(value: unknown): string | undefined;
  parse(text: string): unknown;
}

/** JSON, field by field. Atomic helpers (`incr`, `append`, `addToSet`) need this one. */
export const jsonSerializer: SessionSerializer = {
  stringify: (value) => JSON.stringify(value),
  parse: (text) => JSON.parse(text) as unknown,
};
