"""The qualitative store of the interview arm (layer L2).

==================  ==============================================================
module              what it holds
==================  ==============================================================
``store``           ``init_store`` / ``open_store`` (SQLite ``study.db`` or PostgreSQL),
                    transactions, Alembic migrations with a backup first
``services``        every write (one transaction each, logged as an event)
``query``           every read, as pandas DataFrames; ``history`` of a code or coding
``importers``       transcript formats: .txt .md .docx .odt .vtt .srt, turns, observations
``transcripts``     ``import_transcript``, ``import_manifest``, ``import_codings``, exports
``folder``          the example-study folder loader ``load_folder`` and the people CSVs
``deidentify``      ``check_real_names``: registered real names left in the documents
==================  ==============================================================

Nothing heavy is imported here; import the modules you need. File formats are specified in
``docs/qual-formats.md``.
"""
