// Any decoding failure: the server answers FORMERR for these and nothing else.

export class WireError extends Error {
  override readonly name = 'WireError';
}
