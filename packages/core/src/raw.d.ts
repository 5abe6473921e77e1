/** Vite/vitest `?raw` imports (file text as a string); used by tests to read the demo data files. */
declare module '*?raw' {
  const text: string;
  export default text;
}
