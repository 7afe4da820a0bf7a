// Imported first by each bin, for its side effect. Node opens its inspector, a debugger on 127.0.0.1:9229 that runs
// whatever code a local client sends it, when the process gets SIGUSR1; these processes hold the REDCap token, the
// SMTP password and the status token. A JavaScript listener for SIGUSR1 replaces Node's own handler (checked on Node
// 20, which has no --disable-sigusr1 flag), so from the first module on the signal is only heard, never obeyed.
// The listener stays for the life of the process: another one (the supervisor's log line) comes and goes on top of it.
process.on('SIGUSR1', () => undefined);
