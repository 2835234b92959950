/**
 * Imported first by the renderer: zod compiles object parsers with `Function` unless told not to,
 * probing for it when a schema is built — and the page's CSP forbids eval, so the probe shows as
 * a console error. This must run before any module that builds schemas.
 */
import { config } from 'zod';

config({ jitless: true });
