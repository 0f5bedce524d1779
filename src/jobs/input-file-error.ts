/**
 * A file named by the user (a policy, a model, a strategy or population document) that cannot be read or
 * is not valid: the message says which file and what to fix. The command line answers it as a usage error
 * (exit 2); the server never names files from a request, so it does not meet one from a request.
 */
export class InputFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFileError';
  }
}
