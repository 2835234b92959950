/** Vite's `?url` import of ELK's worker script: the address of the file it emits beside the bundle. */
declare module 'elkjs/lib/elk-worker.min.js?url' {
  const url: string;
  export default url;
}
