import { createWithText, isStill, readSnapshot, removeFile, snapshotDigest, type FileSnapshot } from './lock-file.ts';
import { parseHolder, type LockHolder } from './lock-holder.ts';

/** Each level of claim-on-a-claim needs one more taker that died mid-takeover; past this many, give up. */
const MAX_CLAIM_DEPTH = 3;

/** 'done': the stale file is gone or was never removable by us; look again. 'busy': a live process is taking over. */
export type TakeoverStep = 'done' | 'busy';

/**
 * Removes the stale file at `path`, but only while it is still the very file judged stale, and in one process only.
 * unlink() is not conditional: two supervisors that judged the same stale lock could each delete "it", and the slower
 * one would delete the fresh lock the faster one had just created, so both would run. So the right to remove one
 * given stale file is itself a file, `<path>.takeover-<digest of that file>`, created atomically: one process gets
 * it, checks that the lock is still that stale file, removes it and drops the claim; the others see a live claimant
 * and back off. Nobody can create a file with the stale one's text again (each holds a nonce), so once the claim is
 * dropped a late taker finds a different file and leaves it alone. A claim left by a taker that died on the way is
 * stale in turn and is removed the same way.
 */
export async function removeStale(
  path: string,
  stale: FileSnapshot,
  claimText: string,
  isAlive: (path: string, holder: LockHolder) => Promise<boolean>,
  depth = 0,
): Promise<TakeoverStep> {
  const claim = `${path}.takeover-${snapshotDigest(stale)}`;
  if (await createWithText(claim, claimText)) {
    try {
      if (await isStill(path, stale)) await removeFile(path);
    } finally {
      await removeFile(claim);
    }
    return 'done';
  }
  const current = await readSnapshot(claim);
  if (current === undefined) return 'done'; // the other taker has just finished
  const claimant = parseHolder(current.text);
  if ((claimant && (await isAlive(claim, claimant))) || depth >= MAX_CLAIM_DEPTH) return 'busy';
  return (await removeStale(claim, current, claimText, isAlive, depth + 1)) === 'busy' ? 'busy' : 'done';
}
