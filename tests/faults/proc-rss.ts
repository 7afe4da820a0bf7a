// The peak RSS of a process under test, read from /proc by the test itself (bench's sampler), never from its own report.
import { procRss } from '../../bench/lib/proc-sampler.ts';
import { bytesToMb } from '../../shared/units.ts';

export interface PeakRss {
  /** Highest RSS seen so far, in MB (0 if never seen). */
  peakMb(): number;
  stop(): void;
}

/** Samples `pid` every `everyMs` until stopped or the process is gone. */
export function peakRssOf(pid: number, everyMs = 50): PeakRss {
  let peak = 0;
  const look = (): void => {
    const rss = procRss(pid);
    if (rss === undefined) clearInterval(timer);
    else peak = Math.max(peak, rss);
  };
  const timer = setInterval(look, everyMs);
  look();
  return { peakMb: () => bytesToMb(peak, 1), stop: () => clearInterval(timer) };
}
