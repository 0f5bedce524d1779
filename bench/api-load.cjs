// Load generator for bench/api.ts, run as a separate process so that the client does not share the
// server's event loop. Input (JSON in argv[2]): url, token, loanIds, connections, duration_s, keyPrefix.
// Each request repays 1.00 on the next loan of the list (round robin) with its own Idempotency-Key.
// Output: one JSON line with autocannon's result and this process's CPU time.
const autocannon = require('autocannon');

const input = JSON.parse(process.argv[2]);
let next = 0;
const cpuBefore = process.cpuUsage();
autocannon(
  {
    url: input.url,
    connections: input.connections,
    duration: input.duration_s,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const n = next++;
          const loanId = input.loanIds[n % input.loanIds.length];
          request.path = `/loans/${loanId}/repayments`;
          request.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${input.token}`,
            'idempotency-key': `${input.keyPrefix}-${n}`,
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
    const cpu = process.cpuUsage(cpuBefore);
    process.stdout.write(`${JSON.stringify({ ...result, loadCpu_us: cpu.user + cpu.system })}\n`);
  },
);
