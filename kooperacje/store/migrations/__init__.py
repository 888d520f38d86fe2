"""The schema, as numbered migrations: one module each, never edited or renamed once
released. Migrations import no application helpers: what they load (the territorial register,
the vocabularies) comes from the data files shipped with the package.

This package imports sqlite-utils when it loads, so `db` imports it only when it opens a file.
"""

from __future__ import annotations

from types import ModuleType

from sqlite_utils import Migrations

from kooperacje.store.migrations import (
    m001_register,
    m002_vocabularies,
    m003_core,
    m004_service_directory,
    m005_invitations,
    m006_history,
    m007_lookup_indexes,
    m008_erasures,
    m009_task_teams,
    m010_projects,
    m011_agreements,
    m012_rules,
    m013_joint_meetings,
    m014_phones_offices,
    m015_merge_provenance,
    m016_import_lookups,
)

# In the order they apply; a new migration is a new module added at the end.
STEPS: tuple[ModuleType, ...] = (
    m001_register,
    m002_vocabularies,
    m003_core,
    m004_service_directory,
    m005_invitations,
    m006_history,
    m007_lookup_indexes,
    m008_erasures,
    m009_task_teams,
    m010_projects,
    m011_agreements,
    m012_rules,
    m013_joint_meetings,
    m014_phones_offices,
    m015_merge_provenance,
    m016_import_lookups,
)

migrations = Migrations("kooperacje")
for _step in STEPS:
    migrations(name=_step.__name__.rsplit(".", 1)[1])(_step.migrate)


def migration_names() -> set[str]:
    """Every migration this version knows: a database with others is from a newer one."""
    return {step.__name__.rsplit(".", 1)[1] for step in STEPS}
