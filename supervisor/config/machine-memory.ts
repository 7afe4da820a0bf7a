import { totalmem } from 'node:os';
import { bytesToMb } from '../../shared/units.ts';

/** What the memory limits are checked against: the most RAM the runner's tree could ever get here. */
export interface MachineMemory {
  readonly mb: number;
  /** How it was measured, for the message. */
  readonly source: string;
}

// The machine's RAM, or the cgroup limit (a container, a systemd MemoryMax=) when that is lower: past either, the
// kernel kills the tree before our guard could, so a larger emergencyMb is a guard that is never used.
export function machineMemory(): MachineMemory {
  const total = totalmem();
  // Node reports "no limit" as a huge number (2^64) or 0, depending on the cgroup version.
  const constrained = process.constrainedMemory();
  if (constrained > 0 && constrained < total) return { mb: wholeMb(constrained), source: 'the cgroup memory limit' };
  return { mb: wholeMb(total), source: "this machine's RAM" };
}

// Rounded down: a limit checked against it must fit inside the memory, never round up past it.
const wholeMb = (bytes: number): number => Math.floor(bytesToMb(bytes));
