// The hostile HTTP server in a process of its own, so that pumping an endless body never delays the bench's own
// /proc sampler (which times the kill). Tells its parent where it listens, then the wall time of each request.
import { startHostileAnswers } from '../../tests/fixtures/hostile-answers.ts';
import { BYTES_PER_MB as MB } from '../../shared/units.ts';

const server = await startHostileAnswers({
  endlessBytes: 1024 * MB,
  bombInflatedBytes: 1024 * MB,
  onRequest: () => process.send?.({ type: 'request', atMs: performance.timeOrigin + performance.now() }),
});
process.send?.({ type: 'ready', origin: server.origin, bombWireBytes: server.bombWireBytes });
process.on('disconnect', () => void server.close().then(() => process.exit(0)));
