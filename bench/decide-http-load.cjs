// Load generator for bench/decide-http.ts, run as a separate process so that the client does not share the
// server's event loop. Input (JSON in argv[2]): url, token, connections, duration_s, first (the first
// applicant number). Each request is a new applicant with a fresh Idempotency-Key. Output: one JSON line
// with autocannon's result and the number of applicants sent.
const autocannon = require('autocannon');
const { randomUUID } = require('node:crypto');
const { applicant } = require('./decide-http-applicants.cjs');

const input = JSON.parse(process.argv[2]);
let next = input.first;
autocannon(
  {
    url: input.url,
    connections: input.connections,
    duration: input.duration_s,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          request.path = '/applications';
          request.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${input.token}`,
            'idempotency-key': randomUUID(),
          };
          request.body = JSON.stringify(applicant(next++));
          return request;
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error);
      process.exit(1);
    }
    process.stdout.write(`${JSON.stringify({ ...result, sent: next - input.first })}\n`);
  },
);
