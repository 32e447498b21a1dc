import { sql } from 'kysely';
import type { MigrationSet } from '../db/migrator.js';

export interface FilesTable {
  id: string;
  storage_key: string;
  thumb_key: string | null;
  mime: string;
  /** Bytes of the stored content (after re-encoding), not of the upload. */
  size: number;
  width: number | null;
  height: number | null;
  original_name: string;
  /** What the file belongs to ("street-reports:report:<id>"); null while the upload is pending. */
  owner: string | null;
  /** Hex SHA-256 of the stored content. */
  sha256: string;
  created_at: string;
  attached_at: string | null;
}

declare module '../db/schema.js' {
  interface Tables {
    files: FilesTable;
  }
}

export const filesMigrations: MigrationSet = {
  owner: 'kernel:files',
  migrations: {
    '0001_files': {
      async up(db) {
        await db.schema
          .createTable('files')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('storage_key', 'text', (c) => c.notNull())
          .addColumn('thumb_key', 'text')
          .addColumn('mime', 'text', (c) => c.notNull())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('width', 'integer')
          .addColumn('height', 'integer')
          .addColumn('original_name', 'text', (c) => c.notNull())
          .addColumn('owner', 'text')
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('attached_at', 'text')
          .execute();
        await db.schema.createIndex('files_owner').on('files').column('owner').execute();
        // The cleanup of abandoned uploads looks only at pending rows, by age.
        await db.schema.createIndex('files_pending').on('files').column('created_at').where(sql.ref('owner'), 'is', null).execute();
      },
    },
  },
};
