// A runner that leaks on purpose (argv[2] MB a second, default 80), to watch the supervisor catch it.
const rate = Number(process.argv[2] ?? 80);
const hold = [];
process.on('disconnect', () => process.exit(0));
console.log(`leaky runner ${process.pid} started: leaking ${rate} MB/s`);
setInterval(() => hold.push(Buffer.alloc(Math.ceil((rate * 1024 * 1024) / 100), 1)), 10);
