// Load generator for bench/api.ts, run as a separate process so that the client does not share the
// server's event loop. Input (JSON in argv[2]): url, token, loanIds, connections, duration_s.
// Output: one JSON line with autocannon's result.
const autocannon = require('autocannon');
const { randomUUID } = require('node:crypto');

const input = JSON.parse(process.argv[2]);
let next = 0;
autocannon(
  {
    url: input.url,
    connections: input.connections,
    duration: input.duration_s,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const loanId = input.loanIds[next++ % input.loanIds.length];
          request.path = `/loans/${loanId}/repayments`;
          request.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${input.token}`,
            'idempotency-key': randomUUID(),
          };
          request.body = '{"amount":"1.00"}';
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
    process.stdout.write(`${JSON.stringify(result)}\n`);
  },
);
