import { sql } from 'kysely';
import type { Migration } from '../../../kernel/db/migrator.js';

/**
 * Bands of latitude for the map's box query: `floor(lat * MAP_BANDS_PER_DEGREE)`, ~111 m tall. The
 * query names the bands its box crosses (`IN (…)`), so each engine seeks to the box's longitudes
 * within each band instead of reading every report of the box's latitudes across the whole city.
 * The expression is written the same way here and in the query (`mapBand` in
 * domain/public-queries.ts), which is how both engines match a query to an index on an expression.
 */
export const MAP_BANDS_PER_DEGREE = 1000;
export const MAP_BAND_SQL = `floor(lat * ${MAP_BANDS_PER_DEGREE})`;

/**
 * The public map reads open reports in a box, leaves out hidden states and may filter on a
 * category: with the band, the longitude, then every column it filters on or reads in the index,
 * its count and its clusters are answered from the index alone, reading about the reports of the box
 * (measured on 1M reports, central Paris box of ~4,000 open reports: see bench/RESULTS.md).
 * It replaces the (status, lat, lng, state, id) index of 0003, which read a whole band of latitude.
 */
export const mapBandsMigration: Migration = {
  async up(db) {
    await sql
      .raw(`create index street_reports_map_bands on street_reports (status, (${MAP_BAND_SQL}), lng, lat, state, category, id)`)
      .execute(db);
    await db.schema.dropIndex('street_reports_map_covering').execute();
  },
};
