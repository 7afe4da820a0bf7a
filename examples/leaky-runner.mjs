// A runner that leaks on purpose (argv[2] MB a second, default 80), to watch the supervisor catch it.
import { Socket } from 'node:net';
const rate = Number(process.argv[2] ?? 80);
const hold = [];
// The supervisor's channel (fd 3, named by SYNC_SUPERVISOR_CHANNEL_FD) reads end-of-file when the supervisor dies:
// a runner never outlives it.
const fd = process.env.SYNC_SUPERVISOR_CHANNEL_FD;
if (fd !== undefined) new Socket({ fd: Number(fd), readable: true }).on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume().unref();
console.log(`leaky runner ${process.pid} started: leaking ${rate} MB/s`);
setInterval(() => hold.push(Buffer.alloc(Math.ceil((rate * 1024 * 1024) / 100), 1)), 10);
