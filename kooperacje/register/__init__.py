"""The register: TERYT units, controlled vocabularies, validation of contact data,
institutions, their staff (persons) and the right of access to a person's data.

Imports only `store` and the shared helpers.
"""
