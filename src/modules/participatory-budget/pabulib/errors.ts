/** A Pabulib file that cannot be read: `line` (1-based) is where the problem is, for the person fixing the file. */
export class PabulibParseError extends Error {
  readonly line: number;
  readonly problem: string;

  constructor(line: number, problem: string) {
    super(`line ${line}: ${problem}`);
    this.name = 'PabulibParseError';
    this.line = line;
    this.problem = problem;
  }
}

/** A structure that the format cannot represent (a comma inside a list item, an empty list…). */
export class PabulibWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PabulibWriteError';
  }
}
