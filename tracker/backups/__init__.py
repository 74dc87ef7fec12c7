"""Backups that restore: one archive holding the database and the stored files (`tracker backup`,
`tracker restore`).

An archive is a gzipped tar of
  database.sqlite3 or database.pgdump   the database (SQLite's online backup, or `pg_dump --format=custom`)
  files/ab/cdef…                        every stored file the database names, under its SHA-256
  manifest.json                         what the archive holds (tracker.backups.manifest), written last:
                                        an archive without it was cut short.
"""


class BackupError(Exception):
    """An expected failure of a backup or a restore, said in a sentence for the person running it."""
