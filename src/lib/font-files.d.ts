/** A font file imported `with { type: 'file' }` under Bun: its path (inside the binary when compiled). */
declare module '*.ttf' {
  const path: string;
  export default path;
}
