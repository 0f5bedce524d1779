/** An expected refusal of a report request, with a stable code and the HTTP status the API answers with. */
export class ReportError extends Error {
  constructor(
    readonly code: string,
    readonly status: 400 | 404 | 409 | 422 | 501,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}
