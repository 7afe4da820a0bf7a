// The attacker's side of the status flood bench, in a process of its own so its sockets and CPU are not the
// supervisor's: opens COUNT TCP connections to HOST:PORT that never send a byte, 100 at a time so the listen backlog
// never overflows into SYN retries. Prints `HELD opened=N open=K` once every attempt has settled; answers each line on
// stdin with `OPEN K` (connections the server has not closed yet); destroys them all and exits when stdin ends.
// argv: HOST PORT COUNT
import { connect } from 'node:net';
import { createInterface } from 'node:readline';

const [host = '127.0.0.1', port = '0', count = '1000'] = process.argv.slice(2);
const sockets = [];
let opened = 0;
let open = 0;

function openOne() {
  return new Promise((settled) => {
    const socket = connect(Number(port), host);
    sockets.push(socket);
    socket.on('error', () => undefined); // the server drops held connections; that is what is being measured
    socket.once('connect', () => {
      opened++;
      open++;
      socket.once('close', () => open--);
      settled();
    });
    socket.once('close', settled);
  });
}

for (let start = 0; start < Number(count); start += 100) {
  await Promise.all(Array.from({ length: Math.min(100, Number(count) - start) }, openOne));
}
console.log(`HELD opened=${opened} open=${open}`);
const input = createInterface({ input: process.stdin });
input.on('line', () => console.log(`OPEN ${open}`));
input.once('close', () => {
  for (const socket of sockets) socket.destroy();
});
