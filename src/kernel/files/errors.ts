/**
 * Errors meant for the client: the HTTP error handler shows `message` as is and keys on the stable
 * `code`, so messages say what to do and never leak internals.
 */
export class FileRejected extends Error {
  override readonly name = 'FileRejected';

  constructor(
    readonly code: string,
    message: string,
    readonly statusCode: 400 | 413 | 415 = 400,
  ) {
    super(message);
  }
}

export class FileNotFound extends Error {
  override readonly name = 'FileNotFound';
  readonly code = 'file.not-found';
  readonly statusCode = 404;

  constructor() {
    super('No file has this id.');
  }
}

/** Raised both by the service and by the upload route, which stops reading at the limit. */
export function fileTooLarge(maxBytes: number): FileRejected {
  const mb = Math.round((maxBytes / 1_048_576) * 10) / 10;
  return new FileRejected('file.too-large', `The file is larger than the ${mb} MB limit.`, 413);
}
