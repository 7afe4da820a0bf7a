import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

// Starts the worker module `name` that sits next to the calling module (`besideUrl`, its import.meta.url), with the
// caller's own extension: `.js` once built, `.ts` when the sources run under tsx (the tests).
// Under tsx, Node 20 does not give a worker the loader that `--import tsx` gave the main thread, even though the
// worker inherits the flag (tsx issue #354: "Unknown file extension .ts"), so a `.ts` worker is started through a
// bootstrap that registers tsx in the worker first. A built runner never takes that path, nor needs tsx.
export function startModuleWorker(name: string, besideUrl: string, options: WorkerOptions = {}): Worker {
  const extension = extname(fileURLToPath(besideUrl));
  const entry = new URL(`./${name}${extension}`, besideUrl);
  if (extension !== '.ts') return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry.href)}));`;
  return new Worker(bootstrap, { ...options, eval: true });
}
