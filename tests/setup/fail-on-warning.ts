// Any process warning (MaxListeners, deprecation, experimental) fails the test file that emitted it.
process.on('warning', (warning) => {
  process.exitCode = 1;
  throw new Error(`process warning during tests: ${warning.name}: ${warning.message}`);
});
