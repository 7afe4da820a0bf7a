// Imported first by the bin, for its side effect, so the flag is set before the rest of the program loads.
//
// V8 doubles the young generation whenever allocation is brisk, up to 2 × 16 MB, and keeps it: a supervisor that
// spawns a child every tick reaches ~30 MB of young generation within 100 runs and holds it for months. A growth
// factor of 1 keeps it at its initial 2 × 1 MB. V8 reads this flag each time it considers growing, so setting it
// at run time works, for every way of starting the bin (--max-semi-space-size would need the command line).
// What it saves and costs, measured: see "Memory tuning" in ecosystem.md.
import { setFlagsFromString } from 'node:v8';

const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

setFlagsFromString(YOUNG_GENERATION_FLAG);
