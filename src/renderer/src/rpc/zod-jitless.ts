import { z } from 'zod'

/*
 * Zod compiles object parsers with `new Function` when it may, and probes for that the first time
 * it parses. The renderer's CSP has no 'unsafe-eval', so the probe is refused and reported as a
 * violation; jitless mode parses by interpretation and never probes. Imported first by main.tsx.
 */
z.config({ jitless: true })
