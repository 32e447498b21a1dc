/**
 * The database's tables as one interface. Each part of the kernel and each module adds its own
 * tables by declaration merging (`declare module '…/kernel/db/schema.js' { interface Tables {…} }`),
 * so queries are typed while the kernel never imports a module.
 *
 * Conventions, the same on SQLite and PostgreSQL:
 * - ids are text (`newId()`), never engine-specific identity columns;
 * - times are UTC ISO-8601 strings (`nowIso()`), which compare correctly as text;
 * - money and votes are integers (cents, counts); JSON is stored as text (`toJson`/`fromJson`).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface Tables {}
