// pidusage 4 ships no type definitions; this covers the part we call.
declare module 'pidusage' {
  export interface Status {
    cpu: number;
    memory: number;
    ppid: number;
    pid: number;
    ctime: number;
    elapsed: number;
    timestamp: number;
  }
  export interface Options {
    /** How long (ms) a pid's history entry, and its open /proc/<pid>/stat fd, lives after its last sample. @default 60000 */
    maxage?: number;
    usePs?: boolean;
  }
  function pidusage(pid: number | string, options?: Options): Promise<Status>;
  /** Several pids in one call (one /proc/uptime read); a pid that failed is missing from the result when there are two or more. */
  function pidusage(pids: Array<number | string>, options?: Options): Promise<Record<string, Status | undefined>>;
  namespace pidusage {
    function clear(): void;
  }
  export default pidusage;
}
