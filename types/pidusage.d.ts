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
  function pidusage(pid: number | string): Promise<Status>;
  function pidusage(pids: Array<number | string>): Promise<Record<string, Status>>;
  namespace pidusage {
    function clear(): void;
  }
  export default pidusage;
}
