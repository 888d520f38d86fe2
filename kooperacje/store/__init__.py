"""Storage: opening the database file, its numbered migrations, backups, the change history.

Imports only the shared helpers (errors, text, dates, config, files) beside this package.
"""
