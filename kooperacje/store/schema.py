"""The names of the migrations of this version, in order, without importing them (that
imports sqlite-utils): a command that only reads checks a database against this list.
tests/test_migrations.py checks it names exactly the modules in migrations.STEPS."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    "m001_register",
    "m002_vocabularies",
    "m003_core",
    "m004_service_directory",
    "m005_invitations",
    "m006_history",
    "m007_lookup_indexes",
    "m008_erasures",
    "m009_task_teams",
    "m010_projects",
    "m011_agreements",
    "m012_rules",
    "m013_joint_meetings",
    "m014_phones_offices",
    "m015_merge_provenance",
    "m016_import_lookups",
)
