// A small real process tree for the sampling bench: this parent and COUNT (default 3) children that idle forever.
// Prints READY once every child has been spawned; the bench ends the tree by signalling its process group.
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const count = Number(process.argv[2] ?? '3');
const idle = ['-e', 'setInterval(() => {}, 1000)'];
const children = Array.from({ length: count }, () => spawn(process.execPath, idle, { stdio: 'ignore' }));
await Promise.all(children.map((child) => once(child, 'spawn')));
console.log(`READY pid=${process.pid} children=${children.map((c) => c.pid).join(',')}`);
setInterval(() => {}, 1000);
